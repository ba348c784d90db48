import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { close, flattenHeaders, listen, readBody } from '../services/http-server';
import type { LocalCognito } from './cognito';
import type { HttpReply } from './proxy-event';
import type { RestApiEmulator } from './rest-api';

function send(response: ServerResponse, reply: HttpReply): void {
  response.writeHead(reply.statusCode, { 'Content-Type': 'application/json', ...reply.headers });
  response.end(reply.body);
}

/** A JSON `{ message }` answer, as API Gateway gives when no API or stage can take the request. */
function sendMessage(response: ServerResponse, statusCode: number, message: string): void {
  send(response, { statusCode, headers: {}, body: Buffer.from(JSON.stringify({ message })) });
}

/** A local Cognito answer (token endpoint, key set) as an HTTP reply. */
function sendAnswer(
  response: ServerResponse,
  answer: { status: number; headers: Readonly<Record<string, string>>; body: string },
): void {
  send(response, {
    statusCode: answer.status,
    headers: { ...answer.headers },
    body: Buffer.from(answer.body),
  });
}

/**
 * The API port (`http://127.0.0.1:3000`): each REST API at `/{stage}/…` as API Gateway serves it,
 * and the local Cognito's token endpoint and key sets.
 */
export class ApiServer {
  private server?: Server;
  private apis: readonly RestApiEmulator[] = [];
  private cognito?: LocalCognito;

  /** Serves these APIs and this user pool from now on (the server listens first, to learn its URL). */
  attach(apis: readonly RestApiEmulator[], cognito: LocalCognito): void {
    this.apis = apis;
    this.cognito = cognito;
  }

  async start(host: string, port: number): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => sendMessage(response, 500, String(error)));
    });
    this.server.keepAliveTimeout = 60_000;
    return listen(this.server, host, port);
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://local');
    const body = await readBody(request);
    const cognito = this.cognito;
    if (!cognito) {
      sendMessage(response, 503, 'Starting');
      return;
    }
    if (url.pathname === '/oauth2/token' && request.method === 'POST') {
      const headers = flattenHeaders(request.headers);
      sendAnswer(response, await cognito.handleTokenRequest({ headers, body: body.toString('utf8') }));
      return;
    }
    const jwks = /^\/([^/]+)\/\.well-known\/jwks\.json$/.exec(url.pathname);
    if (jwks && request.method === 'GET') {
      sendAnswer(response, cognito.jwks(jwks[1] ?? ''));
      return;
    }
    const [, stage = '', ...rest] = url.pathname.split('/');
    const api = this.apis.find((candidate) => candidate.hasStage(stage)) ?? this.apis[0];
    if (!api) {
      sendMessage(response, 404, 'No API in the template');
      return;
    }
    const reply = await api.handle(stage, {
      method: request.method ?? 'GET',
      path: `/${rest.join('/')}`,
      query: url.searchParams,
      headers: request.headers,
      body,
      sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
    });
    send(response, reply);
  }
}

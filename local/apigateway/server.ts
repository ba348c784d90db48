import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalCognito } from './cognito';
import type { HttpReply } from './proxy-event';
import type { RestApiEmulator } from './rest-api';

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, reply: HttpReply): void {
  response.writeHead(reply.statusCode, { 'Content-Type': 'application/json', ...reply.headers });
  response.end(reply.body);
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
      this.handle(request, response).catch((error: unknown) => {
        send(response, {
          statusCode: 500,
          headers: {},
          body: Buffer.from(JSON.stringify({ message: String(error) })),
        });
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(port, host, resolve);
    });
    return `http://${host}:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://local');
    const body = await readBody(request);
    const cognito = this.cognito;
    if (!cognito) {
      send(response, {
        statusCode: 503,
        headers: {},
        body: Buffer.from(JSON.stringify({ message: 'Starting' })),
      });
      return;
    }
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(',') : value,
      ]),
    );
    if (url.pathname === '/oauth2/token' && request.method === 'POST') {
      const answer = await cognito.handleTokenRequest({ headers, body: body.toString('utf8') });
      send(response, {
        statusCode: answer.status,
        headers: { ...answer.headers },
        body: Buffer.from(answer.body),
      });
      return;
    }
    const jwks = /^\/([^/]+)\/\.well-known\/jwks\.json$/.exec(url.pathname);
    if (jwks && request.method === 'GET') {
      const answer = cognito.jwks(jwks[1] ?? '');
      send(response, {
        statusCode: answer.status,
        headers: { ...answer.headers },
        body: Buffer.from(answer.body),
      });
      return;
    }
    const [, stage = '', ...rest] = url.pathname.split('/');
    const api = this.apis.find((candidate) => candidate.hasStage(stage)) ?? this.apis[0];
    if (!api) {
      send(response, {
        statusCode: 404,
        headers: {},
        body: Buffer.from(JSON.stringify({ message: 'No API in the template' })),
      });
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

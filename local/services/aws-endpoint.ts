import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AwsError, type AwsRequest, type AwsResponse, jsonError, type ServiceHandler } from './aws-protocol';
import { close, listen, readBody } from './http-server';

/** `X-Amz-Target` prefixes of the JSON protocols, for unsigned requests. */
const TARGET_SERVICES: Readonly<Record<string, string>> = {
  DynamoDB_20120810: 'dynamodb',
  AmazonSQS: 'sqs',
  AWSEvents: 'events',
  AWSStepFunctions: 'states',
  Logs_20140328: 'logs',
  secretsmanager: 'secretsmanager',
};

const MAX_BODY_BYTES = 20 * 1024 * 1024;

/** The service a request is for: the SigV4 credential scope, else its target or path. */
export function serviceOf(
  headers: IncomingMessage['headers'],
  path: string,
): { service: string; region?: string } {
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(
    String(headers.authorization ?? ''),
  );
  if (scope?.[2]) return { service: scope[2], region: scope[1] };
  const target = String(headers['x-amz-target'] ?? '');
  const byTarget = TARGET_SERVICES[target.split('.')[0] ?? ''];
  if (byTarget) return { service: byTarget };
  if (path.startsWith('/2015-03-31/functions')) return { service: 'lambda' };
  return { service: '' };
}

function send(response: ServerResponse, answer: AwsResponse): void {
  response.writeHead(answer.status, { ...answer.headers });
  response.end(answer.body);
}

/**
 * The one AWS endpoint of the local cloud (`http://127.0.0.1:4566`): dispatches each request to the
 * service it is signed for, so the AWS SDK and CLI work against it unchanged.
 */
export class AwsEndpoint {
  private readonly services = new Map<string, ServiceHandler>();
  private readonly prefixes: [string, ServiceHandler][] = [];
  private server?: Server;

  constructor(private readonly defaultRegion: string) {}

  register(service: string, handler: ServiceHandler): void {
    this.services.set(service, handler);
  }

  /** Serves every request under a path prefix (for `/_local`). */
  registerPath(prefix: string, handler: ServiceHandler): void {
    this.prefixes.push([prefix, handler]);
  }

  async start(host: string, port: number): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        const failure =
          error instanceof AwsError
            ? error
            : new AwsError('InternalFailure', error instanceof Error ? error.message : String(error), 500);
        send(response, jsonError(failure));
      });
    });
    this.server.keepAliveTimeout = 60_000;
    return listen(this.server, host, port);
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
  }

  private async handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(incoming.url ?? '/', 'http://local');
    const { service, region } = serviceOf(incoming.headers, url.pathname);
    const request: AwsRequest = {
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
      body: await readBody(incoming, {
        bytes: MAX_BODY_BYTES,
        tooLarge: () => new AwsError('RequestEntityTooLarge', 'Request body too large', 413),
      }),
      service,
      target: incoming.headers['x-amz-target'] as string | undefined,
      region: region ?? this.defaultRegion,
    };
    const prefixed = this.prefixes.find(([prefix]) => url.pathname.startsWith(prefix))?.[1];
    const handler = prefixed ?? this.services.get(service);
    if (!handler) {
      send(
        response,
        jsonError(
          new AwsError('UnknownServiceException', `No local service for "${service || url.pathname}"`),
        ),
      );
      return;
    }
    send(response, await handler(request));
  }
}

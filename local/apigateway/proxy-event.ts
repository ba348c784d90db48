import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';

export interface IncomingApiRequest {
  readonly method: string;
  /** The path after the stage, such as `/v1/orders`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  readonly sourceIp: string;
}

export interface ProxyEventContext {
  readonly apiId: string;
  readonly accountId: string;
  readonly stage: string;
  readonly resourceId: string;
  readonly resourcePath: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly requestId: string;
  readonly domainName: string;
  readonly apiKeyId?: string;
  readonly apiKey?: string;
  readonly authorizer?: Readonly<Record<string, unknown>>;
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|x-www-form-urlencoded|javascript)|[^;]+\+(json|xml))/i;

/** `15/Jan/2025:10:00:00 +0000`, as API Gateway formats `requestTime`. */
export function requestTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

function single(headers: IncomingApiRequest['headers']): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
      .map(([name, value]) => [name, Array.isArray(value) ? (value.at(-1) ?? '') : value]),
  );
}

function multi(headers: IncomingApiRequest['headers']): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
      .map(([name, value]) => [name, Array.isArray(value) ? value : [value]]),
  );
}

/** The Lambda proxy integration event (payload format 1.0) for a request. */
export function proxyEvent(request: IncomingApiRequest, context: ProxyEventContext): APIGatewayProxyEvent {
  const now = new Date();
  const contentType = String(request.headers['content-type'] ?? '');
  const binary = request.body.length > 0 && contentType !== '' && !TEXT_TYPES.test(contentType);
  const queryNames = [...new Set(request.query.keys())];
  const headers = single(request.headers);
  return {
    resource: context.resourcePath,
    path: request.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders: multi(request.headers),
    queryStringParameters: queryNames.length
      ? Object.fromEntries(queryNames.map((name) => [name, request.query.getAll(name).at(-1) ?? '']))
      : null,
    multiValueQueryStringParameters: queryNames.length
      ? Object.fromEntries(queryNames.map((name) => [name, request.query.getAll(name)]))
      : null,
    pathParameters: Object.keys(context.pathParameters).length ? { ...context.pathParameters } : null,
    stageVariables: null,
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      authorizer: context.authorizer ? { ...context.authorizer } : null,
      domainName: context.domainName,
      domainPrefix: context.domainName.split('.')[0] ?? context.domainName,
      extendedRequestId: randomUUID().replaceAll('-', '').slice(0, 16),
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: context.apiKey ?? null,
        apiKeyId: context.apiKeyId ?? null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent: headers['user-agent'] ?? null,
        userArn: null,
      },
      path: `/${context.stage}${request.path}`,
      protocol: 'HTTP/1.1',
      requestId: context.requestId,
      requestTime: requestTime(now),
      requestTimeEpoch: now.getTime(),
      resourceId: context.resourceId,
      resourcePath: context.resourcePath,
      stage: context.stage,
    },
    body: request.body.length === 0 ? null : request.body.toString(binary ? 'base64' : 'utf8'),
    isBase64Encoded: binary,
  };
}

export interface HttpReply {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** A Lambda proxy response → the HTTP answer; undefined when the response is malformed (API Gateway's 502). */
export function proxyReply(payload: unknown): HttpReply | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const result = payload as Record<string, unknown>;
  const statusCode = Number(result.statusCode ?? 200);
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return undefined;
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries((result.multiValueHeaders ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(values)) headers[name] = values.map(String).join(', ');
  }
  for (const [name, value] of Object.entries((result.headers ?? {}) as Record<string, unknown>)) {
    if (value !== undefined && value !== null) headers[name] = String(value);
  }
  if (result.body !== undefined && result.body !== null && typeof result.body !== 'string') return undefined;
  const body =
    typeof result.body === 'string'
      ? Buffer.from(result.body, result.isBase64Encoded === true ? 'base64' : 'utf8')
      : Buffer.alloc(0);
  return { statusCode, headers, body };
}

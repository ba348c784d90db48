import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';

const eventsDir = path.join(__dirname, '..', '..', 'events');

export function sampleJson<T = unknown>(relativePath: string): T {
  return JSON.parse(readFileSync(path.join(eventsDir, relativePath), 'utf8')) as T;
}

export interface PostOrderOverrides {
  readonly headers?: Record<string, string | undefined>;
  readonly body?: string | null;
  readonly requestId?: string;
  readonly clientId?: string;
}

/**
 * A sample API Gateway proxy event with its headers (undefined removes one), body (else
 * `defaultBody`, else the sample's), request id and calling client replaced.
 */
export function sampleProxyEvent(
  sample: string,
  overrides: PostOrderOverrides = {},
  defaultBody?: string,
): APIGatewayProxyEvent {
  const base = sampleJson<APIGatewayProxyEvent>(sample);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...base.headers, ...overrides.headers })) {
    if (value !== undefined) headers[name] = value;
  }
  const claims = { ...(base.requestContext.authorizer?.claims as Record<string, string>) };
  if (overrides.clientId) {
    claims.client_id = overrides.clientId;
    claims.sub = overrides.clientId;
  }
  return {
    ...base,
    headers,
    body: overrides.body === undefined ? (defaultBody ?? base.body) : overrides.body,
    requestContext: {
      ...base.requestContext,
      requestId: overrides.requestId ?? base.requestContext.requestId,
      authorizer: { claims },
    },
  };
}

/** The sample `POST /v1/orders` proxy event, with headers (undefined removes one) and body replaced. */
export function postOrderEvent(overrides: PostOrderOverrides = {}): APIGatewayProxyEvent {
  return sampleProxyEvent('api/post-order.apigw.json', overrides);
}

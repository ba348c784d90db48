import type { APIGatewayProxyEvent } from 'aws-lambda';
import { sampleJson } from './api-events';

export interface PostPaymentOverrides {
  /** Fields of the sample body to replace; undefined removes one. */
  readonly payment?: Record<string, unknown>;
  /** A raw body instead of the sample's. */
  readonly body?: string | null;
  readonly headers?: Record<string, string | undefined>;
  readonly clientId?: string;
  readonly requestId?: string;
}

/** The sample `POST /api/v1/integrations/payment/process` proxy event, with its body and headers replaced. */
export function postPaymentEvent(overrides: PostPaymentOverrides = {}): APIGatewayProxyEvent {
  const base = sampleJson<APIGatewayProxyEvent>('api/post-payment.apigw.json');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...base.headers, ...overrides.headers })) {
    if (value !== undefined) headers[name] = value;
  }
  const claims = { ...(base.requestContext.authorizer?.claims as Record<string, string>) };
  if (overrides.clientId) {
    claims.client_id = overrides.clientId;
    claims.sub = overrides.clientId;
  }
  const payment = { ...sampleJson<Record<string, unknown>>('api/post-payment.json'), ...overrides.payment };
  return {
    ...base,
    headers,
    body: overrides.body === undefined ? JSON.stringify(payment) : overrides.body,
    requestContext: {
      ...base.requestContext,
      requestId: overrides.requestId ?? base.requestContext.requestId,
      authorizer: { claims },
    },
  };
}

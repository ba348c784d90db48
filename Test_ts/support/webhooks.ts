import { createHmac } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { InvalidWebhookBodyError } from '../../utils/webhooks/errors';
import { sampleJson } from './api-events';

/** Unix seconds now. */
export const unixNow = () => Math.floor(Date.now() / 1000);

/** `Stripe-Signature` for `rawBody`, as Stripe makes it: `t=<t>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
export function stripeSignature(secret: string, rawBody: string, t = unixNow()): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex')}`;
}

/** The two SendGrid headers for `rawBody`, in the sandbox's shared-secret scheme (base64 HMAC of "<t><raw body>"). */
export function sendGridHeaders(secret: string, rawBody: string, t = unixNow()): Record<string, string> {
  return {
    'X-Twilio-Email-Event-Webhook-Timestamp': String(t),
    'X-Twilio-Email-Event-Webhook-Signature': createHmac('sha256', secret)
      .update(`${t}${rawBody}`)
      .digest('base64'),
  };
}

export interface WebhookEventOverrides {
  readonly provider?: string;
  readonly body?: string;
  readonly headers?: Record<string, string | undefined>;
  readonly base64?: boolean;
  readonly requestId?: string;
}

/** The sample `POST /v1/webhooks/{provider}` proxy event, with provider, body and headers replaced. */
export function webhookEvent(overrides: WebhookEventOverrides = {}): APIGatewayProxyEvent {
  const base = sampleJson<APIGatewayProxyEvent>('webhooks/post-payment-webhook.apigw.json');
  const provider = overrides.provider ?? 'payment';
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...base.headers, ...overrides.headers })) {
    if (value !== undefined) headers[name] = value;
  }
  const body = overrides.body ?? base.body ?? '';
  return {
    ...base,
    path: `/v1/webhooks/${provider}`,
    pathParameters: { provider },
    headers,
    body: overrides.base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: overrides.base64 ?? false,
    requestContext: {
      ...base.requestContext,
      requestId: overrides.requestId ?? base.requestContext.requestId,
    },
  };
}

/** The InvalidWebhookBodyError `work` throws; fails the test when it throws anything else or nothing. */
export function caughtInvalidBody(work: () => unknown): InvalidWebhookBodyError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidWebhookBodyError);
    return error as InvalidWebhookBodyError;
  }
  throw new Error('expected an error');
}

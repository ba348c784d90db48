import type { APIGatewayProxyEvent } from 'aws-lambda';
import { PayloadTooLargeError } from '../http/errors';
import type { WebhookDelivery } from './receiver';

/** Webhook bodies above this are refused before anything is verified (Stripe's events are far smaller). */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

/**
 * The delivery in a proxy event, with the body as the exact bytes the provider signed: decoded
 * from base64 when API Gateway encoded it, never parsed or re-serialised.
 */
export function webhookDelivery(
  event: APIGatewayProxyEvent,
  maxBytes = MAX_WEBHOOK_BODY_BYTES,
): WebhookDelivery {
  const body = event.body ?? '';
  const rawBody = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (rawBody.byteLength > maxBytes) throw new PayloadTooLargeError(rawBody.byteLength, maxBytes);
  return { provider: event.pathParameters?.provider, headers: event.headers, rawBody };
}

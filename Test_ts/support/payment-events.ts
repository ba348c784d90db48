import type { APIGatewayProxyEvent } from 'aws-lambda';
import { sampleJson, sampleProxyEvent } from './api-events';

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
  const payment = { ...sampleJson<Record<string, unknown>>('api/post-payment.json'), ...overrides.payment };
  return sampleProxyEvent('api/post-payment.apigw.json', overrides, JSON.stringify(payment));
}

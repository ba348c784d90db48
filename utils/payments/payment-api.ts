import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { handleApiRequest } from '../http/api-handler';
import { readJsonBody } from '../http/request';
import { tracer } from '../observability/powertools';
import { MAX_PAYMENT_BODY_BYTES, parsePaymentRequest } from './payment-request';
import type { PaymentProcessor } from './process-payment';

/** The endpoint, as request metrics name it. */
export const PAYMENT_ENDPOINT = 'POST /api/v1/integrations/payment/process';

/**
 * One payment request, from the proxy event to the answer: 200 with the completed payment (202 when
 * the provider has it pending), `Idempotent-Replayed: true` on a repeat, or the standard error.
 */
export function answerPaymentRequest(
  processor: PaymentProcessor,
  event: APIGatewayProxyEvent,
  context: Context,
): Promise<APIGatewayProxyResult> {
  return handleApiRequest(PAYMENT_ENDPOINT, event, async (correlation) => {
    const payment = parsePaymentRequest(readJsonBody(event, MAX_PAYMENT_BODY_BYTES));
    tracer.putAnnotation('transaction_id', payment.transaction_id);
    const { replayed, ...result } = await processor.process({ payment, correlation }, context);
    return {
      statusCode: result.status === 'completed' ? 200 : 202,
      body: result,
      headers: replayed ? { 'Idempotent-Replayed': 'true' } : undefined,
    };
  });
}

import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { connectorOptionsFromEnvironment } from '../../utils/connectors/environment';
import { PaymentConnector } from '../../utils/connectors/payment';
import { PAYMENT_CONTRACT } from '../../utils/contracts/bundled';
import { dynamoDbPersistence } from '../../utils/idempotency/store';
import { instrument } from '../../utils/observability/instrument';
import { answerPaymentRequest } from '../../utils/payments/payment-api';
import {
  loadPaymentConfig,
  PAYMENT_CIRCUIT,
  paymentContractWithin,
} from '../../utils/payments/payment-setup';
import { PaymentProcessor } from '../../utils/payments/process-payment';
import { circuitBreakerFor } from '../../utils/resilience/circuit-from-environment';

/** POST /api/v1/integrations/payment/process: charge a card once per transaction_id, within the budget. */
const config = loadPaymentConfig();

const processor = new PaymentProcessor({
  connector: new PaymentConnector(
    {
      ...connectorOptionsFromEnvironment(PAYMENT_CONTRACT),
      breaker: circuitBreakerFor(PAYMENT_CIRCUIT),
    },
    paymentContractWithin(config.PAYMENT_ATTEMPT_TIMEOUT_MS),
  ),
  persistenceStore: dynamoDbPersistence(config.IDEMPOTENCY_TABLE_NAME),
  budgetMs: config.PAYMENT_BUDGET_MS,
});

export const handler = instrument((event: APIGatewayProxyEvent, context: Context) =>
  answerPaymentRequest(processor, event, context),
);

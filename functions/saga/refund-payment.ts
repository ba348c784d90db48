import { connectorOptionsFromEnvironment } from '../../utils/connectors/environment';
import { PaymentConnector } from '../../utils/connectors/payment';
import { PAYMENT_CONTRACT } from '../../utils/contracts/bundled';
import { sagaStepHandler } from '../../utils/orchestration/saga-step-handler';
import { refundOrder, type StepPayload } from '../../utils/orders/saga/steps';
import { circuitBreakerFor } from '../../utils/resilience/circuit-from-environment';

/** Order saga, compensation of charge: refunds the charge once (keyed by the order). */
const payment = new PaymentConnector({
  ...connectorOptionsFromEnvironment(PAYMENT_CONTRACT),
  breaker: circuitBreakerFor('payment'),
});

export const handler = sagaStepHandler('refund', (payload: StepPayload) => refundOrder(payload, payment));

import { connectorOptionsFromEnvironment } from '../../utils/connectors/environment';
import { PaymentConnector } from '../../utils/connectors/payment';
import { PAYMENT_CONTRACT } from '../../utils/contracts/bundled';
import { sagaStepHandler } from '../../utils/orchestration/saga-step-handler';
import { chargeOrder, type StepPayload } from '../../utils/orders/saga/steps';
import { circuitBreakerFor } from '../../utils/resilience/circuit-from-environment';

/** Order saga, step charge: charges the order once (keyed by the order), through the shared circuit. */
const payment = new PaymentConnector({
  ...connectorOptionsFromEnvironment(PAYMENT_CONTRACT),
  breaker: circuitBreakerFor('payment'),
});

export const handler = sagaStepHandler('charge', (payload: StepPayload) => chargeOrder(payload, payment));

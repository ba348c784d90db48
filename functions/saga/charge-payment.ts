import { connectorOptionsFromEnvironment } from '../../utils/connectors/environment';
import { PaymentConnector } from '../../utils/connectors/payment';
import { PAYMENT_CONTRACT } from '../../utils/contracts/bundled';
import { instrument } from '../../utils/observability/instrument';
import { chargeOrder, type StepPayload } from '../../utils/orders/saga/steps';
import { circuitBreakerFor } from '../../utils/resilience/circuit-from-environment';

/** Order saga, step charge: charges the order once (keyed by the order), through the shared circuit. */
const payment = new PaymentConnector({
  ...connectorOptionsFromEnvironment(PAYMENT_CONTRACT),
  breaker: circuitBreakerFor('payment'),
});

export const handler = instrument(async (payload: StepPayload) => chargeOrder(payload, payment));

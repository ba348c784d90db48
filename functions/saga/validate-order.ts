import { instrument } from '../../utils/observability/instrument';
import type { StepPayload } from '../../utils/orders/saga/steps';
import { validateOrder } from '../../utils/orders/saga/steps';

/** Order saga, step validate: checks the order.created event and keeps what later steps need. */
export const handler = instrument(async (payload: StepPayload) => validateOrder(payload));

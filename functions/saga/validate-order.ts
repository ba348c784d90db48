import { sagaStepHandler } from '../../utils/orchestration/saga-step-handler';
import type { StepPayload } from '../../utils/orders/saga/steps';
import { validateOrder } from '../../utils/orders/saga/steps';

/** Order saga, step validate: checks the order.created event and keeps what later steps need. */
export const handler = sagaStepHandler('validate', (payload: StepPayload) => validateOrder(payload));

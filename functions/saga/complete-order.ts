import { z } from 'zod';
import { eventBridgeClient } from '../../utils/aws/clients';
import { loadConfig } from '../../utils/config/env';
import { EventPublisher } from '../../utils/events/publisher';
import { sagaStepHandler } from '../../utils/orchestration/saga-step-handler';
import { completeOrder, type StepPayload } from '../../utils/orders/saga/steps';

/** Order saga, success handler: puts order.completed (and notification.failed for an unsent confirmation). */
const config = loadConfig(z.object({ EVENT_BUS_NAME: z.string().min(1) }));
const publisher = new EventPublisher(eventBridgeClient(), config.EVENT_BUS_NAME);

export const handler = sagaStepHandler('complete', (payload: StepPayload) =>
  completeOrder(payload, publisher),
);

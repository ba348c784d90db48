import type { Context, SQSEvent } from 'aws-lambda';
import { z } from 'zod';
import { sfnClient, sqsClient } from '../../utils/aws/clients';
import { loadConfig } from '../../utils/config/env';
import { requireEventType } from '../../utils/events/catalog';
import { parseQueuedEvent } from '../../utils/events/queued-event';
import { consumeQueueBatch } from '../../utils/messaging/queue-consumer';
import { instrument } from '../../utils/observability/instrument';
import { logger } from '../../utils/observability/powertools';
import { startSagaOnce } from '../../utils/orchestration/saga-starter';

/** Starts the order saga for each order.created event, once per event id (the execution name). */
const config = loadConfig(
  z.object({
    ORDER_SAGA_ARN: z.string().min(1),
    DEAD_LETTER_QUEUE_URL: z.url(),
    MAX_RECEIVE_COUNT: z.coerce.number().int().min(1),
  }),
);
const deadLetter = {
  queueUrl: config.DEAD_LETTER_QUEUE_URL,
  maxReceiveCount: config.MAX_RECEIVE_COUNT,
  client: sqsClient(),
};

export const handler = instrument((event: SQSEvent, context: Context) =>
  consumeQueueBatch(
    event,
    context,
    async (record) => {
      const envelope = requireEventType(parseQueuedEvent(record.body), 'order.created');
      const start = await startSagaOnce(sfnClient(), config.ORDER_SAGA_ARN, envelope);
      logger.info(start.started ? 'Order saga started' : 'Order saga already started for this event', {
        order_id: envelope.data.order_id,
        execution_name: start.executionName,
        correlation_id: envelope.metadata.correlation_id,
      });
    },
    deadLetter,
  ),
);

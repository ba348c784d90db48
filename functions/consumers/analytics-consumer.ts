import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { Context, SQSEvent } from 'aws-lambda';
import { z } from 'zod';
import { sqsClient } from '../../utils/aws/clients';
import { loadConfig } from '../../utils/config/env';
import { type EnvelopeOf, requireEventType } from '../../utils/events/catalog';
import { parseQueuedEvent } from '../../utils/events/queued-event';
import { dynamoDbPersistence } from '../../utils/idempotency/store';
import { consumeQueueBatch } from '../../utils/messaging/queue-consumer';
import { instrument } from '../../utils/observability/instrument';
import { recordOrderSummary, summarizeOrder } from '../../utils/orders/analytics';
import { measurementEventFor } from '../../utils/orders/analytics-event';

/**
 * Consumes order.created (written for the newest version; older minors arrive upcast) from the
 * analytics queue; each event is recorded once, by event id.
 */
const config = loadConfig(
  z.object({
    IDEMPOTENCY_TABLE_NAME: z.string().min(1),
    DEAD_LETTER_QUEUE_URL: z.url(),
    MAX_RECEIVE_COUNT: z.coerce.number().int().min(1),
  }),
);

const idempotency = new IdempotencyConfig({ eventKeyJmesPath: 'id', expiresAfterSeconds: 7 * 24 * 60 * 60 });

const recordOnce = makeIdempotent(
  async (envelope: EnvelopeOf<'order.created'>) => {
    // Mapped first: an order that cannot be mapped is dead-lettered before anything is recorded.
    const measurement = measurementEventFor(envelope.data);
    const summary = summarizeOrder(envelope.data);
    recordOrderSummary(summary, envelope.metadata);
    return { summary, measurement };
  },
  { persistenceStore: dynamoDbPersistence(config.IDEMPOTENCY_TABLE_NAME), config: idempotency },
);

const deadLetter = {
  queueUrl: config.DEAD_LETTER_QUEUE_URL,
  maxReceiveCount: config.MAX_RECEIVE_COUNT,
  client: sqsClient(),
};

export const handler = instrument((event: SQSEvent, context: Context) => {
  idempotency.registerLambdaContext(context);
  return consumeQueueBatch(
    event,
    context,
    async (record) => {
      await recordOnce(requireEventType(parseQueuedEvent(record.body), 'order.created'));
    },
    deadLetter,
  );
});

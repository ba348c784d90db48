import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import type { consumeQueueBatch as ConsumeQueueBatch } from '../../../utils/messaging/queue-consumer';
import type { logger as Logger } from '../../../utils/observability/powertools';
import { lambdaContext } from '../../support/lambda-context';
import { sqsBatch, sqsRecord } from '../../support/sqs-events';
import { captureStdout } from '../../support/stdout';

const sqs = mockClient(SQSClient);

let logger: typeof Logger;
let consumeQueueBatch: typeof ConsumeQueueBatch;
beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  ({ logger } = await import('../../../utils/observability/powertools'));
  ({ consumeQueueBatch } = await import('../../../utils/messaging/queue-consumer'));
});

const eventBody = (correlationId: string, orderId?: string) =>
  JSON.stringify({
    'detail-type': 'order.created',
    detail: {
      id: `evt-${correlationId}`,
      type: 'order.created',
      data: orderId ? { order_id: orderId } : {},
      metadata: { correlation_id: correlationId, causation_id: `req-${correlationId}` },
    },
  });

describe('consumeQueueBatch and correlation', () => {
  it("logs each record's work with that record's correlation keys, and only its own", async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'dlq-1' });
    const stdout = captureStdout();
    try {
      await consumeQueueBatch(
        sqsBatch(
          sqsRecord({ messageId: 'a', body: eventBody('corr-a', 'ord-a') }),
          sqsRecord({ messageId: 'b', body: eventBody('corr-b') }),
          sqsRecord({ messageId: 'c', body: 'not an event' }),
        ),
        lambdaContext(),
        async (record) => {
          logger.info('handling', { message_id: record.messageId });
        },
        { queueUrl: 'https://sqs/dlq', maxReceiveCount: 5, client: new SQSClient({ region: 'eu-west-1' }) },
      );
    } finally {
      stdout.restore();
    }
    const lines = stdout.json().filter((line) => line.message === 'handling');
    expect(lines.map((line) => [line.message_id, line.correlation_id, line.order_id])).toEqual([
      ['a', 'corr-a', 'ord-a'],
      ['b', 'corr-b', undefined],
      ['c', undefined, undefined],
    ]);
    expect(lines[1]).toMatchObject({ causation_id: 'req-corr-b', event_id: 'evt-corr-b' });
  });
});

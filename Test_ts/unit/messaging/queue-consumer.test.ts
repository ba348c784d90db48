import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { InvalidEventError } from '../../../utils/messaging/errors';
import { consumeQueueBatch } from '../../../utils/messaging/queue-consumer';
import { lambdaContext } from '../../support/lambda-context';
import { sqsBatch, sqsRecord } from '../../support/sqs-events';

const sqs = mockClient(SQSClient);
const DLQ = 'https://sqs.eu-west-1.amazonaws.com/000000000000/junction-analytics-dlq';

function deadLetter(maxReceiveCount = 5) {
  return { queueUrl: DLQ, maxReceiveCount, client: new SQSClient({ region: 'eu-west-1' }) };
}

describe('consumeQueueBatch', () => {
  beforeEach(() => {
    sqs.reset();
    sqs.on(SendMessageCommand).resolves({ MessageId: 'dlq-1' });
  });

  it('reports no failures when every record succeeds', async () => {
    const handled: string[] = [];
    const result = await consumeQueueBatch(
      sqsBatch(sqsRecord({ messageId: 'a' }), sqsRecord({ messageId: 'b' })),
      lambdaContext(),
      async (record) => {
        handled.push(record.messageId);
      },
      deadLetter(),
    );
    expect(result).toEqual({ batchItemFailures: [] });
    expect(handled).toEqual(['a', 'b']);
  });

  it('reports only the record that failed, so SQS retries only that one', async () => {
    const result = await consumeQueueBatch(
      sqsBatch(sqsRecord({ messageId: 'ok' }), sqsRecord({ messageId: 'flaky' })),
      lambdaContext(),
      async (record) => {
        if (record.messageId === 'flaky') throw new Error('provider timeout');
      },
      deadLetter(),
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'flaky' }] });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 0);
  });

  it('dead-letters an invalid event at once, with the reason, and does not retry it', async () => {
    const result = await consumeQueueBatch(
      sqsBatch(sqsRecord({ messageId: 'poison', body: 'not json' })),
      lambdaContext('analytics-consumer'),
      async () => {
        throw new InvalidEventError('Unknown event type "order.teleported"', 'UNKNOWN_EVENT_TYPE');
      },
      deadLetter(),
    );

    expect(result).toEqual({ batchItemFailures: [] });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    const input = sqs.commandCalls(SendMessageCommand)[0]?.args[0].input;
    expect(input?.QueueUrl).toBe(DLQ);
    expect(input?.MessageBody).toBe('not json');
    expect(input?.MessageAttributes?.['junction.error_code']).toEqual({
      DataType: 'String',
      StringValue: 'UNKNOWN_EVENT_TYPE',
    });
    const reason = JSON.parse(input?.MessageAttributes?.['junction.dead_letter_reason']?.StringValue ?? '{}');
    expect(reason).toMatchObject({
      error_code: 'UNKNOWN_EVENT_TYPE',
      error_message: 'Unknown event type "order.teleported"',
      message_id: 'poison',
      receive_count: 1,
      source_queue_arn: 'arn:aws:sqs:eu-west-1:000000000000:junction-analytics',
      function_name: 'analytics-consumer',
    });
  });

  it('dead-letters a transient failure on its last allowed receive, with the reason', async () => {
    const result = await consumeQueueBatch(
      sqsBatch(sqsRecord({ messageId: 'tired', receiveCount: 5 })),
      lambdaContext(),
      async () => {
        throw new Error('provider timeout');
      },
      deadLetter(5),
    );
    expect(result).toEqual({ batchItemFailures: [] });
    const reason = JSON.parse(
      sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageAttributes?.[
        'junction.dead_letter_reason'
      ]?.StringValue ?? '{}',
    );
    expect(reason).toMatchObject({
      error_code: 'Error',
      error_message: 'provider timeout',
      receive_count: 5,
    });
  });

  it('keeps the record on the queue when it cannot reach the DLQ, so the redrive policy still catches it', async () => {
    sqs.on(SendMessageCommand).rejects(new Error('DLQ unreachable'));
    const result = await consumeQueueBatch(
      sqsBatch(sqsRecord({ messageId: 'poison' }), sqsRecord({ messageId: 'ok' })),
      lambdaContext(),
      async (record) => {
        if (record.messageId === 'poison') throw new InvalidEventError('bad');
      },
      deadLetter(),
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'poison' }] });
  });

  it('never writes personal data into the reason', async () => {
    await consumeQueueBatch(
      sqsBatch(sqsRecord()),
      lambdaContext(),
      async () => {
        throw new InvalidEventError('customer ada@example.com is invalid');
      },
      deadLetter(),
    );
    const attributes = sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageAttributes;
    expect(attributes?.['junction.dead_letter_reason']?.StringValue).not.toContain('ada@example.com');
  });
});

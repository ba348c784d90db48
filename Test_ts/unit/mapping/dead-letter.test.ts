import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { compileMapping } from '../../../utils/mapping/compile';
import { consumeQueueBatch } from '../../../utils/messaging/queue-consumer';
import { lambdaContext } from '../../support/lambda-context';
import { sqsBatch, sqsRecord } from '../../support/sqs-events';

const sqs = mockClient(SQSClient);
const DLQ = 'https://sqs.eu-west-1.amazonaws.com/000000000000/junction-invoices-dlq';

const invoiceLines = compileMapping({
  mapping: 'order.to.lines',
  version: '1.0',
  transformations: [
    { source: 'order.items[*]', target: 'lines[*].amount', type: 'array', formula: 'unit_amount * quantity' },
  ],
});

// A record the mapping cannot map is never retried and never half-delivered: it goes to the DLQ with why.
describe('a record that cannot be mapped', () => {
  beforeEach(() => {
    sqs.reset();
    sqs.on(SendMessageCommand).resolves({ MessageId: 'dlq-1' });
  });

  it('is dead-lettered at once, with the field and the reason', async () => {
    const delivered: unknown[] = [];
    const body = JSON.stringify({
      order: { items: [{ unit_amount: 100, quantity: 1 }, { unit_amount: 100 }] },
    });
    const result = await consumeQueueBatch(
      sqsBatch(sqsRecord({ messageId: 'm-1', body })),
      lambdaContext('invoice-consumer'),
      async (record) => {
        delivered.push(invoiceLines.map(JSON.parse(record.body)));
      },
      { queueUrl: DLQ, maxReceiveCount: 5, client: new SQSClient({ region: 'eu-west-1' }) },
    );

    expect(result).toEqual({ batchItemFailures: [] });
    expect(delivered).toEqual([]);
    const input = sqs.commandCalls(SendMessageCommand)[0]?.args[0].input;
    expect(input?.QueueUrl).toBe(DLQ);
    const reason = JSON.parse(input?.MessageAttributes?.['junction.dead_letter_reason']?.StringValue ?? '{}');
    expect(reason).toMatchObject({ error_code: 'MAPPING_FAILED', message_id: 'm-1' });
    expect(reason.error_message).toContain('order.items[1].quantity');
  });
});

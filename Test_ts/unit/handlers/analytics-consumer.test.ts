import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { sampleJson } from '../../support/api-events';
import { lambdaContext } from '../../support/lambda-context';
import { sqsBatch, sqsRecord } from '../../support/sqs-events';

const dynamo = mockClient(DynamoDBClient);
const sqs = mockClient(SQSClient);

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let handler: Handler;

beforeAll(async () => {
  process.env.IDEMPOTENCY_TABLE_NAME = 'junction-idempotency';
  process.env.DEAD_LETTER_QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/000000000000/analytics-dlq';
  process.env.MAX_RECEIVE_COUNT = '5';
  ({ handler } = (await import('../../../functions/consumers/analytics-consumer')) as unknown as {
    handler: Handler;
  });
});

beforeEach(() => {
  dynamo.reset();
  sqs.reset();
  dynamo.on(PutItemCommand).resolves({});
  dynamo.on(UpdateItemCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
});

describe('analytics consumer', () => {
  it('processes the sample batch, one idempotency record per event', async () => {
    const result = await handler(
      sampleJson<SQSEvent>('sqs/analytics-batch.json'),
      lambdaContext('analytics'),
    );
    expect(result).toEqual({ batchItemFailures: [] });
    const keys = dynamo.commandCalls(PutItemCommand).map((call) => call.args[0].input.Item?.id?.S);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 0);
  });

  it('dead-letters an event of an unknown type with the reason, and reports no failure for it', async () => {
    const event = sampleJson<{ detail: Record<string, unknown> }>('eventbridge/order-created.json');
    const body = JSON.stringify({
      ...event,
      'detail-type': 'order.teleported',
      detail: { ...event.detail, type: 'order.teleported' },
    });
    const result = await handler(
      sqsBatch(sqsRecord({ messageId: 'unknown', body })),
      lambdaContext('analytics'),
    );

    expect(result).toEqual({ batchItemFailures: [] });
    const attributes = sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageAttributes;
    expect(attributes?.['junction.error_code']?.StringValue).toBe('UNKNOWN_EVENT_TYPE');
  });

  it('records an order.created 1.0 event, upcast to the 1.1 it is written for', async () => {
    const body = JSON.stringify(sampleJson('eventbridge/order-created-1.0.json'));
    const result = await handler(
      sqsBatch(sqsRecord({ messageId: 'v1-0', body })),
      lambdaContext('analytics'),
    );

    expect(result).toEqual({ batchItemFailures: [] });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 0);
    // The stored idempotency result is what the consumer computed from the upcast event: the
    // summary and the measurement event mapped by the order.to.analytics spec.
    const stored = dynamo.commandCalls(UpdateItemCommand)[0]?.args[0].input.ExpressionAttributeValues;
    expect(stored?.[':response_data']?.M?.summary?.M).toMatchObject({
      order_id: { S: 'ord-5b2d9c1e-7a3f-8e4d-b6c2-1f0e9d8c7b6a' },
      channel: { S: 'api' },
      total_amount: { N: '6100' },
    });
    expect(stored?.[':response_data']?.M?.measurement?.M?.client_id).toEqual({ S: 'cus-1001' });
  });

  it('dead-letters a known event type it does not consume, with the reason', async () => {
    const body = JSON.stringify(sampleJson('eventbridge/customer-updated.json'));
    const result = await handler(sqsBatch(sqsRecord({ messageId: 'crm', body })), lambdaContext('analytics'));

    expect(result).toEqual({ batchItemFailures: [] });
    const attributes = sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageAttributes;
    expect(attributes?.['junction.error_code']?.StringValue).toBe('UNEXPECTED_EVENT_TYPE');
  });

  it('reports a record for redelivery when its idempotency record cannot be written', async () => {
    dynamo.on(PutItemCommand).rejects(new Error('ProvisionedThroughputExceeded'));
    const result = await handler(sqsBatch(sqsRecord({ messageId: 'later' })), lambdaContext('analytics'));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'later' }] });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 0);
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { EventPublisher } from '../../../utils/events/publisher';
import { EventPublishError } from '../../../utils/http/errors';
import { dynamoDbPersistence } from '../../../utils/idempotency/store';
import { OrderIntake } from '../../../utils/orders/intake';
import { OrderRequestSchema } from '../../../utils/orders/order-request';
import { lambdaContext } from '../../support/lambda-context';

const dynamo = mockClient(DynamoDBClient);
const eventBridge = mockClient(EventBridgeClient);
const order = OrderRequestSchema.parse(
  JSON.parse(readFileSync(path.join(__dirname, '../../../events/api/post-order.json'), 'utf8')),
);
const correlation = {
  correlationId: 'corr-1',
  causationId: 'req-1',
  requestId: 'req-1',
  clientId: 'client-a',
  userId: 'client-a',
  rejectedCorrelationId: false,
};

function intake(): OrderIntake {
  return new OrderIntake({
    publisher: new EventPublisher(new EventBridgeClient({ region: 'eu-west-1' }), 'junction-bus'),
    persistenceStore: dynamoDbPersistence('idempotency', new DynamoDBClient({ region: 'eu-west-1' })),
  });
}

describe('OrderIntake', () => {
  beforeEach(() => {
    dynamo.reset();
    eventBridge.reset();
    dynamo.on(PutItemCommand).resolves({});
    dynamo.on(UpdateItemCommand).resolves({});
    dynamo.on(DeleteItemCommand).resolves({});
  });

  it('records the key, publishes order.created once and completes the record', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'eb-1' }] });

    const accepted = await intake().accept(
      { order, idempotencyKey: 'key-0001', correlation },
      lambdaContext(),
    );

    expect(accepted.order_id).toMatch(/^ord-/);
    expect(accepted.event_id).toMatch(/^evt-/);
    expect(accepted.replayed).toBe(false);
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    const detail = JSON.parse(
      eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]?.Detail ?? '',
    );
    expect(detail).toMatchObject({
      id: accepted.event_id,
      type: 'order.created',
      version: '1.2',
      data: { order_id: accepted.order_id, total_amount: 6100, channel: 'api' },
      metadata: { correlation_id: 'corr-1', causation_id: 'req-1', user_id: 'client-a' },
    });
    expect(dynamo).toHaveReceivedCommandTimes(PutItemCommand, 1);
    expect(dynamo).toHaveReceivedCommandTimes(UpdateItemCommand, 1);
  });

  it('scopes the idempotency key to the calling client', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'eb-1' }] });

    const a = await intake().accept({ order, idempotencyKey: 'key-0001', correlation }, lambdaContext());
    const b = await intake().accept(
      { order, idempotencyKey: 'key-0001', correlation: { ...correlation, clientId: 'client-b' } },
      lambdaContext(),
    );

    expect(a.order_id).not.toBe(b.order_id);
    const keys = dynamo.commandCalls(PutItemCommand).map((call) => call.args[0].input.Item?.id?.S);
    expect(new Set(keys).size).toBe(2);
  });

  it('releases the key when publishing fails, so the client can retry with it', async () => {
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }],
    });

    await expect(
      intake().accept({ order, idempotencyKey: 'key-0001', correlation }, lambdaContext()),
    ).rejects.toThrow(EventPublishError);
    expect(dynamo).toHaveReceivedCommandTimes(DeleteItemCommand, 1);
    expect(dynamo).toHaveReceivedCommandTimes(UpdateItemCommand, 0);
  });
});

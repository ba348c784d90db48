import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { postOrderEvent, sampleJson } from '../support/api-events';
import { type RunningDynalite, startDynalite } from '../support/dynalite';
import { lambdaContext } from '../support/lambda-context';
import { type RecordingEventBus, startRecordingEventBus } from '../support/recording-event-bus';

// The ingest-order handler against a real DynamoDB implementation (dynalite) through the real
// SDK; PutEvents goes over HTTP to a recording stand-in of EventBridge.

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const TABLE = 'junction-idempotency';
let dynamo: RunningDynalite;
let bus: RecordingEventBus;
let handler: Handler;

beforeAll(async () => {
  dynamo = await startDynalite();
  bus = await startRecordingEventBus();
  await dynamo.createIdempotencyTable(TABLE);
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = bus.endpoint;
  process.env.EVENT_BUS_NAME = 'junction-bus';
  process.env.IDEMPOTENCY_TABLE_NAME = TABLE;
  ({ handler } = (await import('../../functions/api/ingest-order')) as unknown as { handler: Handler });
});

afterAll(async () => {
  await dynamo?.stop();
  await bus?.stop();
  delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
  delete process.env.AWS_ENDPOINT_URL_EVENTBRIDGE;
});

beforeEach(() => {
  bus.accepted.length = 0;
});

async function post(key: string, options: { body?: string; clientId?: string } = {}) {
  const event = postOrderEvent({
    headers: { 'Idempotency-Key': key },
    body: options.body,
    clientId: options.clientId,
  });
  const response = await handler(event, lambdaContext('ingest-order'));
  return { ...response, json: JSON.parse(response.body) as Record<string, unknown> };
}

describe('order intake idempotency (dynalite)', () => {
  it('puts one event for the same key sent twice, and answers both with the same order', async () => {
    const first = await post('key-same-twice-0001');
    const second = await post('key-same-twice-0001');

    expect(first.statusCode).toBe(202);
    expect(second.statusCode).toBe(202);
    expect(second.json.order_id).toBe(first.json.order_id);
    expect(second.json.event_id).toBe(first.json.event_id);
    expect(first.headers?.['Idempotent-Replayed']).toBeUndefined();
    expect(second.headers?.['Idempotent-Replayed']).toBe('true');
    expect(bus.accepted).toHaveLength(1);
    expect(JSON.parse(bus.accepted[0]?.Detail ?? '{}').data.order_id).toBe(first.json.order_id);
  });

  it('rejects the same key with another body, and publishes nothing for it', async () => {
    const order = sampleJson<{ items: unknown[] }>('api/post-order.json');
    const first = await post('key-other-body-0001');
    const other = await post('key-other-body-0001', {
      body: JSON.stringify({ ...order, items: order.items.slice(1) }),
    });

    expect(first.statusCode).toBe(202);
    expect(other.statusCode).toBe(422);
    expect(other.json).toMatchObject({ success: false, error_code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(bus.accepted).toHaveLength(1);
  });

  it('keeps the keys of different clients apart', async () => {
    const a = await post('key-two-clients-0001', { clientId: 'client-a' });
    const b = await post('key-two-clients-0001', { clientId: 'client-b' });

    expect(a.json.order_id).not.toBe(b.json.order_id);
    expect(bus.accepted).toHaveLength(2);
  });

  it('lets the client retry with the same key after the bus rejected the event', async () => {
    bus.failNext(1);
    const failed = await post('key-retry-after-failure-0001');
    const retried = await post('key-retry-after-failure-0001');

    expect(failed.statusCode).toBe(503);
    expect(retried.statusCode).toBe(202);
    expect(retried.headers?.['Idempotent-Replayed']).toBeUndefined();
    expect(bus.accepted).toHaveLength(1);
  });

  it('stores completed records with a TTL in the expiration attribute', async () => {
    await post('key-record-shape-0001');
    const { Items = [] } = await dynamo.client.send(new ScanCommand({ TableName: TABLE }));
    const completed = Items.filter((item) => item.status?.S === 'COMPLETED');
    expect(completed.length).toBeGreaterThan(0);
    for (const item of completed) {
      expect(Number(item.expiration?.N)).toBeGreaterThan(Date.now() / 1000);
      expect(item.validation?.S).toEqual(expect.any(String));
    }
  });
});

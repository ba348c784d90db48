import {
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { tracer } from '../../../utils/observability/powertools';
import { postOrderEvent, sampleJson } from '../../support/api-events';
import { lambdaContext } from '../../support/lambda-context';

const dynamo = mockClient(DynamoDBClient);
const eventBridge = mockClient(EventBridgeClient);

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
let handler: Handler;

beforeAll(async () => {
  process.env.EVENT_BUS_NAME = 'junction-bus';
  process.env.IDEMPOTENCY_TABLE_NAME = 'junction-idempotency';
  ({ handler } = (await import('../../../functions/api/ingest-order')) as unknown as { handler: Handler });
});

beforeEach(() => {
  dynamo.reset();
  eventBridge.reset();
  dynamo.on(PutItemCommand).resolves({});
  dynamo.on(UpdateItemCommand).resolves({});
  dynamo.on(DeleteItemCommand).resolves({});
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'eb-1' }] });
});

async function invoke(event: APIGatewayProxyEvent) {
  const response = await handler(event, lambdaContext('ingest-order'));
  return { ...response, json: JSON.parse(response.body) as Record<string, unknown> };
}

function expectStandardError(json: Record<string, unknown>, code: string, requestId = 'req-8d3b1f2a') {
  expect(json).toMatchObject({ success: false, error_code: code, request_id: requestId });
  expect(typeof json.error_message).toBe('string');
  expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 0);
}

describe('POST /v1/orders', () => {
  it('accepts a valid order with 202, its ids and the correlation id', async () => {
    const response = await invoke(postOrderEvent());

    expect(response.statusCode).toBe(202);
    expect(response.json).toMatchObject({ success: true, status: 'accepted' });
    expect(response.json.order_id).toMatch(/^ord-/);
    expect(response.json.event_id).toMatch(/^evt-/);
    expect(response.json.timestamp).toEqual(expect.any(String));
    expect(response.headers?.['X-Correlation-Id']).toBe('c0ffee00-0000-4000-8000-000000000001');
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
  });

  it('annotates the trace with the order id, so X-Ray can find the order by it', async () => {
    const annotate = jest.spyOn(tracer, 'putAnnotation').mockImplementation(() => undefined);
    try {
      const response = await invoke(postOrderEvent());
      expect(annotate).toHaveBeenCalledWith('order_id', response.json.order_id);
    } finally {
      annotate.mockRestore();
    }
  });

  it('puts an order.created envelope whose metadata follows the request', async () => {
    await invoke(postOrderEvent());
    const entry = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({
      EventBusName: 'junction-bus',
      Source: 'junction.orders',
      DetailType: 'order.created',
    });
    expect(JSON.parse(entry?.Detail ?? '{}').metadata).toEqual({
      correlation_id: 'c0ffee00-0000-4000-8000-000000000001',
      causation_id: 'req-8d3b1f2a',
      user_id: 'demo-partner-client',
    });
  });

  it("puts order.created 1.2 from the API channel, with the customer's locale when the order has one", async () => {
    const order = sampleJson<{ customer: object }>('api/post-order.json');
    const body = JSON.stringify({ ...order, customer: { ...order.customer, locale: 'de-DE' } });
    await invoke(postOrderEvent({ body }));
    const detail = JSON.parse(
      eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]?.Detail ?? '{}',
    );
    expect(detail).toMatchObject({ version: '1.2', data: { channel: 'api', customer: { locale: 'de-DE' } } });
  });

  it('generates a correlation id when the caller sends none', async () => {
    const response = await invoke(postOrderEvent({ headers: { 'X-Correlation-Id': undefined } }));
    expect(response.headers?.['X-Correlation-Id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects malformed JSON', async () => {
    const response = await invoke(postOrderEvent({ body: '{"customer": ' }));
    expect(response.statusCode).toBe(400);
    expectStandardError(response.json, 'MALFORMED_JSON');
  });

  it('rejects a body that breaks the schema, naming the fields', async () => {
    const order = sampleJson<Record<string, unknown>>('api/post-order.json');
    const body = JSON.stringify({
      ...order,
      currency: 'euro',
      items: [{ sku: 'A-1', quantity: 0, unit_amount: 5 }],
    });
    const response = await invoke(postOrderEvent({ body }));
    expect(response.statusCode).toBe(400);
    expectStandardError(response.json, 'VALIDATION_FAILED');
    expect(response.json.error_message).toContain('currency');
    expect(response.json.error_message).toContain('items[0].quantity');
    expect(response.json.details).toEqual([
      { field: 'currency', message: expect.any(String) },
      { field: 'items[0].quantity', message: expect.any(String) },
    ]);
  });

  it('rejects a request without Idempotency-Key', async () => {
    const response = await invoke(postOrderEvent({ headers: { 'Idempotency-Key': undefined } }));
    expect(response.statusCode).toBe(400);
    expectStandardError(response.json, 'MISSING_IDEMPOTENCY_KEY');
  });

  it('rejects a malformed Idempotency-Key', async () => {
    const response = await invoke(postOrderEvent({ headers: { 'Idempotency-Key': 'bad key!' } }));
    expect(response.statusCode).toBe(400);
    expectStandardError(response.json, 'INVALID_IDEMPOTENCY_KEY');
  });

  it('rejects a body over the size limit with 413', async () => {
    const order = sampleJson<Record<string, unknown>>('api/post-order.json');
    const body = JSON.stringify({ ...order, padding: 'x'.repeat(70_000) });
    const response = await invoke(postOrderEvent({ body }));
    expect(response.statusCode).toBe(413);
    expectStandardError(response.json, 'PAYLOAD_TOO_LARGE');
  });

  it('rejects a body that is not JSON with 415', async () => {
    const response = await invoke(postOrderEvent({ headers: { 'Content-Type': 'text/plain' } }));
    expect(response.statusCode).toBe(415);
    expectStandardError(response.json, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 503 with Retry-After when the bus rejects the event, and releases the key', async () => {
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }],
    });
    const response = await invoke(postOrderEvent());
    expect(response.statusCode).toBe(503);
    expect(response.json).toMatchObject({ success: false, error_code: 'EVENT_PUBLISH_FAILED' });
    expect(response.headers?.['Retry-After']).toBe('1');
    expect(dynamo).toHaveReceivedCommandTimes(DeleteItemCommand, 1);
  });

  it('answers 500 in the standard format, without details, when something unexpected fails', async () => {
    dynamo.on(PutItemCommand).rejects(new Error('socket hang up'));
    const response = await invoke(postOrderEvent());
    expect(response.statusCode).toBe(500);
    expect(response.json).toEqual({
      success: false,
      error_code: 'INTERNAL_ERROR',
      error_message: 'An unexpected error occurred',
      request_id: 'req-8d3b1f2a',
    });
  });
});

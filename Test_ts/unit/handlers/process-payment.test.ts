import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';
import { chargeBody } from '../../support/connectors';
import { lambdaContext } from '../../support/lambda-context';
import { postPaymentEvent } from '../../support/payment-events';
import { ScriptedServer } from '../../support/scripted-server';

// The handler as Lambda loads it, on a fresh module registry per test (so no secret or circuit
// state is cached from an earlier test): DynamoDB and Secrets Manager mocked, the provider a real
// HTTP server.

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type DynamoModule = typeof import('@aws-sdk/client-dynamodb');
type SecretsModule = typeof import('@aws-sdk/client-secrets-manager');

const IDEMPOTENCY_TABLE = 'junction-idempotency';
const CIRCUIT_TABLE = 'junction-circuits';
const SECRET_ID = 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:payment-credentials-AbCdEf';
const API_KEY = 'sk_test_from_secret';

let provider: ScriptedServer;
let ddb: DynamoModule;
let sm: SecretsModule;
// biome-ignore lint/suspicious/noExplicitAny: the stubs' client types come from a module loaded per test
let dynamo: AwsStub<any, any, any>;
// biome-ignore lint/suspicious/noExplicitAny: as above
let secrets: AwsStub<any, any, any>;
let handler: Handler;

const charge = chargeBody({ id: 'ch_3Phandler' });

beforeAll(async () => {
  provider = await new ScriptedServer({ status: 200, body: charge }).start();
  Object.assign(process.env, {
    IDEMPOTENCY_TABLE_NAME: IDEMPOTENCY_TABLE,
    CIRCUIT_TABLE_NAME: CIRCUIT_TABLE,
    PAYMENT_SECRET_ID: SECRET_ID,
    PAYMENT_BASE_URL: provider.url,
  });
});

afterAll(async () => {
  for (const name of [
    'IDEMPOTENCY_TABLE_NAME',
    'CIRCUIT_TABLE_NAME',
    'PAYMENT_SECRET_ID',
    'PAYMENT_BASE_URL',
  ]) {
    delete process.env[name];
  }
  await provider?.stop();
});

beforeEach(async () => {
  provider.reset();
  jest.resetModules();
  ddb = await import('@aws-sdk/client-dynamodb');
  sm = await import('@aws-sdk/client-secrets-manager');
  dynamo = mockClient(ddb.DynamoDBClient);
  secrets = mockClient(sm.SecretsManagerClient);
  dynamo.on(ddb.PutItemCommand).resolves({});
  dynamo.on(ddb.UpdateItemCommand).resolves({});
  dynamo.on(ddb.DeleteItemCommand).resolves({});
  dynamo.on(ddb.GetItemCommand).resolves({});
  secrets.on(sm.GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ api_key: API_KEY }) });
  ({ handler } = (await import('../../../functions/api/process-payment')) as unknown as { handler: Handler });
});

afterEach(() => {
  dynamo.restore();
  secrets.restore();
});

async function invoke(event: APIGatewayProxyEvent = postPaymentEvent()) {
  const response = await handler(event, lambdaContext('process-payment'));
  return { ...response, json: JSON.parse(response.body) as Record<string, unknown> };
}

function expectStandardError(json: Record<string, unknown>, code: string) {
  expect(json).toMatchObject({ success: false, error_code: code, request_id: 'req-5e7c2d1b' });
  expect(typeof json.error_message).toBe('string');
}

/** The idempotency record the first invocation completed, as DynamoDB would answer it to a repeat. */
function storedRecord(): Record<string, AttributeValue> {
  const put = dynamo.commandCalls(ddb.PutItemCommand)[0]?.args[0].input;
  const update = dynamo
    .commandCalls(ddb.UpdateItemCommand)
    .find((call) => call.args[0].input.TableName === IDEMPOTENCY_TABLE)?.args[0].input;
  const values = update?.ExpressionAttributeValues ?? {};
  const record = {
    id: put?.Item?.id,
    expiration: values[':expiry'],
    status: values[':status'],
    data: values[':response_data'],
    validation: values[':validation_key'],
  };
  for (const [name, value] of Object.entries(record)) {
    if (value === undefined) throw new Error(`The first invocation stored no ${name}`);
  }
  return record as Record<string, AttributeValue>;
}

describe('POST /api/v1/integrations/payment/process', () => {
  it('charges once and answers 200 with the completed payment', async () => {
    const response = await invoke();

    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({
      success: true,
      transaction_id: 'txn-123',
      status: 'completed',
      charge_id: 'ch_3Phandler',
      amount: 6100,
      currency: 'EUR',
      timestamp: expect.any(String),
    });
    expect(response.headers?.['X-Correlation-Id']).toBe('c0ffee00-0000-4000-8000-000000000001');
    expect(response.headers?.['Idempotent-Replayed']).toBeUndefined();
    expect(provider.received).toHaveLength(1);
    expect(provider.received[0]?.headers).toMatchObject({
      authorization: `Bearer ${API_KEY}`,
      'idempotency-key': 'payment:demo-partner-client:txn-123',
    });
    expect(secrets).toHaveReceivedCommandWith(sm.GetSecretValueCommand, { SecretId: SECRET_ID });
    expect(dynamo).toHaveReceivedCommandWith(ddb.PutItemCommand, { TableName: IDEMPOTENCY_TABLE });
    expect(dynamo).toHaveReceivedCommandWith(ddb.GetItemCommand, {
      TableName: CIRCUIT_TABLE,
      Key: { provider: { S: 'payment' } },
    });
  });

  it('answers a repeat of the transaction from the stored result with Idempotent-Replayed, without charging', async () => {
    const first = await invoke();
    dynamo.on(ddb.PutItemCommand).rejects(
      new ddb.ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        Item: storedRecord(),
      }),
    );
    const again = await invoke();

    expect(again.statusCode).toBe(200);
    expect(again.headers?.['Idempotent-Replayed']).toBe('true');
    expect({ ...again.json, timestamp: undefined }).toEqual({ ...first.json, timestamp: undefined });
    expect(provider.received).toHaveLength(1);
  });

  it('answers 422 when the transaction id comes back with another body', async () => {
    await invoke();
    dynamo.on(ddb.PutItemCommand).rejects(
      new ddb.ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        Item: storedRecord(),
      }),
    );
    const response = await invoke(postPaymentEvent({ payment: { amount: 9900 } }));

    expect(response.statusCode).toBe(422);
    expectStandardError(response.json, 'IDEMPOTENCY_KEY_REUSED');
    expect(response.json.error_message).toContain('txn-123');
    expect(provider.received).toHaveLength(1);
  });

  it.each([0, -100])('answers 400 INVALID_AMOUNT for the amount %d, touching nothing', async (amount) => {
    const response = await invoke(postPaymentEvent({ payment: { amount } }));

    expect(response.statusCode).toBe(400);
    expectStandardError(response.json, 'INVALID_AMOUNT');
    expect(response.json.error_message).toBe('Amount must be positive');
    expect(dynamo).toHaveReceivedCommandTimes(ddb.PutItemCommand, 0);
    expect(provider.received).toHaveLength(0);
  });

  it('answers 400 INVALID_CURRENCY for a code that is no ISO 4217 currency', async () => {
    const response = await invoke(postPaymentEvent({ payment: { currency: 'XYZ' } }));
    expect(response.statusCode).toBe(400);
    expectStandardError(response.json, 'INVALID_CURRENCY');
  });

  it('answers 400 VALIDATION_FAILED for a malformed transaction id, naming the field', async () => {
    const response = await invoke(postPaymentEvent({ payment: { transaction_id: 'txn 123' } }));
    expect(response.statusCode).toBe(400);
    expectStandardError(response.json, 'VALIDATION_FAILED');
    expect(response.json.details).toEqual([{ field: 'transaction_id', message: expect.any(String) }]);
  });

  it('answers 400 MALFORMED_JSON for a body that is not JSON', async () => {
    const response = await invoke(postPaymentEvent({ body: '{"transaction_id": ' }));
    expect(response.statusCode).toBe(400);
    expectStandardError(response.json, 'MALFORMED_JSON');
  });

  it('answers 402 PAYMENT_DECLINED with the decline code, and nothing of the card', async () => {
    provider.reply({
      status: 402,
      body: {
        error: {
          type: 'card_error',
          code: 'card_declined',
          decline_code: 'stolen_card',
          message: 'Your card was declined.',
          charge: 'ch_declined',
        },
      },
    });
    const response = await invoke(postPaymentEvent({ payment: { source: 'tok_chargeDeclinedStolenCard' } }));

    expect(response.statusCode).toBe(402);
    expectStandardError(response.json, 'PAYMENT_DECLINED');
    expect(response.json.error_message).toBe('The payment was declined (stolen_card)');
    expect(response.json.decline_reason).toBe('stolen_card');
    expect(response.body).not.toContain('tok_');
  });

  it('answers 503 PROVIDER_UNAVAILABLE with Retry-After while the circuit is open, calling no provider', async () => {
    dynamo.on(ddb.GetItemCommand, { TableName: CIRCUIT_TABLE }).resolves({
      Item: {
        provider: { S: 'payment' },
        state: { S: 'open' },
        failure_count: { N: '5' },
        window_started_at: { N: String(Date.now() - 20_000) },
        opened_at: { N: String(Date.now() - 10_000) },
        version: { N: '4' },
      },
    });
    const response = await invoke();

    expect(response.statusCode).toBe(503);
    expectStandardError(response.json, 'PROVIDER_UNAVAILABLE');
    expect(Number(response.headers?.['Retry-After'])).toBeGreaterThanOrEqual(19);
    expect(Number(response.headers?.['Retry-After'])).toBeLessThanOrEqual(20);
    expect(provider.received).toHaveLength(0);
    // Nothing was charged, so the transaction may be tried again.
    expect(dynamo).toHaveReceivedCommandWith(ddb.DeleteItemCommand, { TableName: IDEMPOTENCY_TABLE });
  });

  it('answers 500 without naming the secret value when the credentials cannot be read', async () => {
    secrets.on(sm.GetSecretValueCommand).rejects(new Error('AccessDeniedException'));
    const response = await invoke();

    expect(response.statusCode).toBe(500);
    expect(response.json).toEqual({
      success: false,
      error_code: 'INTERNAL_ERROR',
      error_message: 'An unexpected error occurred',
      request_id: 'req-5e7c2d1b',
    });
    expect(provider.received).toHaveLength(0);
  });
});

import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  GetSecretValueCommand,
  InternalServiceError,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { sampleJson } from '../../support/api-events';
import { type RunningDynalite, startDynalite } from '../../support/dynalite';
import { lambdaContext } from '../../support/lambda-context';
import { sendGridHeaders, stripeSignature, unixNow, webhookEvent } from '../../support/webhooks';

// POST /v1/webhooks/{provider}: Secrets Manager and EventBridge mocked with aws-sdk-client-mock,
// the idempotency table in dynalite (a real DynamoDB implementation).

const PAYMENT_ARN = 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:PaymentSigningSecret-AbCdEf';
const EMAIL_ARN = 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:EmailSigningSecret-GhIjKl';
const TABLE = 'webhook-handler-idempotency';

const secretsManager = mockClient(SecretsManagerClient);
const eventBridge = mockClient(EventBridgeClient);

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
let handler: Handler;
let dynamo: RunningDynalite;
const written: string[] = [];
let secrets: Record<string, { AWSCURRENT?: string; AWSPREVIOUS?: string }> = {};

beforeAll(async () => {
  dynamo = await startDynalite();
  await dynamo.createIdempotencyTable(TABLE);
  // Every log line is kept, to show no secret ever reaches one.
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    });
  }
  Object.assign(process.env, {
    POWERTOOLS_LOG_LEVEL: 'DEBUG',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    EVENT_BUS_NAME: 'junction-bus',
    IDEMPOTENCY_TABLE_NAME: TABLE,
    PAYMENT_WEBHOOK_SECRET_ARN: PAYMENT_ARN,
    EMAIL_WEBHOOK_SECRET_ARN: EMAIL_ARN,
    // No caching here: tests change the secrets between requests.
    WEBHOOK_SECRET_MAX_AGE_SECONDS: '0',
  });
  ({ handler } = (await import('../../../functions/api/receive-webhook')) as unknown as { handler: Handler });
});

afterAll(async () => {
  jest.restoreAllMocks();
  await dynamo?.stop();
  delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

beforeEach(() => {
  secretsManager.reset();
  eventBridge.reset();
  secrets = {
    [PAYMENT_ARN]: { AWSCURRENT: 'whsec_handler_current' },
    [EMAIL_ARN]: { AWSCURRENT: 'sg-shared-secret' },
  };
  secretsManager.on(GetSecretValueCommand).callsFake((input: { SecretId: string; VersionStage?: string }) => {
    const stage = (input.VersionStage ?? 'AWSCURRENT') as 'AWSCURRENT' | 'AWSPREVIOUS';
    const value = secrets[input.SecretId]?.[stage];
    if (value === undefined)
      throw new ResourceNotFoundException({ message: `No value for staging label ${stage}`, $metadata: {} });
    return { ARN: input.SecretId, SecretString: value };
  });
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'eb-1' }] });
});

const charge = (id: string) =>
  JSON.stringify({ ...sampleJson<Record<string, unknown>>('webhooks/stripe-charge-succeeded.json'), id });

function signedPayment(body: string, options: { secret?: string; t?: number; base64?: boolean } = {}) {
  const signature = stripeSignature(options.secret ?? 'whsec_handler_current', body, options.t);
  return webhookEvent({ body, headers: { 'Stripe-Signature': signature }, base64: options.base64 });
}

async function invoke(event: APIGatewayProxyEvent) {
  const response = await handler(event, lambdaContext('receive-webhook'));
  return { ...response, json: JSON.parse(response.body) as Record<string, unknown> };
}

const detailTypes = () =>
  eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries?.[0]?.DetailType);

function expectRefused(response: Awaited<ReturnType<typeof invoke>>, status: number, code: string): void {
  expect(response.statusCode).toBe(status);
  expect(response.json).toMatchObject({
    success: false,
    error_code: code,
    error_message: expect.any(String),
    request_id: 'req-webhook-1',
  });
  expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 0);
}

describe('POST /v1/webhooks/{provider}', () => {
  it('answers a valid payment webhook with 200 in the standard format and puts payment.succeeded', async () => {
    const response = await invoke(signedPayment(charge('evt_handler_valid')));
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({
      success: true,
      received: true,
      event_id: 'evt_handler_valid',
      events: [
        {
          provider_event_id: 'evt_handler_valid',
          provider_type: 'charge.succeeded',
          outcome: 'published',
          event_id: expect.stringMatching(/^evt-/),
          type: 'payment.succeeded',
        },
      ],
      timestamp: expect.any(String),
    });
    const entry = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({
      EventBusName: 'junction-bus',
      Source: 'junction.payments',
      DetailType: 'payment.succeeded',
    });
    expect(JSON.parse(entry?.Detail ?? '{}').metadata).toEqual({
      correlation_id: 'c0ffee00-0000-4000-8000-000000000001',
      causation_id: 'evt_handler_valid',
    });
  });

  it('verifies the raw bytes of a base64-encoded body', async () => {
    const response = await invoke(signedPayment(charge('evt_handler_base64'), { base64: true }));
    expect(response.statusCode).toBe(200);
    expect(detailTypes()).toEqual(['payment.succeeded']);
  });

  it('answers a redelivery with 200 and puts nothing new', async () => {
    const first = await invoke(signedPayment(charge('evt_handler_twice')));
    const again = await invoke(signedPayment(charge('evt_handler_twice'), { t: unixNow() + 1 }));
    expect([first.statusCode, again.statusCode]).toEqual([200, 200]);
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    expect(again.json.events).toEqual([
      expect.objectContaining({
        outcome: 'duplicate',
        event_id: (first.json.events as { event_id: string }[])[0]?.event_id,
      }),
    ]);
  });

  it('refuses a tampered body with 400 INVALID_SIGNATURE', async () => {
    const event = signedPayment(charge('evt_handler_tampered'));
    const response = await invoke({ ...event, body: (event.body ?? '').replace('6100', '1') });
    expectRefused(response, 400, 'INVALID_SIGNATURE');
    expect(response.json.error_message).toBe(
      'No v1 signature in the Stripe-Signature header matches the payload',
    );
  });

  it('refuses a tampered signature, and a missing one', async () => {
    const event = signedPayment(charge('evt_handler_forged'));
    const signature = event.headers['Stripe-Signature'] ?? '';
    const forged = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;
    expectRefused(
      await invoke({ ...event, headers: { ...event.headers, 'Stripe-Signature': forged } }),
      400,
      'INVALID_SIGNATURE',
    );
    const unsigned = await invoke(
      webhookEvent({ body: charge('evt_handler_forged'), headers: { 'Stripe-Signature': undefined } }),
    );
    expectRefused(unsigned, 400, 'INVALID_SIGNATURE');
    expect(unsigned.json.error_message).toBe('The Stripe-Signature header is missing');
  });

  it('refuses a stale signature and one from the future with 400 STALE_SIGNATURE_TIMESTAMP', async () => {
    const stale = await invoke(signedPayment(charge('evt_handler_stale'), { t: unixNow() - 400 }));
    expectRefused(stale, 400, 'STALE_SIGNATURE_TIMESTAMP');
    expect(stale.json.error_message).toMatch(
      /^The signature timestamp is \d+ s old; the tolerance is 300 s$/,
    );
    const future = await invoke(signedPayment(charge('evt_handler_future'), { t: unixNow() + 400 }));
    expectRefused(future, 400, 'STALE_SIGNATURE_TIMESTAMP');
    expect(future.json.error_message).toMatch(/in the future/);
  });

  it('accepts deliveries signed with the previous secret while a rotation settles', async () => {
    secrets[PAYMENT_ARN] = { AWSCURRENT: 'whsec_rotated_new', AWSPREVIOUS: 'whsec_handler_current' };
    const old = await invoke(signedPayment(charge('evt_handler_rotation_1')));
    const fresh = await invoke(
      signedPayment(charge('evt_handler_rotation_2'), { secret: 'whsec_rotated_new' }),
    );
    expect([old.statusCode, fresh.statusCode]).toEqual([200, 200]);
    expect(detailTypes()).toEqual(['payment.succeeded', 'payment.succeeded']);
    eventBridge.resetHistory();
    secrets[PAYMENT_ARN] = { AWSCURRENT: 'whsec_rotated_new' };
    expectRefused(await invoke(signedPayment(charge('evt_handler_rotation_3'))), 400, 'INVALID_SIGNATURE');
  });
});

describe('POST /v1/webhooks/{provider}: refusals and failures', () => {
  it('refuses an unknown provider with 404 UNKNOWN_PROVIDER, without reading a secret', async () => {
    const response = await invoke(webhookEvent({ provider: 'paypal', body: charge('evt_handler_unknown') }));
    expectRefused(response, 404, 'UNKNOWN_PROVIDER');
    expect(response.json.error_message).toBe('Unknown webhook provider "paypal" (known: payment, email)');
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
  });

  it('refuses a signed body it cannot parse with 400 INVALID_BODY, naming the field', async () => {
    expectRefused(await invoke(signedPayment('{"id": "evt_')), 400, 'INVALID_BODY');
    const response = await invoke(signedPayment(JSON.stringify({ id: 'evt_no_type', object: 'event' })));
    expectRefused(response, 400, 'INVALID_BODY');
    expect(response.json.error_message).toMatch(/^Invalid payment webhook: type: /);
    expect((response.json.details as { field: string }[]).map((issue) => issue.field)).toEqual([
      'type',
      'created',
      'data',
    ]);
  });

  it('refuses a body over the limit with 413 before verifying anything', async () => {
    const response = await invoke(webhookEvent({ body: 'x'.repeat(256 * 1024 + 1) }));
    expectRefused(response, 413, 'PAYLOAD_TOO_LARGE');
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
  });

  it('acknowledges an event type Junction does not consume with 200, putting nothing', async () => {
    const body = JSON.stringify(sampleJson('webhooks/stripe-customer-created.json'));
    const response = await invoke(signedPayment(body));
    expect(response.statusCode).toBe(200);
    expect(response.json.events).toEqual([expect.objectContaining({ outcome: 'ignored' })]);
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 0);
  });

  it('receives a signed SendGrid batch on /v1/webhooks/email', async () => {
    const body = JSON.stringify(sampleJson('webhooks/sendgrid-events.json'));
    const response = await invoke(
      webhookEvent({ provider: 'email', body, headers: sendGridHeaders('sg-shared-secret', body) }),
    );
    expect(response.statusCode).toBe(200);
    expect(detailTypes()).toEqual(['email.bounced', 'email.dropped']);
  });

  it('answers 503 with Retry-After when the secret cannot be read, so the provider retries', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejects(new InternalServiceError({ message: 'down', $metadata: {} }));
    const response = await invoke(signedPayment(charge('evt_handler_no_secret')));
    expectRefused(response, 503, 'SERVICE_UNAVAILABLE');
    expect(response.headers?.['Retry-After']).toBe('1');
  });

  it('answers 503 when the bus refuses the event, and the retry publishes', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }],
      })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'eb-2' }] });
    const failed = await invoke(signedPayment(charge('evt_handler_bus_down')));
    expect(failed.statusCode).toBe(503);
    expect(failed.json.error_code).toBe('EVENT_PUBLISH_FAILED');
    const retried = await invoke(signedPayment(charge('evt_handler_bus_down')));
    expect(retried.statusCode).toBe(200);
    expect(retried.json.events).toEqual([expect.objectContaining({ outcome: 'published' })]);
  });

  it('never writes a signing secret to the logs', () => {
    const logs = written.join('');
    expect(logs).toContain('Webhook event ignored');
    for (const secret of ['whsec_handler_current', 'whsec_rotated_new', 'sg-shared-secret']) {
      expect(logs).not.toContain(secret);
    }
  });
});

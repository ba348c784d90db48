import { createHmac } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventPublisher } from '../../../utils/events/publisher';
import { EventPublishError, RequestInProgressError } from '../../../utils/http/errors';
import { dynamoDbPersistence } from '../../../utils/idempotency/store';
import {
  InvalidSignatureError,
  StaleSignatureTimestampError,
} from '../../../utils/security/webhook-signature';
import { InvalidWebhookBodyError, UnknownProviderError } from '../../../utils/webhooks/errors';
import { WebhookReceiver } from '../../../utils/webhooks/receiver';
import type { SigningSecretSource, WebhookProviderName } from '../../../utils/webhooks/types';
import { sampleJson } from '../../support/api-events';
import { type RunningDynalite, startDynalite } from '../../support/dynalite';
import { lambdaContext } from '../../support/lambda-context';
import { type RecordingEventBus, startRecordingEventBus } from '../../support/recording-event-bus';

// The receiver against a real DynamoDB implementation (dynalite, Powertools persistence) and the
// real EventBridge client over HTTP to a recording stand-in of the bus.

const TABLE = 'webhook-idempotency';
const NOW_S = 1_736_935_205;
const now = () => new Date(NOW_S * 1000);
const SECRETS: Record<WebhookProviderName, string[]> = {
  payment: ['whsec_receiver_test'],
  email: ['sendgrid-shared-secret'],
};

let dynamo: RunningDynalite;
let bus: RecordingEventBus;
let receiver: WebhookReceiver;
const asked: WebhookProviderName[] = [];

const secrets: SigningSecretSource = {
  secretsFor: async (provider) => {
    asked.push(provider);
    return SECRETS[provider];
  },
};

beforeAll(async () => {
  dynamo = await startDynalite();
  bus = await startRecordingEventBus();
  await dynamo.createIdempotencyTable(TABLE);
  const events = new EventBridgeClient({ endpoint: bus.endpoint, region: process.env.AWS_REGION });
  receiver = new WebhookReceiver({
    publisher: new EventPublisher(events, 'junction-bus'),
    persistenceStore: dynamoDbPersistence(TABLE, dynamo.client),
    secrets,
    now,
  });
});

afterAll(async () => {
  await dynamo?.stop();
  await bus?.stop();
});

beforeEach(() => {
  bus.accepted.length = 0;
  asked.length = 0;
});

/** A Stripe delivery of `body` (JSON-encoded unless it is already raw text), signed as Stripe signs. */
function stripeDelivery(body: unknown, options: { secret?: string; t?: number } = {}) {
  const rawBody = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const t = options.t ?? NOW_S;
  const v1 = createHmac('sha256', options.secret ?? SECRETS.payment[0] ?? '')
    .update(`${t}.`)
    .update(rawBody)
    .digest('hex');
  return { provider: 'payment', headers: { 'Stripe-Signature': `t=${t},v1=${v1}` }, rawBody };
}

function sendGridDelivery(body: unknown) {
  const rawBody = Buffer.from(JSON.stringify(body));
  const signature = createHmac('sha256', SECRETS.email[0] ?? '')
    .update(`${NOW_S}${rawBody.toString()}`)
    .digest('base64');
  return {
    provider: 'email',
    headers: {
      'x-twilio-email-event-webhook-signature': signature,
      'x-twilio-email-event-webhook-timestamp': String(NOW_S),
    },
    rawBody,
  };
}

const charge = (id: string) => ({
  ...sampleJson<Record<string, unknown>>('webhooks/stripe-charge-succeeded.json'),
  id,
});
const published = () =>
  bus.accepted.map((entry) => JSON.parse(entry.Detail ?? '{}') as Record<string, unknown>);
const storedKeys = async () => (await dynamo.client.send(new ScanCommand({ TableName: TABLE }))).Count ?? 0;

async function rejection(work: Promise<unknown>): Promise<Error> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Error)) throw new Error('expected a rejection');
  return error;
}

describe('WebhookReceiver', () => {
  it('verifies a Stripe delivery and publishes its payment event once', async () => {
    const received = await receiver.receive(
      stripeDelivery(charge('evt_receiver_1')),
      lambdaContext('webhooks'),
    );
    const [event] = published();
    expect(received).toEqual({
      provider: 'payment',
      event_id: 'evt_receiver_1',
      events: [
        {
          provider_event_id: 'evt_receiver_1',
          provider_type: 'charge.succeeded',
          outcome: 'published',
          event_id: event?.id,
          type: 'payment.succeeded',
        },
      ],
    });
    expect(bus.accepted[0]).toMatchObject({
      EventBusName: 'junction-bus',
      Source: 'junction.payments',
      DetailType: 'payment.succeeded',
    });
    expect(asked).toEqual(['payment']);
  });

  it('answers a redelivery with the first outcome and publishes nothing new', async () => {
    const first = await receiver.receive(stripeDelivery(charge('evt_receiver_2')), lambdaContext('webhooks'));
    // A retry is signed anew, with a later timestamp: the event id, not the bytes, makes it a duplicate.
    const again = await receiver.receive(
      stripeDelivery(charge('evt_receiver_2'), { t: NOW_S + 2 }),
      lambdaContext('webhooks'),
    );
    expect(bus.accepted).toHaveLength(1);
    expect(again.events).toEqual([{ ...first.events[0], outcome: 'duplicate' }]);
  });

  it('acknowledges a type Junction does not consume without publishing or remembering it', async () => {
    const before = await storedKeys();
    const received = await receiver.receive(
      stripeDelivery(sampleJson('webhooks/stripe-customer-created.json')),
      lambdaContext('webhooks'),
    );
    expect(received.events).toEqual([
      {
        provider_event_id: 'evt_1QhZjQ2eZvKYlo2CaB3cD4eF',
        provider_type: 'customer.created',
        outcome: 'ignored',
      },
    ]);
    expect(bus.accepted).toHaveLength(0);
    expect(await storedKeys()).toBe(before);
  });

  it('publishes each consumed event of a SendGrid batch, in order, and ignores the rest', async () => {
    const received = await receiver.receive(
      sendGridDelivery(sampleJson('webhooks/sendgrid-events.json')),
      lambdaContext('webhooks'),
    );
    expect(received.event_id).toBe('2pWbq0QkT8mH9sXjLr4aYw');
    expect(received.events.map((event) => [event.provider_type, event.outcome, event.type])).toEqual([
      ['bounce', 'published', 'email.bounced'],
      ['dropped', 'published', 'email.dropped'],
      ['delivered', 'ignored', undefined],
    ]);
    expect(bus.accepted.map((entry) => entry.DetailType)).toEqual(['email.bounced', 'email.dropped']);
  });

  it('refuses an unknown provider before reading any secret', async () => {
    const error = await rejection(
      receiver.receive({ ...stripeDelivery(charge('evt_x')), provider: 'paypal' }, lambdaContext('webhooks')),
    );
    expect(error).toBeInstanceOf(UnknownProviderError);
    expect(error.message).toBe('Unknown webhook provider "paypal" (known: payment, email)');
    expect(asked).toEqual([]);
  });

  it('treats provider names as exact: no prototype names, no other case', async () => {
    for (const provider of ['constructor', '__proto__', 'Payment', undefined]) {
      const error = await rejection(
        receiver.receive({ ...stripeDelivery(charge('evt_x')), provider }, lambdaContext('webhooks')),
      );
      expect(error).toBeInstanceOf(UnknownProviderError);
    }
  });

  it('refuses a bad or stale signature, publishing and remembering nothing', async () => {
    const before = await storedKeys();
    const forged = stripeDelivery(charge('evt_receiver_3'), { secret: 'whsec_guess' });
    expect(await rejection(receiver.receive(forged, lambdaContext('webhooks')))).toBeInstanceOf(
      InvalidSignatureError,
    );
    const tampered = {
      ...stripeDelivery(charge('evt_receiver_3')),
      rawBody: Buffer.from(JSON.stringify(charge('evt_other'))),
    };
    expect(await rejection(receiver.receive(tampered, lambdaContext('webhooks')))).toBeInstanceOf(
      InvalidSignatureError,
    );
    const stale = stripeDelivery(charge('evt_receiver_3'), { t: NOW_S - 301 });
    expect(await rejection(receiver.receive(stale, lambdaContext('webhooks')))).toBeInstanceOf(
      StaleSignatureTimestampError,
    );
    expect(bus.accepted).toHaveLength(0);
    expect(await storedKeys()).toBe(before);
  });

  it('refuses a signed body that is not JSON, or is empty', async () => {
    const garbled = await rejection(receiver.receive(stripeDelivery('{"id": '), lambdaContext('webhooks')));
    expect(garbled).toBeInstanceOf(InvalidWebhookBodyError);
    expect(garbled.message).toMatch(/^The body is not valid JSON: /);
    const empty = await rejection(receiver.receive(stripeDelivery(''), lambdaContext('webhooks')));
    expect(empty).toBeInstanceOf(InvalidWebhookBodyError);
    expect(empty.message).toBe('The body is empty');
    expect(bus.accepted).toHaveLength(0);
  });

  it('lets the provider retry when the bus refuses the event: nothing is remembered, the retry publishes', async () => {
    bus.failNext(1, 'ThrottlingException');
    const error = await rejection(
      receiver.receive(stripeDelivery(charge('evt_receiver_4')), lambdaContext('webhooks')),
    );
    expect(error).toBeInstanceOf(EventPublishError);
    const retried = await receiver.receive(
      stripeDelivery(charge('evt_receiver_4')),
      lambdaContext('webhooks'),
    );
    expect(retried.events[0]?.outcome).toBe('published');
    expect(published().map((event) => event.id)).toEqual([retried.events[0]?.event_id]);
  });

  it('says a delivery is still in progress when the same event is being handled concurrently', async () => {
    const [first, second] = await Promise.allSettled([
      receiver.receive(stripeDelivery(charge('evt_receiver_5')), lambdaContext('webhooks')),
      receiver.receive(stripeDelivery(charge('evt_receiver_5')), lambdaContext('webhooks')),
    ]);
    const outcomes = [first, second].map((result) =>
      result.status === 'fulfilled' ? result.value.events[0]?.outcome : result.reason,
    );
    expect(bus.accepted).toHaveLength(1);
    expect(outcomes).toEqual(expect.arrayContaining([expect.stringMatching(/^(published|duplicate)$/)]));
    for (const outcome of outcomes) {
      if (typeof outcome !== 'string') expect(outcome).toBeInstanceOf(RequestInProgressError);
    }
  });
});

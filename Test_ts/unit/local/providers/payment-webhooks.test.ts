import type { SandboxProviders } from '../../../../local/providers';
import {
  bearer,
  credentials,
  eventually,
  header,
  hmacHex,
  send,
  startSandbox,
  WebhookReceiver,
} from './fixtures';

const secret = 'whsec_sandbox_test';
let sandbox: SandboxProviders;
let receiver: WebhookReceiver;
const auth = bearer(credentials.payment);
const charge = (source = 'tok_visa') =>
  send(`${sandbox.payment.url}/v1/charges`, 'POST', { amount: 990, currency: 'gbp', source }, auth);

interface StripeEvent {
  id: string;
  object: string;
  type: string;
  created: number;
  livemode: boolean;
  data: { object: { id: string; amount_refunded: number; refunded: boolean } };
}

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  sandbox = await startSandbox({ webhooks: { payment: { url: receiver.url, secret } }, timeScale: 0.01 });
});
afterAll(async () => {
  // Stop the receiver even when the sandbox never started, so that jest can exit.
  await Promise.allSettled([sandbox?.stop(), receiver.stop()]);
});
beforeEach(() => {
  sandbox.payment.reset();
  receiver.clear();
});

/** Checks the Stripe-Signature header the way Stripe's libraries do, and returns the event. */
function verified(index: number): StripeEvent {
  const delivery = receiver.received[index];
  if (!delivery) throw new Error(`no delivery ${index}`);
  const signature = header(delivery.headers, 'stripe-signature');
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature);
  expect(match).not.toBeNull();
  const [, timestamp = '', v1] = match ?? [];
  expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(10);
  expect(v1).toBe(hmacHex(secret, `${timestamp}.${delivery.rawBody}`));
  expect(header(delivery.headers, 'content-type')).toMatch(/^application\/json/);
  return JSON.parse(delivery.rawBody) as StripeEvent;
}

describe('payment sandbox: webhooks', () => {
  it('posts a signed charge.succeeded event', async () => {
    const created = await charge();
    await sandbox.payment.webhooksIdle();
    expect(receiver.received).toHaveLength(1);
    const event = verified(0);
    expect(event).toMatchObject({ object: 'event', type: 'charge.succeeded', livemode: false });
    expect(event.id).toMatch(/^evt_/);
    expect(event.data.object).toEqual(created.body);
    expect(sandbox.payment.webhookDeliveries()).toEqual([
      expect.objectContaining({
        eventId: event.id,
        type: 'charge.succeeded',
        attempt: 1,
        status: 200,
        delivered: true,
      }),
    ]);
  });

  it('posts charge.refunded with the refunded charge', async () => {
    const created = await charge();
    const chargeId = (created.body as { id: string }).id;
    await send(`${sandbox.payment.url}/v1/refunds`, 'POST', { charge: chargeId }, auth);
    await sandbox.payment.webhooksIdle();
    expect(receiver.received).toHaveLength(2);
    const event = verified(1);
    expect(event.type).toBe('charge.refunded');
    expect(event.data.object).toMatchObject({ id: chargeId, refunded: true, amount_refunded: 990 });
  });

  it('sends nothing for a declined charge', async () => {
    await charge('tok_chargeDeclined');
    await sandbox.payment.webhooksIdle();
    expect(receiver.received).toHaveLength(0);
  });

  it('retries a failed delivery with backoff, signing each attempt anew', async () => {
    receiver.answer(500, 503);
    await charge();
    await sandbox.payment.webhooksIdle();
    expect(receiver.received).toHaveLength(3);
    expect(sandbox.payment.webhookDeliveries().map((d) => [d.attempt, d.status, d.delivered])).toEqual([
      [1, 500, false],
      [2, 503, false],
      [3, 200, true],
    ]);
    const ids = [0, 1, 2].map((i) => verified(i).id);
    expect(new Set(ids).size).toBe(1);
  });

  it('gives up after five attempts', async () => {
    receiver.answer(500, 500, 500, 500, 500, 500);
    await charge();
    await sandbox.payment.webhooksIdle();
    expect(receiver.received).toHaveLength(5);
    expect(sandbox.payment.webhookDeliveries().every((d) => !d.delivered)).toBe(true);
  });

  it('records an unreachable receiver as an error', async () => {
    const unreachable = await startSandbox({
      webhooks: { payment: { url: 'http://127.0.0.1:9/hooks', secret } },
      timeScale: 0,
    });
    try {
      await send(
        `${unreachable.payment.url}/v1/charges`,
        'POST',
        { amount: 1, currency: 'usd', source: 'tok_visa' },
        auth,
      );
      await unreachable.payment.webhooksIdle();
      const deliveries = unreachable.payment.webhookDeliveries();
      expect(deliveries).toHaveLength(5);
      expect(deliveries[0]).toMatchObject({ status: 'error', delivered: false, error: expect.any(String) });
    } finally {
      await unreachable.stop();
    }
  });

  it('lists deliveries on the admin surface', async () => {
    await charge();
    await eventually(() => receiver.received.length === 1);
    await sandbox.payment.webhooksIdle();
    const response = await send(`${sandbox.payment.url}/_sandbox/webhooks`, 'GET');
    expect(response.body).toEqual({ deliveries: sandbox.payment.webhookDeliveries() });
  });
});

import { randomUUID } from 'node:crypto';
import type { LocalCloud } from '../../../local/cloud';
import type { SandboxCall } from '../../../local/providers/types';
import { startTestCloud } from '../../support/local-cloud';
import { accessToken, setPaymentFaults } from '../../support/order-saga';

// The synchronous payment API on the local cloud, through API Gateway with a Cognito token and an
// API key, the payments function and the payment sandbox over HTTP.

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
}, 90_000);

afterAll(() => cloud?.stop());

async function pay(body: Record<string, unknown>, scope = 'payments/write') {
  const response = await fetch(`${cloud.started.urls.apiStage}/api/v1/integrations/payment/process`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${await accessToken(cloud, scope)}`,
      'x-api-key': cloud.started.topology.restApis[0]?.apiKeys[0]?.value ?? '',
    },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

async function chargesFor(transactionId: string): Promise<SandboxCall[]> {
  const response = await fetch(`${cloud.started.providers.payment.url}/_sandbox/calls`);
  const { calls } = (await response.json()) as { calls: SandboxCall[] };
  return calls.filter((call) => call.path === '/v1/charges' && call.idempotencyKey?.includes(transactionId));
}

const transaction = (source = 'tok_visa') => ({
  transaction_id: `txn-${randomUUID()}`,
  amount: 6100,
  currency: 'EUR',
  source,
});

describe('POST /api/v1/integrations/payment/process on the local cloud', () => {
  it('charges once and answers completed; the same transaction again answers the same without a second charge', async () => {
    const request = transaction();
    const first = await pay(request);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      success: true,
      transaction_id: request.transaction_id,
      status: 'completed',
      amount: 6100,
      currency: 'EUR',
    });
    expect(first.headers.get('x-correlation-id')).toBeTruthy();
    const again = await pay(request);
    expect(again.status).toBe(200);
    expect(again.body.charge_id).toBe(first.body.charge_id);
    expect((await chargesFor(request.transaction_id)).map((call) => call.status)).toEqual([200]);
  }, 60_000);

  it('answers INVALID_AMOUNT and INVALID_CURRENCY in the standard error format, calling nobody', async () => {
    const negative = await pay({ ...transaction(), amount: -5 });
    expect(negative.status).toBe(400);
    expect(negative.body).toMatchObject({ success: false, error_code: 'INVALID_AMOUNT' });
    const currency = await pay({ ...transaction(), currency: 'XXY' });
    expect(currency.status).toBe(400);
    expect(currency.body).toMatchObject({ success: false, error_code: 'INVALID_CURRENCY' });
  }, 60_000);

  it('answers 402 PAYMENT_DECLINED for a declined card', async () => {
    const declined = await pay(transaction('tok_chargeDeclined'));
    expect(declined.status).toBe(402);
    expect(declined.body).toMatchObject({ success: false, error_code: 'PAYMENT_DECLINED' });
  }, 60_000);

  it('refuses a token without the payments/write scope', async () => {
    const refused = await pay(transaction(), 'orders/write');
    // As API Gateway does: a Cognito token without a scope the method requires is Unauthorized.
    expect(refused.status).toBe(401);
  }, 60_000);

  it('answers 503 PROVIDER_UNAVAILABLE with Retry-After while the provider is down, and charges once it is back', async () => {
    await setPaymentFaults(cloud, { errorRate: 1, errorStatus: 503 });
    try {
      const request = transaction();
      const down = await pay(request);
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ success: false, error_code: 'PROVIDER_UNAVAILABLE' });
      expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
      await setPaymentFaults(cloud, { errorRate: 0 });
      // A 503 is not stored: the same transaction, sent again, is charged now.
      const back = await pay(request);
      expect(back.status).toBe(200);
      expect((await chargesFor(request.transaction_id)).filter((call) => call.status === 200)).toHaveLength(
        1,
      );
    } finally {
      await setPaymentFaults(cloud, { errorRate: 0 });
    }
  }, 90_000);
});

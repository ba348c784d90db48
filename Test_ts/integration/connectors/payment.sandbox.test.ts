import type { SandboxProviders } from '../../../local/providers';
import { PaymentConnector, PaymentDeclinedError } from '../../../utils/connectors/payment';
import {
  ProviderError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from '../../../utils/http/client-errors';
import { staticCredentials } from '../../../utils/security/credentials';
import { instantTiming, RotatingCredentials } from '../../support/connectors';
import {
  callsTo,
  paymentContractWithTimeout,
  SANDBOX_CREDENTIALS,
  startSandbox,
} from '../../support/sandbox-providers';

// The payment connector against the Stripe-like sandbox over real HTTP: faults are the sandbox's own
// switches, and its recorded calls are the provider's ledger.

let providers: SandboxProviders;
let draws: (...values: number[]) => void;

beforeAll(async () => {
  ({ providers, draws } = await startSandbox());
});
afterEach(() => providers.payment.reset());
afterAll(() => providers?.stop());

const credentials = staticCredentials({ api_key: SANDBOX_CREDENTIALS.payment });
const connector = (timing = instantTiming()) =>
  new PaymentConnector({ baseUrl: providers.payment.url, credentials, timing });
const order = { amount: 6100, currency: 'EUR', source: 'tok_visa', metadata: { order_id: 'ord-1' } };

/** Charges the provider created: answers 200 that are not replays of an earlier answer. */
const chargesCreated = () =>
  callsTo(providers.payment, 'POST', '/v1/charges').filter((call) => call.status === 200 && !call.replayed);

describe('PaymentConnector against the payment sandbox', () => {
  it('charges, and reads the charge back', async () => {
    const charge = await connector().charge({
      ...order,
      idempotencyKey: 'ord-1:charge',
      correlationId: 'corr-1',
    });
    expect(charge).toMatchObject({
      status: 'succeeded',
      amount: 6100,
      currency: 'eur',
      paid: true,
      attempts: 1,
    });
    await expect(connector().getCharge(charge.id)).resolves.toMatchObject({
      id: charge.id,
      metadata: { order_id: 'ord-1' },
    });
    expect(callsTo(providers.payment, 'POST', '/v1/charges')[0]?.idempotencyKey).toBe('ord-1:charge');
  });

  it('charges exactly once through injected 500s, with one key on every attempt', async () => {
    providers.payment.setFaults({ errorRate: 0.5, errorStatus: 500 });
    draws(0.1, 0.1, 0.9);
    const timing = instantTiming();
    const charge = await connector(timing).charge({ ...order, idempotencyKey: 'ord-2:charge' });

    const attempts = callsTo(providers.payment, 'POST', '/v1/charges');
    expect(attempts.map((call) => call.status)).toEqual([500, 500, 200]);
    expect(new Set(attempts.map((call) => call.idempotencyKey))).toEqual(new Set(['ord-2:charge']));
    expect(chargesCreated()).toHaveLength(1);
    expect(charge).toMatchObject({ attempts: 3, status: 'succeeded' });
    expect(timing.waits).toHaveLength(2);
  });

  it('charges exactly once through timeouts', async () => {
    providers.payment.setFaults({ timeoutRate: 0.5 });
    draws(0.1, 0.1, 0.9);
    const fast = new PaymentConnector(
      { baseUrl: providers.payment.url, credentials, timing: instantTiming() },
      paymentContractWithTimeout('150ms'),
    );
    const charge = await fast.charge({ ...order, idempotencyKey: 'ord-3:charge' });
    expect(charge.attempts).toBe(3);
    expect(chargesCreated()).toHaveLength(1);
  });

  it('answers a repeated charge with the same charge, not a second one', async () => {
    const first = await connector().charge({ ...order, idempotencyKey: 'ord-4:charge' });
    const again = await connector().charge({ ...order, idempotencyKey: 'ord-4:charge' });
    expect(again.id).toBe(first.id);
    expect(chargesCreated()).toHaveLength(1);
    expect(callsTo(providers.payment, 'POST', '/v1/charges').map((call) => call.replayed ?? false)).toEqual([
      false,
      true,
    ]);
  });

  it.each([
    ['tok_chargeDeclined', 'generic_decline'],
    ['tok_chargeDeclinedInsufficientFunds', 'insufficient_funds'],
    ['tok_chargeDeclinedFraudulent', 'fraudulent'],
    ['tok_chargeDeclinedLostCard', 'lost_card'],
    ['tok_chargeDeclinedStolenCard', 'stolen_card'],
    ['tok_chargeDeclinedIncorrectCvc', 'incorrect_cvc'],
    ['tok_chargeDeclinedExpiredCard', 'expired_card'],
    ['tok_chargeDeclinedProcessingError', 'processing_error'],
  ])('turns the decline of %s into PaymentDeclinedError (%s), without retrying', async (source, reason) => {
    const error = await connector()
      .charge({ ...order, source, idempotencyKey: `decline:${source}` })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PaymentDeclinedError);
    expect(error).toMatchObject({ reason, chargeId: expect.stringMatching(/^ch_/) });
    expect(callsTo(providers.payment, 'POST', '/v1/charges')).toHaveLength(1);
  });

  it('gives up with ProviderUnavailableError when the 500s outlast the retries, having charged nothing', async () => {
    providers.payment.setFaults({ errorRate: 1, errorStatus: 500 });
    const error = await connector()
      .charge({ ...order, idempotencyKey: 'ord-5:charge' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ attempts: 4 });
    expect(chargesCreated()).toHaveLength(0);
  });

  it('gives up with ProviderTimeoutError when every attempt times out', async () => {
    providers.payment.setFaults({ timeoutRate: 1 });
    const fast = new PaymentConnector(
      { baseUrl: providers.payment.url, credentials, timing: instantTiming() },
      paymentContractWithTimeout('50ms'),
    );
    const error = await fast
      .charge({ ...order, idempotencyKey: 'ord-6:charge' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderTimeoutError);
    expect(error).toMatchObject({ attempts: 4 });
  });

  it('refunds part of a charge, then the rest, and no more', async () => {
    const charge = await connector().charge({ ...order, idempotencyKey: 'ord-7:charge' });
    const part = await connector().refund({
      chargeId: charge.id,
      amount: 1000,
      idempotencyKey: 'ord-7:refund-1',
    });
    const rest = await connector().refund({ chargeId: charge.id, idempotencyKey: 'ord-7:refund-2' });
    expect([part.amount, rest.amount]).toEqual([1000, 5100]);
    await expect(connector().getCharge(charge.id)).resolves.toMatchObject({
      refunded: true,
      amountRefunded: 6100,
    });
    const error = await connector()
      .refund({ chargeId: charge.id, idempotencyKey: 'ord-7:refund-3' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ providerStatus: 400, providerCode: 'charge_already_refunded' });
  });

  it('picks up a rotated key when the provider refuses the cached one', async () => {
    const rotating = new RotatingCredentials([
      { api_key: 'sk_test_revoked' },
      { api_key: SANDBOX_CREDENTIALS.payment },
    ]);
    const rotated = new PaymentConnector({
      baseUrl: providers.payment.url,
      credentials: rotating,
      timing: instantTiming(),
    });
    await expect(rotated.charge({ ...order, idempotencyKey: 'ord-8:charge' })).resolves.toMatchObject({
      status: 'succeeded',
    });
    expect(callsTo(providers.payment, 'POST', '/v1/charges').map((call) => call.status)).toEqual([401, 200]);
    expect(rotating.refreshes).toBe(1);
  });
});

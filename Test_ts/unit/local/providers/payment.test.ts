import type { SandboxProviders } from '../../../../local/providers';
import { bearer, credentials, lastCall, send, startSandbox } from './fixtures';

let sandbox: SandboxProviders;
const auth = bearer(credentials.payment);
const charges = () => `${sandbox.payment.url}/v1/charges`;
const refunds = () => `${sandbox.payment.url}/v1/refunds`;
const charge = (body: unknown) => send(charges(), 'POST', body, auth);

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.payment.reset());

describe('payment sandbox: authentication', () => {
  it.each([
    ['no key', {}],
    ['a wrong key', bearer('sk_test_wrong')],
    [
      'basic auth with a wrong key',
      { authorization: `Basic ${Buffer.from('sk_test_wrong:').toString('base64')}` },
    ],
  ])('answers 401 for %s', async (_name, headers) => {
    const response = await send(
      charges(),
      'POST',
      { amount: 100, currency: 'usd', source: 'tok_visa' },
      headers,
    );
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: { type: 'invalid_request_error', message: 'Invalid API Key provided' },
    });
  });

  it('accepts the key as the basic-auth user name, as Stripe does', async () => {
    const basic = { authorization: `Basic ${Buffer.from(`${credentials.payment}:`).toString('base64')}` };
    const response = await send(
      charges(),
      'POST',
      { amount: 100, currency: 'usd', source: 'tok_visa' },
      basic,
    );
    expect(response.status).toBe(200);
  });
});

describe('payment sandbox: charges', () => {
  it('creates a charge with tok_visa and stores it', async () => {
    const response = await charge({
      amount: 2450,
      currency: 'EUR',
      source: 'tok_visa',
      description: 'Order 42',
      metadata: { order_id: 'ord-42' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    expect(response.body).toMatchObject({
      object: 'charge',
      amount: 2450,
      currency: 'eur',
      status: 'succeeded',
      paid: true,
      refunded: false,
      amount_refunded: 0,
      description: 'Order 42',
      metadata: { order_id: 'ord-42' },
    });
    const created = response.body as { id: string; created: number };
    expect(created.id).toMatch(/^ch_[A-Za-z0-9]{24}$/);
    expect(Math.abs(created.created - Date.now() / 1000)).toBeLessThan(5);

    const fetched = await send(`${charges()}/${created.id}`, 'GET', undefined, auth);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(response.body);
  });

  it('defaults metadata to an empty object', async () => {
    const response = await charge({ amount: 100, currency: 'usd', source: 'tok_mastercard' });
    expect(response.body).toMatchObject({ metadata: {}, description: null });
  });

  it('answers 404 resource_missing for an unknown charge', async () => {
    const response = await send(`${charges()}/ch_missing`, 'GET', undefined, auth);
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: "No such charge: 'ch_missing'",
        param: 'id',
      },
    });
  });

  it.each([
    ['tok_chargeDeclined', 'generic_decline', 'Your card was declined.'],
    ['tok_chargeDeclinedInsufficientFunds', 'insufficient_funds', 'Your card has insufficient funds.'],
  ])('declines %s with 402 card_error', async (source, declineCode, message) => {
    const response = await charge({ amount: 100, currency: 'usd', source });
    expect(response.status).toBe(402);
    expect(response.body).toMatchObject({
      error: { type: 'card_error', code: 'card_declined', decline_code: declineCode, message },
    });
    // Stripe keeps the failed charge and names it in the error.
    const failedId = (response.body as { error: { charge: string } }).error.charge;
    const failed = await send(`${charges()}/${failedId}`, 'GET', undefined, auth);
    expect(failed.body).toMatchObject({ status: 'failed', paid: false, failure_code: 'card_declined' });
  });
});

describe('payment sandbox: charge validation', () => {
  it.each([
    ['a missing amount', { currency: 'usd', source: 'tok_visa' }, 'amount', 'parameter_missing'],
    [
      'a fractional amount',
      { amount: 12.5, currency: 'usd', source: 'tok_visa' },
      'amount',
      'parameter_invalid_integer',
    ],
    [
      'a string amount',
      { amount: '100', currency: 'usd', source: 'tok_visa' },
      'amount',
      'parameter_invalid_integer',
    ],
    ['a zero amount', { amount: 0, currency: 'usd', source: 'tok_visa' }, 'amount', 'amount_too_small'],
    ['a missing currency', { amount: 100, source: 'tok_visa' }, 'currency', 'parameter_missing'],
    ['a bad currency', { amount: 100, currency: 'EURO', source: 'tok_visa' }, 'currency', null],
    ['a missing source', { amount: 100, currency: 'usd' }, 'source', 'parameter_missing'],
    ['an unknown token', { amount: 100, currency: 'usd', source: 'tok_nope' }, 'source', 'resource_missing'],
    [
      'an unknown parameter',
      { amount: 100, currency: 'usd', source: 'tok_visa', colour: 'red' },
      'colour',
      'parameter_unknown',
    ],
    ['bad metadata', { amount: 100, currency: 'usd', source: 'tok_visa', metadata: ['x'] }, 'metadata', null],
  ])('answers 400 for %s', async (_name, body, param, code) => {
    const response = await charge(body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { type: 'invalid_request_error', param } });
    // Stripe gives a code where one exists (there is none for a bad currency or a bad object).
    expect((response.body as { error: { code?: string } }).error.code).toBe(code ?? undefined);
    expect((response.body as { error: { message: string } }).error.message).toEqual(expect.any(String));
  });

  it('answers 400 invalid_request_error for malformed JSON', async () => {
    const response = await send(charges(), 'POST', '{"amount":', auth);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect(lastCall(sandbox.payment).requestBody).toBe('{"amount":');
  });

  it('answers 413 for a body over 1 MB', async () => {
    const response = await charge({
      amount: 100,
      currency: 'usd',
      source: 'tok_visa',
      description: 'x'.repeat(1_100_000),
    });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('answers 404 for an unknown route', async () => {
    const response = await send(`${sandbox.payment.url}/v1/customers`, 'POST', {}, auth);
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: {
        type: 'invalid_request_error',
        message: expect.stringContaining('Unrecognized request URL (POST: /v1/customers)'),
      },
    });
  });
});

describe('payment sandbox: refunds', () => {
  const newCharge = async (amount = 1000) => {
    const response = await charge({ amount, currency: 'usd', source: 'tok_visa' });
    return (response.body as { id: string }).id;
  };

  it('refunds a whole charge by default', async () => {
    const chargeId = await newCharge();
    const response = await send(refunds(), 'POST', { charge: chargeId }, auth);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      object: 'refund',
      status: 'succeeded',
      charge: chargeId,
      amount: 1000,
      currency: 'usd',
    });
    expect((response.body as { id: string }).id).toMatch(/^re_/);

    const refreshed = await send(`${charges()}/${chargeId}`, 'GET', undefined, auth);
    expect(refreshed.body).toMatchObject({ refunded: true, amount_refunded: 1000 });

    const again = await send(refunds(), 'POST', { charge: chargeId }, auth);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({
      error: { type: 'invalid_request_error', code: 'charge_already_refunded' },
    });
  });

  it('refunds part of a charge and refuses to refund more than is left', async () => {
    const chargeId = await newCharge();
    const partial = await send(refunds(), 'POST', { charge: chargeId, amount: 400 }, auth);
    expect(partial.body).toMatchObject({ amount: 400 });
    const refreshed = await send(`${charges()}/${chargeId}`, 'GET', undefined, auth);
    expect(refreshed.body).toMatchObject({ refunded: false, amount_refunded: 400 });

    const over = await send(refunds(), 'POST', { charge: chargeId, amount: 700 }, auth);
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({
      error: { type: 'invalid_request_error', code: 'amount_too_large', param: 'amount' },
    });
    expect((over.body as { error: { message: string } }).error.message).toMatch(
      /greater than unrefunded amount/,
    );
  });

  it('answers 404 for an unknown charge', async () => {
    const response = await send(refunds(), 'POST', { charge: 'ch_unknown' }, auth);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: { code: 'resource_missing', param: 'charge' } });
  });

  it('answers 400 for a missing charge parameter', async () => {
    const response = await send(refunds(), 'POST', { amount: 10 }, auth);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'parameter_missing', param: 'charge' } });
  });

  it('retrieves a refund', async () => {
    const chargeId = await newCharge();
    const created = await send(refunds(), 'POST', { charge: chargeId, amount: 100 }, auth);
    const id = (created.body as { id: string }).id;
    const fetched = await send(`${refunds()}/${id}`, 'GET', undefined, auth);
    expect(fetched.body).toEqual(created.body);
  });
});

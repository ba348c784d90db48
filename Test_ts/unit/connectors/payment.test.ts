import { PaymentConnector, PaymentDeclinedError } from '../../../utils/connectors/payment';
import { ContractViolationError } from '../../../utils/contracts/errors';
import { ProviderError, ProviderUnavailableError } from '../../../utils/http/client-errors';
import { RequestValidationError } from '../../../utils/http/errors';
import { staticCredentials } from '../../../utils/security/credentials';
import { chargeBody, instantTiming } from '../../support/connectors';
import { scriptedServerPerFile } from '../../support/scripted-server';

const CHARGE = chargeBody({ id: 'ch_1', metadata: { order_id: 'ord-1' }, receipt_email: null });

const server = scriptedServerPerFile();

const connector = () =>
  new PaymentConnector({
    baseUrl: server.url,
    credentials: staticCredentials({ api_key: 'sk_test_1' }),
    timing: instantTiming(),
  });
const charge = {
  amount: 6100,
  currency: 'EUR',
  source: 'tok_visa',
  idempotencyKey: 'ord-1:charge',
  metadata: { order_id: 'ord-1' },
};

describe('PaymentConnector', () => {
  it('charges with the amount in minor units, the key and the metadata', async () => {
    server.reply({ status: 200, body: CHARGE });
    const result = await connector().charge({ ...charge, correlationId: 'corr-1' });
    expect(result).toMatchObject({
      id: 'ch_1',
      status: 'succeeded',
      amount: 6100,
      currency: 'eur',
      attempts: 1,
    });
    const [request] = server.received;
    expect(request).toMatchObject({ method: 'POST', url: '/v1/charges' });
    expect(JSON.parse(request?.body ?? '')).toEqual({
      amount: 6100,
      currency: 'eur',
      source: 'tok_visa',
      metadata: { order_id: 'ord-1' },
    });
    expect(request?.headers).toMatchObject({
      authorization: 'Bearer sk_test_1',
      'idempotency-key': 'ord-1:charge',
      'x-correlation-id': 'corr-1',
    });
  });

  it.each([
    ['card_declined', 'insufficient_funds', 'insufficient_funds'],
    ['expired_card', undefined, 'expired_card'],
  ])('turns a %s decline into PaymentDeclinedError', async (code, declineCode, reason) => {
    server.reply({
      status: 402,
      body: {
        error: {
          type: 'card_error',
          code,
          decline_code: declineCode,
          message: 'Your card was declined.',
          charge: 'ch_failed',
        },
      },
    });
    const error = await connector()
      .charge(charge)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PaymentDeclinedError);
    expect(error).toMatchObject({
      code: 'PAYMENT_DECLINED',
      status: 402,
      reason,
      chargeId: 'ch_failed',
      retryable: false,
    });
    expect(server.received).toHaveLength(1);
  });

  it('retries 5xx with the same key and reports ProviderUnavailableError when they persist', async () => {
    server.reply({ status: 500 }, { status: 503 }, { status: 502 }, { status: 500 });
    const error = await connector()
      .charge(charge)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ attempts: 4 });
    expect(new Set(server.received.map((request) => request.headers['idempotency-key']))).toEqual(
      new Set(['ord-1:charge']),
    );
  });

  it('checks the charge before sending it', async () => {
    await expect(connector().charge({ ...charge, amount: 61.5 })).rejects.toBeInstanceOf(
      RequestValidationError,
    );
    await expect(connector().charge({ ...charge, idempotencyKey: '' })).rejects.toThrow(
      'needs an idempotency key',
    );
    expect(server.received).toHaveLength(0);
  });

  it('refuses a charge answer that breaks the contract', async () => {
    server.reply({ status: 200, body: { ...CHARGE, amount: 'lots' } });
    await expect(connector().charge(charge)).rejects.toBeInstanceOf(ContractViolationError);
  });

  it('refunds a charge in part or in full', async () => {
    server.reply({
      status: 200,
      body: {
        id: 're_1',
        object: 'refund',
        amount: 100,
        charge: 'ch_1',
        currency: 'eur',
        status: 'succeeded',
      },
    });
    const refund = await connector().refund({
      chargeId: 'ch_1',
      amount: 100,
      idempotencyKey: 'ord-1:refund',
    });
    expect(refund).toMatchObject({ id: 're_1', amount: 100, chargeId: 'ch_1', status: 'succeeded' });
    expect(JSON.parse(server.received[0]?.body ?? '')).toEqual({ charge: 'ch_1', amount: 100 });
    expect(server.received[0]?.headers['idempotency-key']).toBe('ord-1:refund');
  });

  it('keeps a refused refund a ProviderError with the provider code', async () => {
    server.reply({
      status: 400,
      body: { error: { type: 'invalid_request_error', code: 'charge_already_refunded' } },
    });
    const error = await connector()
      .refund({ chargeId: 'ch_1', idempotencyKey: 'k' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ providerStatus: 400, providerCode: 'charge_already_refunded' });
  });

  it('reads a charge back', async () => {
    server.reply({ status: 200, body: CHARGE });
    await expect(connector().getCharge('ch_1')).resolves.toMatchObject({ id: 'ch_1', paid: true });
    expect(server.received[0]).toMatchObject({ method: 'GET', url: '/v1/charges/ch_1' });
  });
});

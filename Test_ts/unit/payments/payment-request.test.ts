import { JunctionError } from '../../../utils/http/errors';
import {
  KNOWN_CURRENCIES,
  MAX_PAYMENT_AMOUNT,
  PaymentRequestShape,
  parsePaymentRequest,
} from '../../../utils/payments/payment-request';

const valid = { transaction_id: 'txn-123', amount: 6100, currency: 'EUR', source: 'tok_visa' };

function rejection(body: unknown): JunctionError {
  try {
    parsePaymentRequest(body);
  } catch (error) {
    if (error instanceof JunctionError) return error;
    throw error;
  }
  throw new Error('The request was accepted');
}

describe('parsePaymentRequest', () => {
  it('accepts a payment in minor units with an ISO 4217 code and a card token', () => {
    expect(parsePaymentRequest(valid)).toEqual(valid);
  });

  it.each([0, -1, -6100])('rejects the amount %d with INVALID_AMOUNT "Amount must be positive"', (amount) => {
    const error = rejection({ ...valid, amount });
    expect(error).toMatchObject({ code: 'INVALID_AMOUNT', status: 400, message: 'Amount must be positive' });
    expect(error.details).toEqual([{ field: 'amount', message: 'Amount must be positive' }]);
  });

  it('rejects a fractional amount: amounts are whole minor units', () => {
    expect(rejection({ ...valid, amount: 61.5 })).toMatchObject({
      code: 'INVALID_AMOUNT',
      message: 'Amount must be a whole number of minor units (cents)',
    });
  });

  it('rejects an amount above what the provider accepts', () => {
    expect(rejection({ ...valid, amount: MAX_PAYMENT_AMOUNT + 1 })).toMatchObject({
      code: 'INVALID_AMOUNT',
      message: `Amount must be at most ${MAX_PAYMENT_AMOUNT} minor units`,
    });
    expect(parsePaymentRequest({ ...valid, amount: MAX_PAYMENT_AMOUNT }).amount).toBe(MAX_PAYMENT_AMOUNT);
  });

  it.each(['eur', 'EURO', 'E1R', ''])('rejects the currency "%s" with INVALID_CURRENCY', (currency) => {
    const error = rejection({ ...valid, currency });
    expect(error).toMatchObject({ code: 'INVALID_CURRENCY', status: 400 });
    expect(error.message).toContain('ISO 4217');
    expect(error.details?.[0]?.field).toBe('currency');
  });

  it('rejects three capitals that are no ISO 4217 currency', () => {
    expect(KNOWN_CURRENCIES.has('ABC')).toBe(false);
    expect(rejection({ ...valid, currency: 'ABC' })).toMatchObject({
      code: 'INVALID_CURRENCY',
      message: 'Currency ABC is not an ISO 4217 currency code',
    });
  });

  it('knows the active ISO 4217 currencies', () => {
    for (const code of ['EUR', 'USD', 'GBP', 'JPY', 'CHF', 'SEK'])
      expect(KNOWN_CURRENCIES.has(code)).toBe(true);
  });

  it.each([
    ['a space', 'txn 123'],
    ['a leading dash', '-txn-123'],
    ['more than 64 characters', `t${'x'.repeat(64)}`],
    ['nothing', ''],
  ])('rejects a transaction_id with %s with VALIDATION_FAILED', (_what, transactionId) => {
    const error = rejection({ ...valid, transaction_id: transactionId });
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(error.details?.map((issue) => issue.field)).toEqual(['transaction_id']);
  });

  it('requires a payment token and refuses card data, without echoing it', () => {
    const missing = rejection({ transaction_id: 'txn-1', amount: 100, currency: 'EUR' });
    expect(missing).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(missing.details?.map((issue) => issue.field)).toEqual(['source']);

    const card = rejection({ ...valid, source: '4242424242424242' });
    expect(card).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(card.message).not.toContain('4242');
    expect(JSON.stringify(card.details)).not.toContain('4242');
  });

  it('refuses unknown fields, so that card data cannot ride along', () => {
    const error = rejection({ ...valid, card_number: '4242424242424242' });
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).not.toContain('4242');
  });

  it('reports a malformed shape before the values: a string amount is VALIDATION_FAILED, as at the gateway', () => {
    expect(rejection({ ...valid, amount: '6100' }).code).toBe('VALIDATION_FAILED');
    expect(rejection({ ...valid, currency: 978 }).code).toBe('VALIDATION_FAILED');
    expect(rejection({ ...valid, amount: -1, source: undefined }).code).toBe('VALIDATION_FAILED');
  });

  it('checks the amount before the currency when both are wrong', () => {
    expect(rejection({ ...valid, amount: 0, currency: 'eur' }).code).toBe('INVALID_AMOUNT');
  });
});

describe('PaymentRequestShape (the API Gateway model)', () => {
  it('checks fields and types but leaves the amount and currency values to the handler', () => {
    expect(PaymentRequestShape.safeParse({ ...valid, amount: -5, currency: 'eur' }).success).toBe(true);
    expect(PaymentRequestShape.safeParse({ ...valid, amount: '5' }).success).toBe(false);
    expect(PaymentRequestShape.safeParse({ ...valid, extra: true }).success).toBe(false);
    expect(PaymentRequestShape.safeParse({ ...valid, transaction_id: 'txn 1' }).success).toBe(false);
  });
});

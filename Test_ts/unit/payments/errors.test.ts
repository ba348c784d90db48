import { errorResponse } from '../../../utils/http/responses';
import {
  InvalidAmountError,
  InvalidCurrencyError,
  PaymentProviderTimeoutError,
  PaymentProviderUnavailableError,
  TransactionInProgressError,
  TransactionReusedError,
} from '../../../utils/payments/errors';

const context = { requestId: 'req-1', correlationId: 'corr-1' };

describe('payment errors', () => {
  it('map to their status codes in the one table', () => {
    expect(new InvalidAmountError('Amount must be positive')).toMatchObject({
      code: 'INVALID_AMOUNT',
      status: 400,
      details: [{ field: 'amount', message: 'Amount must be positive' }],
    });
    expect(new InvalidCurrencyError('Currency XYZ is not an ISO 4217 currency code')).toMatchObject({
      code: 'INVALID_CURRENCY',
      status: 400,
    });
    expect(new TransactionReusedError('txn-1')).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      status: 422,
    });
    expect(new TransactionInProgressError('txn-1')).toMatchObject({
      code: 'IDEMPOTENCY_KEY_IN_PROGRESS',
      status: 409,
      retryable: true,
    });
    expect(new PaymentProviderUnavailableError('down', 1000)).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      status: 503,
      retryable: true,
    });
    expect(new PaymentProviderTimeoutError(5000)).toMatchObject({
      code: 'PROVIDER_TIMEOUT',
      status: 504,
      retryable: true,
    });
  });

  it('name the transaction, not the idempotency header, when a transaction_id is reused', () => {
    expect(new TransactionReusedError('txn-1').message).toBe(
      'transaction_id txn-1 was already used with a different request body; use a new transaction_id for a new payment',
    );
  });

  it('tell the client when to retry: whole seconds, rounded up, at least one', () => {
    const retryAfter = (error: PaymentProviderUnavailableError) =>
      errorResponse(error, context).headers?.['Retry-After'];
    expect(retryAfter(new PaymentProviderUnavailableError('circuit open', 12_300))).toBe('13');
    expect(retryAfter(new PaymentProviderUnavailableError('circuit open', 0))).toBe('1');
    expect(retryAfter(new PaymentProviderUnavailableError('down'))).toBe('1');
    expect(errorResponse(new PaymentProviderTimeoutError(5000), context).headers?.['Retry-After']).toBe('1');
  });

  it('say how long the budget was on a timeout', () => {
    expect(new PaymentProviderTimeoutError(5000).message).toBe(
      'The payment provider did not answer within 5000 ms; retry with the same transaction_id to learn the outcome',
    );
  });
});

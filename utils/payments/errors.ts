import { JunctionError } from '../http/errors';

/**
 * The errors of `POST /api/v1/integrations/payment/process`, beside the connector's own
 * PaymentDeclinedError (402). Each is a JunctionError: its status comes from the one table in
 * utils/http/errors.ts.
 */

export class InvalidAmountError extends JunctionError {
  constructor(message: string) {
    super('INVALID_AMOUNT', message, { details: [{ field: 'amount', message }] });
  }
}

export class InvalidCurrencyError extends JunctionError {
  constructor(message: string) {
    super('INVALID_CURRENCY', message, { details: [{ field: 'currency', message }] });
  }
}

/** The transaction id was used before with another body: a new payment needs a new id. */
export class TransactionReusedError extends JunctionError {
  constructor(transactionId: string) {
    super(
      'IDEMPOTENCY_KEY_REUSED',
      `transaction_id ${transactionId} was already used with a different request body; use a new transaction_id for a new payment`,
    );
  }
}

export class TransactionInProgressError extends JunctionError {
  constructor(transactionId: string) {
    super(
      'IDEMPOTENCY_KEY_IN_PROGRESS',
      `transaction_id ${transactionId} is still being processed; retry shortly`,
      { retryable: true },
    );
  }
}

/** Whole seconds, rounded up, at least one: what `Retry-After` can say. */
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * The provider cannot take the payment now: its circuit is open, or it failed every attempt. Nothing
 * was charged that a retry with the same transaction_id would charge again.
 */
export class PaymentProviderUnavailableError extends JunctionError {
  constructor(message: string, retryAfterMs?: number, options: { cause?: unknown } = {}) {
    super('PROVIDER_UNAVAILABLE', message, {
      retryable: true,
      retryAfterSeconds: seconds(retryAfterMs ?? 0),
      cause: options.cause,
    });
  }
}

/**
 * No answer within the budget, or every attempt timed out. The outcome is unknown to Junction: the
 * same transaction_id, sent again, reaches the provider with the same Idempotency-Key and learns it
 * without charging twice.
 */
export class PaymentProviderTimeoutError extends JunctionError {
  constructor(
    /** The time the provider was given. */
    readonly budgetMs: number,
    options: { cause?: unknown; attempts?: number } = {},
  ) {
    const what =
      options.attempts === undefined
        ? `did not answer within ${budgetMs} ms`
        : `timed out on all ${options.attempts} attempts`;
    super(
      'PROVIDER_TIMEOUT',
      `The payment provider ${what}; retry with the same transaction_id to learn the outcome`,
      { retryable: true, cause: options.cause },
    );
  }
}

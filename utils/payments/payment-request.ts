import { z } from 'zod';
import { PaymentSourceToken } from '../events/schemas/order-created';
import { parseWithSchema } from '../http/request';
import { InvalidAmountError, InvalidCurrencyError } from './errors';

/** Largest accepted body: four short fields. */
export const MAX_PAYMENT_BODY_BYTES = 4 * 1024;

/** The provider's ceiling (specs/contracts/payment.yaml: `amount: integer(1..99999999)`). */
export const MAX_PAYMENT_AMOUNT = 99_999_999;

/** The active ISO 4217 codes, from the runtime's ICU data: no list to keep up by hand. */
export const KNOWN_CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** The client's id of the payment: the idempotency key, and part of the provider's. */
export const TransactionId = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/,
    'Expected 1 to 64 letters, digits and . _ : -, starting with a letter or digit',
  );

/**
 * What API Gateway validates (its request model): every field present and of the right type, nothing
 * else. The values of amount and currency are left to the handler, which answers them with their own
 * error codes (INVALID_AMOUNT, INVALID_CURRENCY); the gateway could only say VALIDATION_FAILED.
 */
export const PaymentRequestShape = z.strictObject({
  transaction_id: TransactionId,
  /** Minor units (cents for EUR). */
  amount: z.number(),
  /** ISO 4217, upper case. */
  currency: z.string(),
  /** A payment token (`tok_…`, `pm_…`, `src_…`) from the client's tokenization: never card data. */
  source: PaymentSourceToken,
});

export const PaymentAmount = z
  .number()
  .int('Amount must be a whole number of minor units (cents)')
  .positive('Amount must be positive')
  .max(MAX_PAYMENT_AMOUNT, `Amount must be at most ${MAX_PAYMENT_AMOUNT} minor units`);

export const PaymentCurrency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'Currency must be an ISO 4217 code of three capital letters, such as EUR')
  .refine((code) => KNOWN_CURRENCIES.has(code), {
    error: (issue) => `Currency ${String(issue.input)} is not an ISO 4217 currency code`,
  });

export type PaymentRequest = z.infer<typeof PaymentRequestShape>;

function firstIssue(result: z.ZodSafeParseResult<unknown>): string | undefined {
  return result.success ? undefined : result.error.issues[0]?.message;
}

/**
 * The body of a payment request: the shape first (VALIDATION_FAILED, naming every field, as the
 * gateway would), then the amount (INVALID_AMOUNT), then the currency (INVALID_CURRENCY).
 */
export function parsePaymentRequest(body: unknown): PaymentRequest {
  const request = parseWithSchema(PaymentRequestShape, body);
  const amountProblem = firstIssue(PaymentAmount.safeParse(request.amount));
  if (amountProblem) throw new InvalidAmountError(amountProblem);
  const currencyProblem = firstIssue(PaymentCurrency.safeParse(request.currency));
  if (currencyProblem) throw new InvalidCurrencyError(currencyProblem);
  return request;
}

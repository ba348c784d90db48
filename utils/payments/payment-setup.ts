import { z } from 'zod';
import { loadConfig } from '../config/env';
import { PAYMENT_CONTRACT } from '../contracts/bundled';
import type { IntegrationContract } from '../contracts/contract';
import { DEFAULT_BUDGET_MS } from './process-payment';

/**
 * The provider name of the payment circuit: one item in the circuit table, shared with the order
 * saga's charge and refund (utils/resilience/circuit-from-environment.ts builds the breaker).
 */
export const PAYMENT_CIRCUIT = 'payment';

/** Per-attempt timeout of a synchronous charge: two attempts fit in the default budget. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 2000;

const wholeMs = z.coerce.number().int().positive();

/**
 * The payment handler's own configuration; the connector reads PAYMENT_SECRET_ID and PAYMENT_BASE_URL,
 * the circuit breaker CIRCUIT_TABLE_NAME, themselves.
 */
export const PaymentConfigSchema = z.object({
  IDEMPOTENCY_TABLE_NAME: z.string().min(1),
  PAYMENT_BUDGET_MS: wholeMs.default(DEFAULT_BUDGET_MS),
  PAYMENT_ATTEMPT_TIMEOUT_MS: wholeMs.default(DEFAULT_ATTEMPT_TIMEOUT_MS),
});

export type PaymentConfig = z.infer<typeof PaymentConfigSchema>;

export function loadPaymentConfig(env: NodeJS.ProcessEnv = process.env): PaymentConfig {
  const config = loadConfig(PaymentConfigSchema, env);
  if (config.PAYMENT_ATTEMPT_TIMEOUT_MS >= config.PAYMENT_BUDGET_MS) {
    throw new Error(
      `Invalid configuration: PAYMENT_ATTEMPT_TIMEOUT_MS (${config.PAYMENT_ATTEMPT_TIMEOUT_MS}) must be below PAYMENT_BUDGET_MS (${config.PAYMENT_BUDGET_MS})`,
    );
  }
  return config;
}

/**
 * The payment contract with a per-attempt timeout that fits a synchronous answer: the contract's own
 * (10 s, for the saga) would spend the whole budget on one hung attempt. Never longer than the contract's.
 */
export function paymentContractWithin(
  attemptTimeoutMs: number,
  contract: IntegrationContract = PAYMENT_CONTRACT,
): IntegrationContract {
  const timeoutMs = Math.min(attemptTimeoutMs, contract.errorHandling.timeoutMs);
  return { ...contract, errorHandling: { ...contract.errorHandling, timeoutMs } };
}

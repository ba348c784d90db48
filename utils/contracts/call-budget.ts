import type { IntegrationContract } from './contract';

/**
 * The longest one connector call can take under its contract: every attempt running to its
 * timeout, with the longest wait the policy allows between attempts (backoff and any Retry-After
 * are both capped at `max_delay`). A function making the call needs at least this long, or
 * Lambda stops it while the contract still allows the call to succeed.
 */
export function worstCaseCallMs(contract: IntegrationContract): number {
  const { retries, timeoutMs, maxDelayMs } = contract.errorHandling;
  return (retries + 1) * timeoutMs + retries * maxDelayMs;
}

import type { Idempotency } from '../contracts/contract';
import { ProviderError, ProviderNetworkError, ProviderTimeoutError } from './client-errors';

/**
 * When an outbound call is tried again, and after how long. A repeat is safe when the provider keeps
 * idempotency keys (`key`) or the operation is idempotent by nature (`natural`); otherwise (`none`) only
 * when the provider surely did not act: it refused with 429, or the connection never opened.
 */

export interface BackoffSettings {
  readonly backoff: 'exponential' | 'constant';
  readonly initialDelayMs: number;
  /** The longest wait, Retry-After included. */
  readonly maxDelayMs: number;
}

export function shouldRetry(error: unknown, idempotency: Idempotency, maxDelayMs: number): boolean {
  const repeatable = idempotency !== 'none';
  if (error instanceof ProviderError) {
    if (error.retryAfterMs !== undefined && error.retryAfterMs > maxDelayMs) return false;
    if (error.providerStatus === 429) return true;
    return error.providerStatus >= 500 && repeatable;
  }
  if (error instanceof ProviderNetworkError) return !error.sent || repeatable;
  if (error instanceof ProviderTimeoutError) return repeatable;
  return false;
}

/** Full jitter: a draw from [0, min(max, initial × 2^(attempt-1))); `attempt` is 1 before the first retry. */
export function backoffDelay(attempt: number, settings: BackoffSettings, random: () => number): number {
  if (settings.backoff === 'constant') return settings.initialDelayMs;
  const ceiling = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** The wait before retry `attempt`: the backoff, but never less than the provider's Retry-After. */
export function retryDelay(
  attempt: number,
  failure: unknown,
  settings: BackoffSettings,
  random: () => number,
): number {
  const delay = backoffDelay(attempt, settings, random);
  const asked = failure instanceof ProviderError ? failure.retryAfterMs : undefined;
  return asked === undefined ? delay : Math.max(delay, asked);
}

/** Retry-After as milliseconds from `now`: delta seconds or an HTTP date; undefined when unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[A-Za-z]/.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

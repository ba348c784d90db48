import { ProviderError, ProviderNetworkError, ProviderTimeoutError } from '../../../utils/http/client-errors';
import { backoffDelay, parseRetryAfter, retryDelay, shouldRetry } from '../../../utils/http/client-retry';

const backoff = { backoff: 'exponential', initialDelayMs: 100, maxDelayMs: 1_000 } as const;

describe('which failures are retried', () => {
  const status = (code: number, retryAfterMs?: number) =>
    new ProviderError('payment', code, retryAfterMs === undefined ? {} : { retryAfterMs });

  it.each([500, 502, 503, 504, 429])('retries %d when a repeat is safe', (code) => {
    expect(shouldRetry(status(code), 'key', 1_000)).toBe(true);
    expect(shouldRetry(status(code), 'natural', 1_000)).toBe(true);
  });

  it.each([400, 401, 402, 403, 404, 409, 422])('never retries %d', (code) => {
    expect(shouldRetry(status(code), 'key', 1_000)).toBe(false);
    expect(shouldRetry(status(code), 'none', 1_000)).toBe(false);
  });

  it('retries a call without an idempotent repeat only when the provider surely did not take it', () => {
    expect(shouldRetry(status(429), 'none', 1_000)).toBe(true);
    expect(
      shouldRetry(new ProviderNetworkError('email', new Error('refused'), { sent: false }), 'none', 1_000),
    ).toBe(true);
    expect(shouldRetry(status(503), 'none', 1_000)).toBe(false);
    expect(
      shouldRetry(new ProviderNetworkError('email', new Error('reset'), { sent: true }), 'none', 1_000),
    ).toBe(false);
    expect(shouldRetry(new ProviderTimeoutError('email', 50, { attempts: 1 }), 'none', 1_000)).toBe(false);
  });

  it('retries network failures and timeouts when a repeat is safe', () => {
    expect(
      shouldRetry(new ProviderNetworkError('crm', new Error('reset'), { sent: true }), 'natural', 1_000),
    ).toBe(true);
    expect(shouldRetry(new ProviderTimeoutError('crm', 50, { attempts: 1 }), 'key', 1_000)).toBe(true);
  });

  it('does not wait for a Retry-After longer than the longest delay', () => {
    expect(shouldRetry(status(429, 1_000), 'key', 1_000)).toBe(true);
    expect(shouldRetry(status(429, 1_001), 'key', 1_000)).toBe(false);
  });

  it('never retries an error that is not the provider answering', () => {
    expect(shouldRetry(new TypeError('bug'), 'key', 1_000)).toBe(false);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2025-01-15T10:00:00Z');

  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('Wed, 15 Jan 2025 10:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Wed, 15 Jan 2025 09:59:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
  });
});

describe('backoff with full jitter', () => {
  it('draws the delay of attempt n from [0, min(max, initial × 2^(n-1)))', () => {
    expect(backoffDelay(1, backoff, () => 0)).toBe(0);
    expect(backoffDelay(1, backoff, () => 0.5)).toBe(50);
    expect(backoffDelay(2, backoff, () => 0.5)).toBe(100);
    expect(backoffDelay(3, backoff, () => 0.999)).toBe(399);
    expect(backoffDelay(10, backoff, () => 0.999)).toBe(999);
  });

  it('stays within its bounds for any random draw', () => {
    for (let attempt = 1; attempt <= 8; attempt += 1) {
      const ceiling = Math.min(1_000, 100 * 2 ** (attempt - 1));
      for (const draw of [0, 0.25, 0.5, 0.75, 0.999999]) {
        const delay = backoffDelay(attempt, backoff, () => draw);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });

  it('waits the initial delay each time for a constant backoff', () => {
    expect(backoffDelay(4, { ...backoff, backoff: 'constant' }, () => 0.1)).toBe(100);
  });

  it('waits at least what Retry-After asks', () => {
    const rateLimited = new ProviderError('payment', 429, { retryAfterMs: 700 });
    expect(retryDelay(1, rateLimited, backoff, () => 0.5)).toBe(700);
    expect(retryDelay(1, new ProviderError('payment', 503), backoff, () => 0.5)).toBe(50);
  });
});

import { setTimeout as sleepFor } from 'node:timers/promises';
import { handleWhen, type RetryPolicy, retry, type TimeoutPolicy, TimeoutStrategy, timeout } from 'cockatiel';
import type { Idempotency, IntegrationContract } from '../contracts/contract';
import type { RateLimit } from '../contracts/values';
import {
  ProviderError,
  ProviderNetworkError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from '../http/client-errors';
import { type BackoffSettings, retryDelay, shouldRetry } from '../http/client-retry';
import { TokenBucket } from './token-bucket';

/**
 * The resilience of one endpoint, composed from its contract with cockatiel: retry (outermost) ▸ rate
 * limit (a token per attempt) ▸ timeout (per attempt, cooperative: it aborts the fetch) ▸ the attempt.
 * The rate limit is a token bucket, not cockatiel's bulkhead: a contract states a rate (`100/min`),
 * and a bulkhead bounds concurrency, not rate. Cockatiel decides whether to retry and how often; the
 * wait itself goes through the injected `sleep` (cockatiel's timer cannot be replaced), so tests run
 * without real waits. A circuit breaker, when there is one, wraps the whole retried call (see HttpClient).
 */

export interface ResilienceSettings extends BackoffSettings {
  /** For error messages. */
  readonly provider: string;
  /** Retries after the first attempt. */
  readonly retries: number;
  readonly timeoutMs: number;
  readonly idempotency: Idempotency;
  readonly rateLimit?: RateLimit;
}

export interface PolicyTiming {
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** [0, 1), for the jitter. */
  readonly random: () => number;
  readonly now: () => number;
}

export interface AttemptContext {
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Aborted when the attempt times out or the caller gives up. */
  readonly signal: AbortSignal;
}

/** What utils/resilience/circuit-breaker.ts implements (state shared in DynamoDB). */
export interface CircuitBreakerHook {
  execute<T>(fn: () => Promise<T>): Promise<T>;
}

export const passThroughBreaker: CircuitBreakerHook = { execute: (fn) => fn() };

export const systemTiming: PolicyTiming = {
  sleep: (ms, signal) => sleepFor(ms, undefined, signal ? { signal } : {}),
  random: Math.random,
  now: () => Date.now(),
};

export class ResiliencePolicy {
  private readonly retryPolicy: RetryPolicy;
  private readonly timeoutPolicy: TimeoutPolicy;
  private readonly bucket?: TokenBucket;

  constructor(
    readonly settings: ResilienceSettings,
    private readonly timing: PolicyTiming = systemTiming,
  ) {
    const retryable = handleWhen((error) => shouldRetry(error, settings.idempotency, settings.maxDelayMs));
    this.retryPolicy = retry(retryable, { maxAttempts: settings.retries });
    this.timeoutPolicy = timeout(settings.timeoutMs, TimeoutStrategy.Cooperative);
    if (settings.rateLimit) this.bucket = new TokenBucket(settings.rateLimit, timing);
  }

  /** Runs `attempt` under the policy; failures that outlast the retries become ProviderUnavailableError. */
  async execute<T>(attempt: (context: AttemptContext) => Promise<T>, signal?: AbortSignal): Promise<T> {
    let failure: unknown;
    let attempts = 0;
    try {
      return await this.retryPolicy.execute(async ({ attempt: retried, signal: retrySignal }) => {
        if (retried > 0) {
          await this.timing.sleep(
            retryDelay(retried, failure, this.settings, this.timing.random),
            retrySignal,
          );
        }
        await this.bucket?.take(retrySignal);
        retrySignal.throwIfAborted();
        attempts = retried + 1;
        try {
          return await this.withTimeout(attempt, attempts, retrySignal);
        } catch (error) {
          failure = error;
          throw error;
        }
      }, signal);
    } catch (error) {
      throw this.giveUp(error, attempts);
    }
  }

  private withTimeout<T>(
    attempt: (context: AttemptContext) => Promise<T>,
    number: number,
    outer: AbortSignal,
  ): Promise<T> {
    return this.timeoutPolicy.execute(async ({ signal }) => {
      try {
        return await attempt({ attempt: number, signal });
      } catch (error) {
        if (signal.aborted && !outer.aborted) {
          throw new ProviderTimeoutError(this.settings.provider, this.settings.timeoutMs, {
            attempts: number,
            cause: error,
          });
        }
        throw error;
      }
    }, outer);
  }

  private giveUp(error: unknown, attempts: number): unknown {
    const { provider } = this.settings;
    if (error instanceof ProviderTimeoutError) {
      return new ProviderTimeoutError(provider, error.timeoutMs, { attempts, cause: error.cause });
    }
    const unavailable =
      (error instanceof ProviderError && error.retryable) || error instanceof ProviderNetworkError;
    if (!unavailable) return error;
    const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
    return new ProviderUnavailableError(
      provider,
      `${provider} unavailable after ${tries}: ${error.message}`,
      {
        attempts,
        cause: error,
        ...(error instanceof ProviderError && error.retryAfterMs !== undefined
          ? { retryAfterMs: error.retryAfterMs }
          : {}),
      },
    );
  }
}

/** One policy per endpoint of a contract: retries, backoff and timeout of the integration, its rate limit. */
export function policiesForContract(
  contract: IntegrationContract,
  timing: PolicyTiming = systemTiming,
): Record<string, ResiliencePolicy> {
  const { errorHandling } = contract;
  return Object.fromEntries(
    Object.values(contract.endpoints).map((endpoint) => [
      endpoint.name,
      new ResiliencePolicy(
        {
          provider: contract.name,
          retries: errorHandling.retries,
          backoff: errorHandling.backoff,
          timeoutMs: errorHandling.timeoutMs,
          initialDelayMs: errorHandling.initialDelayMs,
          maxDelayMs: errorHandling.maxDelayMs,
          idempotency: endpoint.idempotency,
          ...(endpoint.rateLimit ? { rateLimit: endpoint.rateLimit } : {}),
        },
        timing,
      ),
    ]),
  );
}

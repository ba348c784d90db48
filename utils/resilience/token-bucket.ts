import { setTimeout as sleepFor } from 'node:timers/promises';

export interface BucketTiming {
  readonly now: () => number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const systemTiming: BucketTiming = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleepFor(ms, undefined, signal ? { signal } : {}),
};

/**
 * A token bucket: `burst` calls may go at once, then `perSecond` a second. A caller without a token
 * reserves the next one (the balance goes below zero) and waits for it, so concurrent callers are
 * served in order. It paces one execution environment; providers count every instance together, so
 * the contract's rate is a ceiling per instance, not for the fleet.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly rate: { readonly perSecond: number; readonly burst: number },
    private readonly timing: BucketTiming = systemTiming,
  ) {
    if (!(rate.perSecond > 0)) throw new RangeError('perSecond must be a positive number');
    if (!(rate.burst >= 1)) throw new RangeError('burst must be at least 1');
    this.tokens = rate.burst;
    this.updatedAt = timing.now();
  }

  /** Resolves when the caller may send. */
  async take(signal?: AbortSignal): Promise<void> {
    const now = this.timing.now();
    this.tokens = Math.min(
      this.rate.burst,
      this.tokens + ((now - this.updatedAt) / 1000) * this.rate.perSecond,
    );
    this.updatedAt = now;
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    await this.timing.sleep(Math.ceil((-this.tokens / this.rate.perSecond) * 1000), signal);
  }
}

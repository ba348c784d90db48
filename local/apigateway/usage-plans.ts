/**
 * API keys, usage plans and throttling of the local REST API, after the API Gateway documentation:
 * throttling is a token bucket ("the burst is the maximum bucket size", refilled at the steady
 * rate per second), a usage plan throttles and meters each API key on its own, and a quota is a
 * number of requests per calendar period in UTC, less `offset` in the plan's initial period.
 */

export interface ThrottleSettings {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface QuotaSettings {
  readonly limit: number;
  readonly period: 'DAY' | 'WEEK' | 'MONTH';
  /** Requests subtracted from the limit in the initial period (the one the plan started in). */
  readonly offset?: number;
}

/** A token bucket: full at first, `burstLimit` tokens at most, `rateLimit` new tokens a second. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly settings: ThrottleSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = Math.max(0, settings.burstLimit);
    this.updatedAt = now();
  }

  /** Takes one token if there is one: true lets the request through, false throttles it. */
  tryTake(): boolean {
    const now = this.now();
    const elapsedSeconds = Math.max(0, now - this.updatedAt) / 1000;
    this.updatedAt = now;
    this.tokens = Math.min(
      Math.max(0, this.settings.burstLimit),
      this.tokens + elapsedSeconds * Math.max(0, this.settings.rateLimit),
    );
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export interface ApiKeyRecord {
  readonly id: string;
  readonly value: string;
  readonly enabled: boolean;
}

export interface UsagePlanRecord {
  readonly id: string;
  readonly throttle?: ThrottleSettings;
  readonly quota?: QuotaSettings;
  readonly apiKeyIds: readonly string[];
  /** Stage names the plan covers. */
  readonly stages: readonly string[];
}

export type KeyDecision =
  | { readonly ok: true; readonly apiKeyId: string }
  | { readonly ok: false; readonly type: 'INVALID_API_KEY' | 'THROTTLED' | 'QUOTA_EXCEEDED' };

const DAY_MS = 24 * 60 * 60 * 1000;

/** Start (ms, UTC) of the calendar period that holds `time`; weeks start on Sunday. */
export function periodStart(period: QuotaSettings['period'], time: number): number {
  const date = new Date(time);
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  switch (period) {
    case 'DAY':
      return midnight;
    case 'WEEK':
      return midnight - date.getUTCDay() * DAY_MS;
    case 'MONTH':
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  }
}

interface Meter {
  periodStart: number;
  used: number;
}

/** Decides, for methods with `apiKeyRequired`, whether a request's API key may pass. */
export class UsagePlanEnforcer {
  private readonly keysByValue: ReadonlyMap<string, ApiKeyRecord>;
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly meters = new Map<string, Meter>();
  private readonly startedAt: number;

  constructor(
    keys: readonly ApiKeyRecord[],
    private readonly plans: readonly UsagePlanRecord[],
    private readonly now: () => number = Date.now,
  ) {
    this.keysByValue = new Map(keys.map((key) => [key.value, key]));
    this.startedAt = now();
  }

  /**
   * The decision for the `x-api-key` value on `stage`. The quota is checked before the throttle
   * and only requests that pass both count against the quota.
   */
  check(apiKeyValue: string | undefined, stage: string): KeyDecision {
    const key = apiKeyValue ? this.keysByValue.get(apiKeyValue) : undefined;
    if (!key?.enabled) return { ok: false, type: 'INVALID_API_KEY' };
    // API Gateway lets a key sit in one plan per API stage; the first match stands for that one.
    const plan = this.plans.find(
      (candidate) => candidate.apiKeyIds.includes(key.id) && candidate.stages.includes(stage),
    );
    if (!plan) return { ok: false, type: 'INVALID_API_KEY' };

    const slot = `${plan.id}\u0000${key.id}`;
    const meter = plan.quota ? this.currentMeter(slot, plan.quota) : undefined;
    if (plan.quota && meter && meter.used >= this.limitFor(plan.quota, meter.periodStart)) {
      return { ok: false, type: 'QUOTA_EXCEEDED' };
    }
    if (plan.throttle && !this.bucket(slot, plan.throttle).tryTake()) return { ok: false, type: 'THROTTLED' };
    if (meter) meter.used += 1;
    return { ok: true, apiKeyId: key.id };
  }

  /**
   * Requests counted for the key in the current period, and what its quota leaves. `planId`
   * picks the plan; by default the first plan that holds the key.
   */
  usage(apiKeyId: string, planId?: string): { readonly used: number; readonly remaining?: number } {
    const plan = this.plans.find(
      (candidate) =>
        candidate.apiKeyIds.includes(apiKeyId) && (planId === undefined || candidate.id === planId),
    );
    if (!plan) return { used: 0 };
    if (!plan.quota) return { used: this.meters.get(`${plan.id}\u0000${apiKeyId}`)?.used ?? 0 };
    const meter = this.currentMeter(`${plan.id}\u0000${apiKeyId}`, plan.quota);
    return {
      used: meter.used,
      remaining: Math.max(0, this.limitFor(plan.quota, meter.periodStart) - meter.used),
    };
  }

  private limitFor(quota: QuotaSettings, start: number): number {
    const initial = start === periodStart(quota.period, this.startedAt);
    return quota.limit - (initial ? (quota.offset ?? 0) : 0);
  }

  private currentMeter(slot: string, quota: QuotaSettings): Meter {
    const start = periodStart(quota.period, this.now());
    const meter = this.meters.get(slot);
    if (meter && meter.periodStart === start) return meter;
    const fresh = { periodStart: start, used: 0 };
    this.meters.set(slot, fresh);
    return fresh;
  }

  private bucket(slot: string, throttle: ThrottleSettings): TokenBucket {
    let bucket = this.buckets.get(slot);
    if (!bucket) {
      bucket = new TokenBucket(throttle, this.now);
      this.buckets.set(slot, bucket);
    }
    return bucket;
  }
}

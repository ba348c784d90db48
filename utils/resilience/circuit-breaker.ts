import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { JunctionError } from '../http/errors';
import { METRIC_NAMES } from '../observability/metric-names';
import { logger as defaultLogger, metrics as defaultMetrics } from '../observability/powertools';
import { isProviderFailure } from './circuit-failure';
import { type CircuitRecord, type CircuitState, CircuitStore } from './circuit-state';
import type { CircuitBreakerHook } from './policies';

export type CircuitLogger = Pick<Logger, 'info' | 'warn'>;
export type CircuitMetrics = Pick<Metrics, 'singleMetric'>;

/** Where state changes are reported. @default the function's Powertools logger and metrics */
export interface CircuitHooks {
  readonly logger?: CircuitLogger;
  readonly metrics?: CircuitMetrics;
}

export interface CircuitBreakerOptions extends CircuitHooks {
  /** The circuit table (see CircuitBreakerTable; `CIRCUIT_TABLE_NAME`). */
  readonly tableName: string;
  /** The provider this breaker guards: a short name, also a metric dimension (`payment`). */
  readonly provider: string;
  readonly client: DynamoDBClient;
  /** Failures within one window that open the circuit. */
  readonly failureThreshold: number;
  /** Length of the fixed failure window (see circuit-state.ts). */
  readonly windowMs: number;
  /** How long the circuit stays open before one probe call is let through. */
  readonly openMs: number;
  /**
   * How long a probe may take before another caller may probe instead (its instance may have
   * died mid-call). Set it above the guarded call's own timeout. @default openMs
   */
  readonly probeLeaseMs?: number;
  /** How long an instance trusts the state it last read or wrote. @default 1000 */
  readonly cacheTtlMs?: number;
  /** Epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Which errors count as the provider being unwell. @default isProviderFailure */
  readonly isFailure?: (error: unknown) => boolean;
}

/** The circuit is open: the provider is not called. The saga waits `retryAfterMs` and retries. */
export class CircuitOpenError extends JunctionError {
  constructor(
    readonly provider: string,
    readonly retryAfterMs: number,
  ) {
    super(
      'PROVIDER_UNAVAILABLE',
      `The ${provider} provider is unavailable (circuit open); retry in ${Math.ceil(retryAfterMs / 1000)} s`,
      { retryable: true },
    );
    // Spelled out: minified bundles rename classes, and Step Functions retries match on the name.
    this.name = 'CircuitOpenError';
  }
}

const PROVIDER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

function requireWhole(name: string, value: number, minimum: 0 | 1, what: string): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new Error(`${name} must be a whole number ${what}, got ${value}`);
  }
}

function validate(options: CircuitBreakerOptions): void {
  if (options.tableName.trim() === '') throw new Error('tableName must not be empty');
  if (!PROVIDER_NAME.test(options.provider)) {
    throw new Error(
      `provider must be a short name (a letter, then up to 63 letters, digits, _ or -), got "${options.provider}"`,
    );
  }
  requireWhole('failureThreshold', options.failureThreshold, 1, 'of at least 1');
  const durations = {
    windowMs: options.windowMs,
    openMs: options.openMs,
    probeLeaseMs: options.probeLeaseMs,
  };
  for (const [name, value] of Object.entries(durations)) {
    if (value !== undefined) requireWhole(name, value, 1, 'of milliseconds above 0');
  }
  if (options.cacheTtlMs !== undefined) {
    requireWhole('cacheTtlMs', options.cacheTtlMs, 0, 'of milliseconds of 0 or more');
  }
}

/** Logs a state change and counts it by provider and target state (never an id as dimension). */
export function reportStateChange(
  hooks: CircuitHooks,
  message: string,
  from: CircuitState,
  record: CircuitRecord,
): void {
  const log = hooks.logger ?? defaultLogger;
  const details = {
    provider: record.provider,
    from_state: from,
    to_state: record.state,
    version: record.version,
    failure_count: record.failureCount,
  };
  if (record.state === 'open') log.warn(message, details);
  else log.info(message, details);
  const metric = (hooks.metrics ?? defaultMetrics).singleMetric();
  metric.addDimensions({ provider: record.provider, to_state: record.state });
  metric.addMetric(METRIC_NAMES.circuitStateChanges, MetricUnit.Count, 1);
}

/**
 * A circuit breaker for one provider whose state lives in DynamoDB, so that every Lambda
 * instance calling the provider sees the same circuit: closed → open after `failureThreshold`
 * failures within `windowMs` → after `openMs`, one probe call (claimed with a conditional write:
 * one instance wins it, the others fail fast) → closed when the provider answers, open again
 * when it does not.
 *
 * Reads: a strongly consistent GetItem, trusted for `cacheTtlMs` (1 s). Without the cache every
 * provider call would pay a DynamoDB round trip; with it an instance reads at most once a second,
 * and sees another instance's transition at most a second late (a few extra calls to a failing
 * provider, or a second more of failing fast). Its own transitions it sees at once. Consistent
 * reads cost twice an eventual one, which the cache makes negligible, and never show an
 * instance a state older than the cache allows.
 *
 * If the table cannot be read, calls go through unguarded and a warning is logged: a missing
 * circuit state must not take a healthy provider down with it.
 */
export class CircuitBreaker implements CircuitBreakerHook {
  readonly provider: string;
  private readonly store: CircuitStore;
  private readonly now: () => number;
  private readonly isFailure: (error: unknown) => boolean;
  private readonly logger: CircuitLogger;
  private readonly probeLeaseMs: number;
  private readonly cacheTtlMs: number;
  private cached?: { readonly record: CircuitRecord; readonly at: number };

  constructor(private readonly options: CircuitBreakerOptions) {
    validate(options);
    this.provider = options.provider;
    this.store = new CircuitStore(options.client, options.tableName);
    this.now = options.now ?? Date.now;
    this.isFailure = options.isFailure ?? isProviderFailure;
    this.logger = options.logger ?? defaultLogger;
    this.probeLeaseMs = options.probeLeaseMs ?? options.openMs;
    this.cacheTtlMs = options.cacheTtlMs ?? 1000;
  }

  async execute<T>(fn: () => Promise<T>): Promise<T> {
    const record = await this.currentState();
    if (record !== undefined && record.state !== 'closed') {
      const probeId = await this.admit(record);
      if (probeId !== undefined) return this.probe(fn, probeId);
    }
    return this.callClosed(fn);
  }

  private async currentState(): Promise<CircuitRecord | undefined> {
    if (this.cached && this.now() - this.cached.at < this.cacheTtlMs) return this.cached.record;
    try {
      return this.remember(await this.store.read(this.provider));
    } catch (error) {
      this.logger.warn('Circuit state unavailable; calling the provider unguarded', {
        provider: this.provider,
        error,
      });
      return undefined;
    }
  }

  private remember(record: CircuitRecord): CircuitRecord {
    this.cached = { record, at: this.now() };
    return record;
  }

  /** Another instance changed the state: read it afresh next time. */
  private forget(): void {
    this.cached = undefined;
  }

  /** An open or half-open circuit: claims the probe (its id), or finds it closed, or fails fast. */
  private async admit(record: CircuitRecord): Promise<string | undefined> {
    const now = this.now();
    const wait = this.retryAfter(record, now);
    if (wait > 0) throw new CircuitOpenError(this.provider, wait);
    const probeId = randomUUID();
    const { openMs } = this.options;
    let fresh: CircuitRecord;
    try {
      const claimed = await this.store.claimProbe(this.provider, {
        now,
        openMs,
        probeLeaseMs: this.probeLeaseMs,
        probeId,
      });
      if (claimed) {
        this.remember(claimed);
        if (record.state === 'open')
          reportStateChange(this.options, 'Circuit state changed', 'open', claimed);
        else this.logger.warn('Circuit probe lease expired; probing again', { provider: this.provider });
        return probeId;
      }
      fresh = this.remember(await this.store.read(this.provider));
    } catch (error) {
      this.logger.warn('Circuit probe not claimed', { provider: this.provider, error });
      throw new CircuitOpenError(this.provider, 0);
    }
    if (fresh.state === 'closed') return undefined;
    throw new CircuitOpenError(this.provider, this.retryAfter(fresh, now));
  }

  /** Milliseconds until an open circuit may be probed (or a lost probe replaced); 0 when due. */
  private retryAfter(record: CircuitRecord, now: number): number {
    const due =
      record.state === 'open'
        ? (record.openedAt ?? 0) + this.options.openMs
        : (record.probeStartedAt ?? 0) + this.probeLeaseMs;
    return Math.max(0, due - now);
  }

  private async probe<T>(fn: () => Promise<T>, probeId: string): Promise<T> {
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      await this.finishProbe(probeId, !this.isFailure(error));
      throw error;
    }
    await this.finishProbe(probeId, true);
    return result;
  }

  private async finishProbe(probeId: string, healthy: boolean): Promise<void> {
    try {
      const finished = await this.store.finishProbe(this.provider, { now: this.now(), probeId, healthy });
      if (!finished) {
        this.forget();
        return;
      }
      this.remember(finished);
      reportStateChange(this.options, 'Circuit state changed', 'half_open', finished);
    } catch (error) {
      this.forget();
      this.logger.warn('Circuit probe result not recorded', { provider: this.provider, healthy, error });
    }
  }

  private async callClosed<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (this.isFailure(error)) await this.recordFailure();
      throw error;
    }
  }

  private async recordFailure(): Promise<void> {
    const now = this.now();
    const { failureThreshold: threshold, windowMs } = this.options;
    try {
      const counted = this.remember(await this.store.countFailure(this.provider, { now, windowMs }));
      if (counted.state !== 'closed' || counted.failureCount < threshold) return;
      const opened = await this.store.open(this.provider, {
        now,
        windowStartedAt: counted.windowStartedAt,
        threshold,
      });
      if (!opened) {
        this.forget();
        return;
      }
      this.remember(opened);
      reportStateChange(this.options, 'Circuit state changed', 'closed', opened);
    } catch (error) {
      this.logger.warn('Circuit failure not recorded', { provider: this.provider, error });
    }
  }
}

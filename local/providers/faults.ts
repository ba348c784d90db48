import type { ProviderFaults } from './types';

export const NO_FAULTS: ProviderFaults = Object.freeze({
  errorRate: 0,
  errorStatus: 503,
  latencyMs: 0,
  timeoutRate: 0,
});

/** Ten minutes: longer than any client timeout worth testing, short enough to catch a unit mix-up. */
const MAX_LATENCY_MS = 600_000;
const FAULT_FIELDS = new Set(Object.keys(NO_FAULTS));

/** Checks a partial fault setting from code or from the admin surface; throws a RangeError saying what is wrong. */
export function validateFaults(input: unknown): Partial<ProviderFaults> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new RangeError('Faults must be a JSON object');
  }
  const faults = input as Record<string, unknown>;
  for (const key of Object.keys(faults)) {
    if (!FAULT_FIELDS.has(key)) throw new RangeError(`Unknown fault field: ${key}`);
  }
  for (const key of ['errorRate', 'timeoutRate'] as const) {
    const value = faults[key];
    if (value !== undefined && !(isFiniteNumber(value) && value >= 0 && value <= 1)) {
      throw new RangeError(`${key} must be a number between 0 and 1`);
    }
  }
  const status = faults.errorStatus;
  if (status !== undefined && !(Number.isInteger(status) && Number(status) >= 400 && Number(status) <= 599)) {
    throw new RangeError('errorStatus must be an integer HTTP error status (400-599)');
  }
  const latency = faults.latencyMs;
  if (latency !== undefined && !(isFiniteNumber(latency) && latency >= 0 && latency <= MAX_LATENCY_MS)) {
    throw new RangeError(`latencyMs must be a number of milliseconds between 0 and ${MAX_LATENCY_MS}`);
  }
  return faults as Partial<ProviderFaults>;
}

const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** What the faults make of one request. */
export interface FaultPlan {
  readonly latencyMs: number;
  readonly outcome: 'normal' | 'timeout' | 'error';
  readonly errorStatus: number;
}

/**
 * Draws the fate of one request: the timeout first, then the error. `random` is called only for a rate
 * strictly between 0 and 1, so that a test injecting numbers knows exactly which draw each one feeds.
 */
export function planFaults(faults: ProviderFaults, random: () => number): FaultPlan {
  const timeout = happens(faults.timeoutRate, random);
  const error = !timeout && happens(faults.errorRate, random);
  return {
    latencyMs: faults.latencyMs,
    outcome: timeout ? 'timeout' : error ? 'error' : 'normal',
    errorStatus: faults.errorStatus,
  };
}

function happens(rate: number, random: () => number): boolean {
  if (rate <= 0) return false;
  if (rate >= 1) return true;
  return random() < rate;
}

/** The label a recorded call carries: the strongest fault that shaped its answer. */
export function faultLabel(plan: FaultPlan): 'error' | 'timeout' | 'latency' | undefined {
  if (plan.outcome !== 'normal') return plan.outcome;
  return plan.latencyMs > 0 ? 'latency' : undefined;
}

import type { PolicyTiming } from '../../utils/resilience/policies';
import type { CredentialsSource } from '../../utils/security/credentials';

/** Timing for connector tests: waits are recorded, not slept; the jitter draw is fixed. */
export function instantTiming(): PolicyTiming & { readonly waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
    random: () => 0.5,
    now: () => Date.now(),
  };
}

/** Credentials that rotate: `get` serves the current value until `refresh` moves to the next. */
export class RotatingCredentials<T> implements CredentialsSource<T> {
  refreshes = 0;
  private index = 0;

  constructor(private readonly versions: readonly T[]) {}

  async get(): Promise<T> {
    return this.versions[this.index] as T;
  }

  async refresh(): Promise<T> {
    this.refreshes += 1;
    this.index = Math.min(this.index + 1, this.versions.length - 1);
    return this.get();
  }
}

/** A succeeded charge as the payment provider returns it; `overrides` replace fields. */
export function chargeBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'ch_3Pabc',
    object: 'charge',
    amount: 6100,
    amount_refunded: 0,
    currency: 'eur',
    status: 'succeeded',
    paid: true,
    refunded: false,
    created: 1736935200,
    failure_code: null,
    metadata: {},
    ...overrides,
  };
}

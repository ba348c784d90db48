import {
  type ApiKeyRecord,
  TokenBucket,
  UsagePlanEnforcer,
  type UsagePlanRecord,
} from '../../../../local/apigateway/usage-plans';

/** A hand-driven clock in milliseconds. */
function clock(start: number) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    set: (ms: number) => {
      now = ms;
    },
  };
}

describe('TokenBucket', () => {
  it('starts full: a burst of burstLimit passes, the next request is throttled', () => {
    const time = clock(0);
    const bucket = new TokenBucket({ rateLimit: 10, burstLimit: 3 }, time.now);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('refills at rateLimit tokens per second', () => {
    const time = clock(0);
    const bucket = new TokenBucket({ rateLimit: 10, burstLimit: 2 }, time.now);
    bucket.tryTake();
    bucket.tryTake();
    time.advance(50);
    expect(bucket.tryTake()).toBe(false);
    time.advance(50);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
  });

  it('never holds more than burstLimit tokens', () => {
    const time = clock(0);
    const bucket = new TokenBucket({ rateLimit: 100, burstLimit: 2 }, time.now);
    time.advance(60_000);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, false]);
  });

  it('supports fractional rates', () => {
    const time = clock(0);
    const bucket = new TokenBucket({ rateLimit: 0.5, burstLimit: 1 }, time.now);
    expect(bucket.tryTake()).toBe(true);
    time.advance(1_999);
    expect(bucket.tryTake()).toBe(false);
    time.advance(1);
    expect(bucket.tryTake()).toBe(true);
  });

  it('throttles everything with a burst of zero', () => {
    const bucket = new TokenBucket({ rateLimit: 100, burstLimit: 0 }, () => 0);
    expect(bucket.tryTake()).toBe(false);
  });
});

const keys: ApiKeyRecord[] = [
  { id: 'key-a', value: 'value-a', enabled: true },
  { id: 'key-b', value: 'value-b', enabled: true },
  { id: 'key-off', value: 'value-off', enabled: false },
  { id: 'key-lonely', value: 'value-lonely', enabled: true },
];

describe('UsagePlanEnforcer: API keys', () => {
  const plans: UsagePlanRecord[] = [{ id: 'plan-1', apiKeyIds: ['key-a', 'key-off'], stages: ['prod'] }];
  const enforcer = new UsagePlanEnforcer(keys, plans, () => Date.UTC(2025, 0, 15));

  it('accepts a known, enabled key in a plan for the stage', () => {
    expect(enforcer.check('value-a', 'prod')).toEqual({ ok: true, apiKeyId: 'key-a' });
  });

  it.each([
    ['missing', undefined, 'prod'],
    ['empty', '', 'prod'],
    ['unknown', 'value-x', 'prod'],
    ['disabled', 'value-off', 'prod'],
    ['in no plan', 'value-lonely', 'prod'],
    ['in a plan for another stage', 'value-a', 'dev'],
  ])('rejects a %s key', (_case, value, stage) => {
    expect(enforcer.check(value, stage)).toEqual({ ok: false, type: 'INVALID_API_KEY' });
  });

  it('reports no quota for a plan without one', () => {
    enforcer.check('value-a', 'prod');
    expect(enforcer.usage('key-a').remaining).toBeUndefined();
  });

  it('reports nothing used for a key it does not know', () => {
    expect(enforcer.usage('nope')).toEqual({ used: 0 });
  });
});

describe('UsagePlanEnforcer: throttling', () => {
  it('throttles per key with the plan’s token bucket', () => {
    const time = clock(Date.UTC(2025, 0, 15, 12));
    const enforcer = new UsagePlanEnforcer(
      keys,
      [
        {
          id: 'plan-1',
          throttle: { rateLimit: 1, burstLimit: 2 },
          apiKeyIds: ['key-a', 'key-b'],
          stages: ['prod'],
        },
      ],
      time.now,
    );
    expect(enforcer.check('value-a', 'prod').ok).toBe(true);
    expect(enforcer.check('value-a', 'prod').ok).toBe(true);
    expect(enforcer.check('value-a', 'prod')).toEqual({ ok: false, type: 'THROTTLED' });
    // Another key has its own bucket.
    expect(enforcer.check('value-b', 'prod').ok).toBe(true);
    time.advance(1_000);
    expect(enforcer.check('value-a', 'prod').ok).toBe(true);
  });

  it('does not count a throttled request against the quota', () => {
    const time = clock(Date.UTC(2025, 0, 15, 12));
    const enforcer = new UsagePlanEnforcer(
      keys,
      [
        {
          id: 'plan-1',
          throttle: { rateLimit: 1, burstLimit: 1 },
          quota: { limit: 10, period: 'DAY' },
          apiKeyIds: ['key-a'],
          stages: ['prod'],
        },
      ],
      time.now,
    );
    enforcer.check('value-a', 'prod');
    expect(enforcer.check('value-a', 'prod')).toEqual({ ok: false, type: 'THROTTLED' });
    expect(enforcer.usage('key-a')).toEqual({ used: 1, remaining: 9 });
  });
});

describe('UsagePlanEnforcer: quotas', () => {
  function enforcerWith(quota: UsagePlanRecord['quota'], start: number) {
    const time = clock(start);
    const enforcer = new UsagePlanEnforcer(
      keys,
      [{ id: 'plan-1', quota, apiKeyIds: ['key-a', 'key-b'], stages: ['prod', 'dev'] }],
      time.now,
    );
    return { time, enforcer };
  }

  it('allows limit requests per key and period, then answers QUOTA_EXCEEDED', () => {
    const { enforcer } = enforcerWith({ limit: 2, period: 'DAY' }, Date.UTC(2025, 0, 15, 10));
    expect(enforcer.check('value-a', 'prod').ok).toBe(true);
    expect(enforcer.usage('key-a')).toEqual({ used: 1, remaining: 1 });
    expect(enforcer.check('value-a', 'dev').ok).toBe(true);
    expect(enforcer.check('value-a', 'prod')).toEqual({ ok: false, type: 'QUOTA_EXCEEDED' });
    expect(enforcer.usage('key-a')).toEqual({ used: 2, remaining: 0 });
    expect(enforcer.check('value-b', 'prod').ok).toBe(true);
  });

  it('resets a DAY quota at midnight UTC', () => {
    const { time, enforcer } = enforcerWith({ limit: 1, period: 'DAY' }, Date.UTC(2025, 0, 15, 23, 59));
    expect(enforcer.check('value-a', 'prod').ok).toBe(true);
    time.set(Date.UTC(2025, 0, 15, 23, 59, 59, 999));
    expect(enforcer.check('value-a', 'prod').ok).toBe(false);
    time.set(Date.UTC(2025, 0, 16));
    expect(enforcer.check('value-a', 'prod').ok).toBe(true);
  });

  it('resets a WEEK quota at midnight UTC between Saturday and Sunday', () => {
    // 2025-01-15 is a Wednesday; the week runs Sunday 12th to Saturday 18th.
    const { time, enforcer } = enforcerWith({ limit: 1, period: 'WEEK' }, Date.UTC(2025, 0, 12));
    expect(enforcer.check('value-a', 'prod').ok).toBe(true);
    time.set(Date.UTC(2025, 0, 18, 23, 59, 59, 999));
    expect(enforcer.check('value-a', 'prod').ok).toBe(false);
    time.set(Date.UTC(2025, 0, 19));
    expect(enforcer.check('value-a', 'prod').ok).toBe(true);
  });

  it('resets a MONTH quota on the first of the month, UTC', () => {
    const { time, enforcer } = enforcerWith({ limit: 1, period: 'MONTH' }, Date.UTC(2025, 1, 3));
    expect(enforcer.check('value-a', 'prod').ok).toBe(true);
    time.set(Date.UTC(2025, 1, 28, 23, 59, 59, 999));
    expect(enforcer.check('value-a', 'prod').ok).toBe(false);
    time.set(Date.UTC(2025, 2, 1));
    expect(enforcer.check('value-a', 'prod').ok).toBe(true);
  });

  it('subtracts the offset from the limit in the initial period only', () => {
    const { time, enforcer } = enforcerWith({ limit: 3, period: 'DAY', offset: 2 }, Date.UTC(2025, 0, 15, 9));
    expect(enforcer.usage('key-a')).toEqual({ used: 0, remaining: 1 });
    expect(enforcer.check('value-a', 'prod').ok).toBe(true);
    expect(enforcer.check('value-a', 'prod')).toEqual({ ok: false, type: 'QUOTA_EXCEEDED' });
    time.set(Date.UTC(2025, 0, 16, 9));
    expect(enforcer.usage('key-a')).toEqual({ used: 0, remaining: 3 });
    expect([1, 2, 3, 4].map(() => enforcer.check('value-a', 'prod').ok)).toEqual([true, true, true, false]);
  });

  it('checks the quota before the throttle', () => {
    const time = clock(Date.UTC(2025, 0, 15, 12));
    const enforcer = new UsagePlanEnforcer(
      keys,
      [
        {
          id: 'plan-1',
          throttle: { rateLimit: 1, burstLimit: 1 },
          quota: { limit: 1, period: 'DAY' },
          apiKeyIds: ['key-a'],
          stages: ['prod'],
        },
      ],
      time.now,
    );
    enforcer.check('value-a', 'prod');
    expect(enforcer.check('value-a', 'prod')).toEqual({ ok: false, type: 'QUOTA_EXCEEDED' });
  });

  it('counts per plan when a key belongs to plans for different stages', () => {
    const time = clock(Date.UTC(2025, 0, 15, 12));
    const enforcer = new UsagePlanEnforcer(
      keys,
      [
        { id: 'plan-prod', quota: { limit: 1, period: 'DAY' }, apiKeyIds: ['key-a'], stages: ['prod'] },
        { id: 'plan-dev', quota: { limit: 5, period: 'DAY' }, apiKeyIds: ['key-a'], stages: ['dev'] },
      ],
      time.now,
    );
    expect(enforcer.check('value-a', 'prod').ok).toBe(true);
    expect(enforcer.check('value-a', 'prod').ok).toBe(false);
    expect(enforcer.check('value-a', 'dev').ok).toBe(true);
    expect(enforcer.usage('key-a')).toEqual({ used: 1, remaining: 0 });
    expect(enforcer.usage('key-a', 'plan-dev')).toEqual({ used: 1, remaining: 4 });
  });
});

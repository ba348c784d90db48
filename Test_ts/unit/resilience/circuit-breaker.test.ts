import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { JunctionError } from '../../../utils/http/errors';
import {
  CircuitBreaker,
  type CircuitBreakerOptions,
  CircuitOpenError,
} from '../../../utils/resilience/circuit-breaker';
import { createCircuitTable, gate, type ManualClock, manualClock } from '../../support/circuit-table';
import { type RunningDynalite, startDynalite } from '../../support/dynalite';
import { captureStderr, captureStdout } from '../../support/stdout';

// Every "Lambda instance" is its own CircuitBreaker over one real DynamoDB table (dynalite); the
// clock is moved by hand and the state cache is off unless a test is about the cache.

const TABLE = 'circuits';
const THRESHOLD = 3;
const WINDOW_MS = 10_000;
const OPEN_MS = 5_000;
const PROBE_LEASE_MS = 8_000;

class ProviderHttpError extends Error {
  constructor(readonly status: number) {
    super(`provider answered ${status}`);
  }
}
class PaymentDeclinedError extends Error {
  readonly status = 402;
}

let dynamo: RunningDynalite;
// Silent unless a test listens: Powertools reads POWERTOOLS_METRICS_DISABLED per single metric.
const quietLogger = new Logger({ serviceName: 'connector-test', logLevel: 'SILENT' });
const logger = new Logger({ serviceName: 'connector-test', logLevel: 'INFO' });
const metrics = new Metrics({ namespace: 'Junction', serviceName: 'connector-test' });
let clock: ManualClock;
let counter = 0;
let provider: string;

beforeAll(async () => {
  dynamo = await startDynalite();
  await createCircuitTable(dynamo.client, TABLE);
});

afterAll(async () => {
  await dynamo?.stop();
});

beforeEach(() => {
  clock = manualClock();
  provider = `payment-${++counter}`;
});

function instance(overrides: Partial<CircuitBreakerOptions> = {}): CircuitBreaker {
  return new CircuitBreaker({
    tableName: TABLE,
    provider,
    client: dynamo.client,
    failureThreshold: THRESHOLD,
    windowMs: WINDOW_MS,
    openMs: OPEN_MS,
    probeLeaseMs: PROBE_LEASE_MS,
    cacheTtlMs: 0,
    now: clock.now,
    logger: quietLogger,
    metrics,
    ...overrides,
  });
}

/** A provider call that counts how often it ran. */
function providerCall<T>(outcome: () => Promise<T>) {
  const call = {
    count: 0,
    run: () => {
      call.count += 1;
      return outcome();
    },
  };
  return call;
}
const unwell = () => Promise.reject(new ProviderHttpError(503));
const healthy = async () => 'charged';

async function failTimes(breaker: CircuitBreaker, times: number, stepMs = 0): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    await expect(breaker.execute(unwell)).rejects.toBeInstanceOf(ProviderHttpError);
    clock.advance(stepMs);
  }
}

async function openCircuit(breaker: CircuitBreaker): Promise<void> {
  await failTimes(breaker, THRESHOLD);
  await expect(breaker.execute(healthy)).rejects.toBeInstanceOf(CircuitOpenError);
}

describe('CircuitBreaker, closed', () => {
  it('stays closed under one failure fewer than the threshold', async () => {
    const breaker = instance();
    await failTimes(breaker, THRESHOLD - 1, 1000);
    const call = providerCall(healthy);
    await expect(breaker.execute(call.run)).resolves.toBe('charged');
    expect(call.count).toBe(1);
  });

  it('opens after the threshold of failures within the window, and then fails fast without calling', async () => {
    const breaker = instance();
    await failTimes(breaker, THRESHOLD, 1000);
    clock.advance(1000);
    const call = providerCall(healthy);
    const error = await breaker.execute(call.run).catch((caught: unknown) => caught);
    expect(call.count).toBe(0);
    expect(error).toBeInstanceOf(CircuitOpenError);
    // Opened by the third failure (at +2 s); now is +4 s.
    expect(error).toMatchObject({ name: 'CircuitOpenError', provider, retryAfterMs: OPEN_MS - 2000 });
  });

  it('does not open for the same number of failures spread over more than the window', async () => {
    const breaker = instance();
    await failTimes(breaker, THRESHOLD - 1);
    clock.advance(WINDOW_MS);
    await failTimes(breaker, THRESHOLD - 1);
    await expect(breaker.execute(healthy)).resolves.toBe('charged');
  });

  it('does not count business errors such as a declined card, and passes them through unchanged', async () => {
    const breaker = instance();
    for (let i = 0; i < THRESHOLD * 2; i += 1) {
      await expect(
        breaker.execute(() => Promise.reject(new PaymentDeclinedError('declined'))),
      ).rejects.toThrow('declined');
    }
    await expect(breaker.execute(healthy)).resolves.toBe('charged');
  });

  it('takes what counts as a failure from the caller', async () => {
    const breaker = instance({ isFailure: (error) => error instanceof PaymentDeclinedError });
    for (let i = 0; i < THRESHOLD; i += 1) {
      await expect(breaker.execute(() => Promise.reject(new PaymentDeclinedError('x')))).rejects.toThrow('x');
    }
    await expect(breaker.execute(healthy)).rejects.toBeInstanceOf(CircuitOpenError);
  });
});

describe('CircuitBreaker, open and half-open', () => {
  it('lets exactly one of two concurrent instances probe once the circuit has been open for openMs', async () => {
    const [first, second] = [instance(), instance()];
    await openCircuit(first);
    clock.advance(OPEN_MS);
    const inFlight = gate();
    const call = providerCall(async () => {
      await inFlight.promise;
      return 'charged';
    });
    const calls = [first.execute(call.run), second.execute(call.run)];
    // The instance that lost the claim settles while the probe is still in flight.
    const loser = await Promise.race(calls.map((promise) => promise.catch((error: unknown) => error)));
    inFlight.open();
    const results = await Promise.allSettled(calls);
    expect(call.count).toBe(1);
    expect(loser).toBeInstanceOf(CircuitOpenError);
    expect(loser).toMatchObject({ retryAfterMs: PROBE_LEASE_MS });
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('lets one probe through when concurrent calls share an instance', async () => {
    const breaker = instance();
    await openCircuit(breaker);
    clock.advance(OPEN_MS);
    const inFlight = gate();
    const call = providerCall(async () => {
      await inFlight.promise;
      return 'charged';
    });
    const calls = [breaker.execute(call.run), breaker.execute(call.run), breaker.execute(call.run)];
    await Promise.race(calls.map((promise) => promise.catch(() => undefined)));
    inFlight.open();
    const results = await Promise.allSettled(calls);
    expect(call.count).toBe(1);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
  });

  it('closes after a successful probe, with the failure count reset', async () => {
    const breaker = instance();
    await openCircuit(breaker);
    clock.advance(OPEN_MS);
    await expect(breaker.execute(healthy)).resolves.toBe('charged');
    await failTimes(breaker, THRESHOLD - 1);
    const call = providerCall(healthy);
    await expect(breaker.execute(call.run)).resolves.toBe('charged');
    expect(call.count).toBe(1);
  });

  it('closes when the probe meets a business error: the provider answered', async () => {
    const breaker = instance();
    await openCircuit(breaker);
    clock.advance(OPEN_MS);
    await expect(breaker.execute(() => Promise.reject(new PaymentDeclinedError('declined')))).rejects.toThrow(
      'declined',
    );
    await expect(breaker.execute(healthy)).resolves.toBe('charged');
  });

  it('opens again for another openMs when the probe fails', async () => {
    const breaker = instance();
    await openCircuit(breaker);
    clock.advance(OPEN_MS);
    await expect(breaker.execute(unwell)).rejects.toBeInstanceOf(ProviderHttpError);
    clock.advance(1000);
    const call = providerCall(healthy);
    await expect(breaker.execute(call.run)).rejects.toMatchObject({ retryAfterMs: OPEN_MS - 1000 });
    expect(call.count).toBe(0);
    clock.advance(OPEN_MS - 1000);
    await expect(breaker.execute(call.run)).resolves.toBe('charged');
  });

  it('gives the probe to another caller when the instance that took it never reported back', async () => {
    const [vanished, other] = [instance(), instance()];
    await openCircuit(vanished);
    clock.advance(OPEN_MS);
    const stuck = gate();
    const lateProbe = vanished.execute(() => stuck.promise);
    await expect(other.execute(healthy)).rejects.toBeInstanceOf(CircuitOpenError);
    clock.advance(PROBE_LEASE_MS);
    await expect(other.execute(healthy)).resolves.toBe('charged');
    // The first probe reports long after its lease: it no longer decides anything.
    clock.advance(1);
    await failTimes(other, THRESHOLD - 1);
    stuck.open();
    await expect(lateProbe).resolves.toBeUndefined();
    await failTimes(other, 1);
    await expect(other.execute(healthy)).rejects.toBeInstanceOf(CircuitOpenError);
  });
});

describe('CircuitBreaker across instances', () => {
  it('shares one state: failures from two instances add up, and both see it open and closed again', async () => {
    const [a, b] = [instance(), instance()];
    await failTimes(a, THRESHOLD - 1);
    await failTimes(b, 1);
    await expect(a.execute(healthy)).rejects.toBeInstanceOf(CircuitOpenError);
    clock.advance(OPEN_MS);
    await expect(b.execute(healthy)).resolves.toBe('charged');
    await expect(a.execute(healthy)).resolves.toBe('charged');
  });

  it('keeps circuits of different providers apart', async () => {
    await openCircuit(instance());
    await expect(instance({ provider: `${provider}-email` }).execute(healthy)).resolves.toBe('charged');
  });

  it('serves state from its cache for cacheTtlMs, but sees its own transitions at once', async () => {
    const cached = instance({ cacheTtlMs: 1000 });
    const other = instance();
    await expect(cached.execute(healthy)).resolves.toBe('charged');
    await openCircuit(other);
    // Stale by at most cacheTtlMs: the cached instance still calls the provider.
    await expect(cached.execute(healthy)).resolves.toBe('charged');
    clock.advance(1000);
    await expect(cached.execute(healthy)).rejects.toBeInstanceOf(CircuitOpenError);

    const own = instance({ cacheTtlMs: 60_000, provider: `${provider}-own` });
    await failTimes(own, THRESHOLD);
    await expect(own.execute(healthy)).rejects.toBeInstanceOf(CircuitOpenError);
  });

  it('calls the provider when the circuit state cannot be read, and says so', async () => {
    const blind = instance({ tableName: 'no-such-table', logger });
    const stderr = captureStderr();
    try {
      await expect(blind.execute(healthy)).resolves.toBe('charged');
      await expect(blind.execute(unwell)).rejects.toBeInstanceOf(ProviderHttpError);
    } finally {
      stderr.restore();
    }
    const warnings = stderr.json().filter((line) => line.level === 'WARN');
    expect(warnings.map((line) => line.message)).toEqual([
      'Circuit state unavailable; calling the provider unguarded',
      'Circuit state unavailable; calling the provider unguarded',
      'Circuit failure not recorded',
    ]);
    expect(warnings[0]).toMatchObject({
      provider,
      error: expect.objectContaining({ name: 'ResourceNotFoundException' }),
    });
  });
});

describe('CircuitBreaker observability', () => {
  beforeAll(() => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  });

  afterAll(() => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  });

  it('logs every state change once and counts it by provider and target state', async () => {
    const [a, b] = [instance({ logger }), instance({ logger })];
    const stdout = captureStdout();
    const stderr = captureStderr();
    try {
      await failTimes(a, THRESHOLD - 1);
      await failTimes(b, 1);
      clock.advance(OPEN_MS);
      await expect(a.execute(unwell)).rejects.toBeInstanceOf(ProviderHttpError);
      clock.advance(OPEN_MS);
      await expect(b.execute(healthy)).resolves.toBe('charged');
    } finally {
      stderr.restore();
      stdout.restore();
    }
    const changes = [...stdout.json(), ...stderr.json()]
      .filter((line) => line.message === 'Circuit state changed')
      .map((line) => [line.level, line.from_state, line.to_state]);
    expect(changes).toEqual(
      expect.arrayContaining([
        ['WARN', 'closed', 'open'],
        ['INFO', 'open', 'half_open'],
        ['WARN', 'half_open', 'open'],
        ['INFO', 'half_open', 'closed'],
      ]),
    );
    expect(changes).toHaveLength(5);
    const records = stdout
      .json()
      .filter((record) => '_aws' in record && 'Circuit_State_Changes_Total' in record);
    expect(
      records.map((record) => [record.provider, record.to_state, record.Circuit_State_Changes_Total]),
    ).toEqual([
      [provider, 'open', 1],
      [provider, 'half_open', 1],
      [provider, 'open', 1],
      [provider, 'half_open', 1],
      [provider, 'closed', 1],
    ]);
    // Only provider and to_state (and the service) are dimensions: no ids, no versions.
    for (const record of records) {
      expect(record._aws).toMatchObject({
        CloudWatchMetrics: [{ Dimensions: [['service', 'provider', 'to_state']] }],
      });
    }
  });
});

describe('CircuitBreaker options and errors', () => {
  it.each<[string, Partial<CircuitBreakerOptions>, RegExp]>([
    ['a threshold below 1', { failureThreshold: 0 }, /failureThreshold must be a whole number of at least 1/],
    ['a fractional threshold', { failureThreshold: 2.5 }, /failureThreshold/],
    ['an empty window', { windowMs: 0 }, /windowMs must be a whole number of milliseconds above 0/],
    ['no open time', { openMs: -1 }, /openMs must be/],
    [
      'a negative cache',
      { cacheTtlMs: -1 },
      /cacheTtlMs must be a whole number of milliseconds of 0 or more/,
    ],
    ['no probe lease', { probeLeaseMs: 0 }, /probeLeaseMs must be/],
    ['no table', { tableName: '' }, /tableName must not be empty/],
    ['a provider that is not a short name', { provider: 'order 123/abc' }, /provider must be/],
  ])('rejects %s with a clear error', (_, overrides, message) => {
    expect(() => instance(overrides)).toThrow(message);
  });

  it('throws a typed CircuitOpenError that the API answers as 503 PROVIDER_UNAVAILABLE', () => {
    const error = new CircuitOpenError('payment', 1234);
    expect(error).toBeInstanceOf(JunctionError);
    expect(error).toMatchObject({
      name: 'CircuitOpenError',
      provider: 'payment',
      retryAfterMs: 1234,
      code: 'PROVIDER_UNAVAILABLE',
      status: 503,
      retryable: true,
    });
    expect(error.message).toBe('The payment provider is unavailable (circuit open); retry in 2 s');
  });
});

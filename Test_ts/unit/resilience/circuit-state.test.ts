import { CircuitStore } from '../../../utils/resilience/circuit-state';
import { createCircuitTable } from '../../support/circuit-table';
import { type RunningDynalite, startDynalite } from '../../support/dynalite';

// The conditional writes behind every circuit transition, against a real DynamoDB implementation.

const TABLE = 'circuit-state';
const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);
let dynamo: RunningDynalite;
let store: CircuitStore;
let counter = 0;
const nextProvider = () => `provider-${++counter}`;

beforeAll(async () => {
  dynamo = await startDynalite();
  await createCircuitTable(dynamo.client, TABLE);
  store = new CircuitStore(dynamo.client, TABLE);
});

afterAll(async () => {
  await dynamo?.stop();
});

describe('CircuitStore', () => {
  it('reads a provider it has never seen as closed, with no failures', async () => {
    const provider = nextProvider();
    expect(await store.read(provider)).toEqual({
      provider,
      state: 'closed',
      failureCount: 0,
      windowStartedAt: 0,
      version: 0,
    });
  });

  it('counts failures in the window that the first one started', async () => {
    const provider = nextProvider();
    const first = await store.countFailure(provider, { now: T0, windowMs: 1000 });
    const second = await store.countFailure(provider, { now: T0 + 999, windowMs: 1000 });
    expect(first).toMatchObject({ state: 'closed', failureCount: 1, windowStartedAt: T0, version: 1 });
    expect(second).toMatchObject({ state: 'closed', failureCount: 2, windowStartedAt: T0, version: 2 });
  });

  it('starts a new window once the current one has expired', async () => {
    const provider = nextProvider();
    await store.countFailure(provider, { now: T0, windowMs: 1000 });
    await store.countFailure(provider, { now: T0 + 500, windowMs: 1000 });
    const later = await store.countFailure(provider, { now: T0 + 1000, windowMs: 1000 });
    expect(later).toMatchObject({ failureCount: 1, windowStartedAt: T0 + 1000, version: 3 });
  });

  it('loses no failure when many instances count at once', async () => {
    const provider = nextProvider();
    await Promise.all(
      Array.from({ length: 8 }, () => store.countFailure(provider, { now: T0, windowMs: 1000 })),
    );
    expect(await store.read(provider)).toMatchObject({ failureCount: 8, version: 8 });
  });

  it('opens only a window that reached the threshold, and only once', async () => {
    const provider = nextProvider();
    await store.countFailure(provider, { now: T0, windowMs: 1000 });
    expect(await store.open(provider, { now: T0, windowStartedAt: T0, threshold: 2 })).toBeUndefined();
    await store.countFailure(provider, { now: T0 + 1, windowMs: 1000 });
    const attempts = await Promise.all([
      store.open(provider, { now: T0 + 2, windowStartedAt: T0, threshold: 2 }),
      store.open(provider, { now: T0 + 2, windowStartedAt: T0, threshold: 2 }),
    ]);
    expect(attempts.filter((record) => record !== undefined)).toEqual([
      expect.objectContaining({ state: 'open', openedAt: T0 + 2, failureCount: 2 }),
    ]);
  });

  it('does not count failures while the circuit is open', async () => {
    const provider = nextProvider();
    await store.countFailure(provider, { now: T0, windowMs: 1000 });
    await store.open(provider, { now: T0, windowStartedAt: T0, threshold: 1 });
    const after = await store.countFailure(provider, { now: T0 + 5000, windowMs: 1000 });
    expect(after).toMatchObject({ state: 'open', failureCount: 1, openedAt: T0 });
  });

  it('lets exactly one of many concurrent claims take the probe once the circuit has been open long enough', async () => {
    const provider = nextProvider();
    await store.countFailure(provider, { now: T0, windowMs: 1000 });
    await store.open(provider, { now: T0, windowStartedAt: T0, threshold: 1 });
    const early = { now: T0 + 499, openMs: 500, probeLeaseMs: 2000 };
    expect(await store.claimProbe(provider, { ...early, probeId: 'early' })).toBeUndefined();

    const claims = await Promise.all(
      ['a', 'b', 'c', 'd'].map((probeId) =>
        store.claimProbe(provider, { now: T0 + 500, openMs: 500, probeLeaseMs: 2000, probeId }),
      ),
    );
    const won = claims.filter((record) => record !== undefined);
    expect(won).toHaveLength(1);
    expect(won[0]).toMatchObject({ state: 'half_open', probeStartedAt: T0 + 500 });
  });

  it('hands the probe to another claimant when the first one did not report within its lease', async () => {
    const provider = nextProvider();
    await store.countFailure(provider, { now: T0, windowMs: 1000 });
    await store.open(provider, { now: T0, windowStartedAt: T0, threshold: 1 });
    const claim = { openMs: 500, probeLeaseMs: 2000 };
    await store.claimProbe(provider, { ...claim, now: T0 + 500, probeId: 'lost' });
    expect(await store.claimProbe(provider, { ...claim, now: T0 + 2499, probeId: 'next' })).toBeUndefined();
    const next = await store.claimProbe(provider, { ...claim, now: T0 + 2500, probeId: 'next' });
    expect(next).toMatchObject({ state: 'half_open', probeId: 'next', probeStartedAt: T0 + 2500 });
    expect(
      await store.finishProbe(provider, { now: T0 + 2600, probeId: 'lost', healthy: true }),
    ).toBeUndefined();
  });

  it('closes with a clean slate after a healthy probe, and reopens after a failed one', async () => {
    const healthy = nextProvider();
    const failing = nextProvider();
    for (const provider of [healthy, failing]) {
      await store.countFailure(provider, { now: T0, windowMs: 1000 });
      await store.open(provider, { now: T0, windowStartedAt: T0, threshold: 1 });
      await store.claimProbe(provider, { now: T0 + 500, openMs: 500, probeLeaseMs: 2000, probeId: 'p' });
    }
    const closed = await store.finishProbe(healthy, { now: T0 + 600, probeId: 'p', healthy: true });
    const reopened = await store.finishProbe(failing, { now: T0 + 600, probeId: 'p', healthy: false });
    expect(closed).toEqual({
      provider: healthy,
      state: 'closed',
      failureCount: 0,
      windowStartedAt: 0,
      version: 4,
    });
    expect(reopened).toEqual({
      provider: failing,
      state: 'open',
      failureCount: 1,
      windowStartedAt: T0,
      openedAt: T0 + 600,
      version: 4,
    });
  });

  it('resets a circuit to closed and answers what it was; a provider never seen is not reset', async () => {
    const provider = nextProvider();
    await store.countFailure(provider, { now: T0, windowMs: 1000 });
    await store.open(provider, { now: T0, windowStartedAt: T0, threshold: 1 });
    const previous = await store.reset(provider);
    expect(previous).toMatchObject({ state: 'open', openedAt: T0 });
    expect(await store.read(provider)).toEqual({
      provider,
      state: 'closed',
      failureCount: 0,
      windowStartedAt: 0,
      version: 3,
    });
    const unknown = nextProvider();
    expect(await store.reset(unknown)).toBeUndefined();
    expect(await store.list()).not.toContainEqual(expect.objectContaining({ provider: unknown }));
  });

  it('lists every provider, sorted, across pages', async () => {
    const lister = new CircuitStore(dynamo.client, TABLE, { pageSize: 2 });
    const names = [nextProvider(), nextProvider(), nextProvider()];
    for (const provider of names) await store.countFailure(provider, { now: T0, windowMs: 1000 });
    const listed = (await lister.list()).map((record) => record.provider);
    expect(listed).toEqual(expect.arrayContaining(names));
    expect(listed).toEqual([...listed].sort());
  });
});

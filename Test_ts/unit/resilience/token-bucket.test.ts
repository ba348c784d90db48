import { TokenBucket } from '../../../utils/resilience/token-bucket';

/** A clock that only moves when the bucket sleeps, so the waits are exact. */
function virtualTime() {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
  };
}

describe('TokenBucket', () => {
  it('lets a burst through at once, then paces calls at the rate', async () => {
    const time = virtualTime();
    const bucket = new TokenBucket({ perSecond: 2, burst: 2 }, time);
    await bucket.take();
    await bucket.take();
    expect(time.waits).toEqual([]);
    await bucket.take();
    await bucket.take();
    expect(time.waits).toEqual([500, 500]);
  });

  it('refills while idle, up to the burst', async () => {
    const time = virtualTime();
    const bucket = new TokenBucket({ perSecond: 10, burst: 3 }, time);
    for (let call = 0; call < 3; call += 1) await bucket.take();
    time.advance(60_000);
    for (let call = 0; call < 3; call += 1) await bucket.take();
    expect(time.waits).toEqual([]);
    await bucket.take();
    expect(time.waits).toEqual([100]);
  });

  it('queues concurrent callers fairly: each waits its own turn', async () => {
    const time = {
      now: () => 0,
      waits: [] as number[],
      sleep: async (ms: number) => void time.waits.push(ms),
    };
    const bucket = new TokenBucket({ perSecond: 1, burst: 1 }, time);
    await Promise.all([bucket.take(), bucket.take(), bucket.take()]);
    expect(time.waits).toEqual([1_000, 2_000]);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new TokenBucket({ perSecond: 0, burst: 1 })).toThrow('perSecond must be a positive number');
  });
});

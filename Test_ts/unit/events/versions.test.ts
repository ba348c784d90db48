import { z } from 'zod';
import { eventVersions } from '../../../utils/events/versions';
import { InvalidEventError } from '../../../utils/messaging/errors';

const V10 = z.object({ name: z.string() });
const V11 = z.object({ name: z.string(), tier: z.enum(['free', 'paid']) });
const V12 = z.object({ name: z.string(), tier: z.enum(['free', 'paid']), paying: z.boolean() });

const chain = eventVersions('plan.changed', '1.0', V10)
  .next('1.1', V11, (v10) => ({ ...v10, tier: 'free' as const }))
  .next('1.2', V12, (v11) => ({ ...v11, paying: v11.tier === 'paid' }));

describe('eventVersions', () => {
  it('knows its type, major, versions in order and the newest', () => {
    expect(chain.type).toBe('plan.changed');
    expect(chain.major).toBe(1);
    expect(chain.versions.map((entry) => entry.version)).toEqual(['1.0', '1.1', '1.2']);
    expect(chain.latest.version).toBe('1.2');
    expect(chain.latest.schema).toBe(V12);
  });

  it('resolves a known version to itself', () => {
    expect(chain.resolve('1.1')?.version).toBe('1.1');
  });

  it('resolves a minor newer than the newest known one to the newest known schema', () => {
    expect(chain.resolve('1.7')?.version).toBe('1.2');
  });

  it('resolves nothing for another major or a minor older than the first supported one', () => {
    expect(chain.resolve('2.0')).toBeUndefined();
    expect(chain.resolve('0.9')).toBeUndefined();
    expect(eventVersions('a.b', '1.3', V10).resolve('1.2')).toBeUndefined();
  });

  it('upcasts through every later minor, in order', () => {
    const from = chain.resolve('1.0');
    if (!from) throw new Error('1.0 is in the chain');
    expect(chain.upcast(from, { name: 'basic' })).toEqual({ name: 'basic', tier: 'free', paying: false });
  });

  it('starts the chain at the version received', () => {
    const from = chain.resolve('1.1');
    if (!from) throw new Error('1.1 is in the chain');
    expect(chain.upcast(from, { name: 'pro', tier: 'paid' })).toEqual({
      name: 'pro',
      tier: 'paid',
      paying: true,
    });
  });

  it('returns data of the newest version as it is', () => {
    const data = { name: 'pro', tier: 'paid', paying: true };
    expect(chain.upcast(chain.latest, data)).toBe(data);
  });

  it('refuses, as an invalid event, data an upcaster turned into something the next schema rejects', () => {
    const broken = eventVersions('plan.changed', '1.0', V10).next('1.1', V11, (v10) => ({
      ...v10,
      tier: 'gold' as 'free',
    }));
    const from = broken.resolve('1.0');
    if (!from) throw new Error('1.0 is in the chain');
    let error: unknown;
    try {
      broken.upcast(from, { name: 'x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as InvalidEventError).code).toBe('UPCAST_FAILED');
    expect((error as InvalidEventError).message).toMatch(
      /plan\.changed 1\.0 could not be upcast to 1\.1: data\.tier/,
    );
  });

  it('refuses a chain that mixes majors or does not move forward', () => {
    expect(() =>
      eventVersions('a.b', '1.0', V10).next('2.0', V11, (d) => ({ ...d, tier: 'free' as const })),
    ).toThrow('a.b 2.0 cannot follow 1.0: a chain holds the minors of one major');
    expect(() =>
      eventVersions('a.b', '1.1', V10).next('1.1', V11, (d) => ({ ...d, tier: 'free' as const })),
    ).toThrow('a.b 1.1 cannot follow 1.1: the next minor is 1.2');
    expect(() =>
      eventVersions('a.b', '1.0', V10).next('1.2', V11, (d) => ({ ...d, tier: 'free' as const })),
    ).toThrow('a.b 1.2 cannot follow 1.0: the next minor is 1.1');
    expect(() => eventVersions('a.b', 'one', V10)).toThrow('a.b: version "one" is not major.minor');
  });
});

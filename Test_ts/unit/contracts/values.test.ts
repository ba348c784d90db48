import { parseDuration, parseRateLimit } from '../../../utils/contracts/values';

describe('contract values', () => {
  it.each([
    ['30s', 30_000],
    ['250ms', 250],
    ['1.5s', 1_500],
    ['2m', 120_000],
  ])('reads the duration %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['30', '30 seconds', 's', '-1s', '1h', ''])('refuses the duration %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it.each([
    ['100/min', 100 / 60, 100],
    ['10/s', 10, 10],
    ['3600/h', 1, 3600],
    ['25/sec', 25, 25],
  ])('reads the rate limit %s as %d per second with a burst of %d', (text, perSecond, burst) => {
    expect(parseRateLimit(text)).toEqual({ text, perSecond, burst });
  });

  it.each(['100', '100/day', 'many/min', '0/min', '/min'])('refuses the rate limit %j', (text) => {
    expect(parseRateLimit(text)).toBeUndefined();
  });
});

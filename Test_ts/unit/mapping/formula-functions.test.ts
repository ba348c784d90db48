import fc from 'fast-check';
import jsonata from 'jsonata';
import { compileFormula, FormulaEvaluationError, parseFormula } from '../../../utils/mapping/formula';

const evaluate = (text: string, root: unknown = {}) => compileFormula(parseFormula(text))(root, root, 0);

function failureOf(text: string, root: unknown = {}) {
  try {
    evaluate(text, root);
  } catch (error) {
    if (error instanceof FormulaEvaluationError) return { reason: error.reason, field: error.field };
    throw error;
  }
  throw new Error(`evaluated without error: ${text}`);
}

describe('formula functions: numbers', () => {
  it.each([
    ['round(2.5)', 2],
    ['round(3.5)', 4],
    ['round(-2.5)', -2],
    ['round(-3.5)', -4],
    ['round(2.4)', 2],
    ['round(2.6)', 3],
    ['round(2.675, 2)', 2.68],
    ['round(2.665, 2)', 2.66],
    ['round(1.005, 2)', 1],
    ['round(1.015, 2)', 1.02],
    ['round(0.125, 2)', 0.12],
    ['round(0.375, 2)', 0.38],
    ['round(123.456, 1)', 123.5],
    ['round(0.1 + 0.2, 2)', 0.3],
    ['round(12, 2)', 12],
    ['round(1234.5678, -2)', 1200],
    ['round(1250, -2)', 1200],
    ['round(1350, -2)', 1400],
    ['round(0.000001234, 8)', 0.00000123],
    ['round(0.0000005, 6)', 0],
    ['floor(2.7)', 2],
    ['floor(-2.1)', -3],
    ['ceil(2.1)', 3],
    ['ceil(-2.9)', -2],
    ['abs(-5)', 5],
    ['abs(4.5)', 4.5],
    ['max(1, 5, 3)', 5],
    ['min(4, 2)', 2],
    ['min(7)', 7],
  ])('%s is %p', (text, value) => {
    expect(evaluate(text)).toBe(value);
  });

  it('rounds negative values that reach zero to 0, not -0', () => {
    expect(Object.is(evaluate('round(-0.4)'), 0)).toBe(true);
    expect(Object.is(evaluate('round(-0.004, 2)'), 0)).toBe(true);
  });

  it('rounds half to even on the decimal representation, as JSONata $round does', async () => {
    const jsonataRound = jsonata('$round(x, d)');
    const round = compileFormula(parseFormula('round(x, d)'));
    const decimalTie = fc
      .tuple(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.integer({ min: 0, max: 6 }))
      .map(([digits, d]) => ({ x: Number(`${digits}5e-${d + 1}`), d }));
    const anyDouble = fc.record({
      x: fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true }),
      d: fc.integer({ min: 0, max: 8 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.oneof(decimalTie, anyDouble), async (input) => {
        expect(round(input, input, 0)).toBe((await jsonataRound.evaluate(input)) + 0);
      }),
      { numRuns: 400 },
    );
  });

  it('fails round with a fractional number of digits', () => {
    expect(failureOf('round(1.5, d)', { d: 1.5 })).toEqual({
      reason: 'expected an integer, found a fractional number',
      field: ['d'],
    });
  });

  it('fails round with digits outside -15 to 15', () => {
    expect(failureOf('round(1.5, d)', { d: 16 })).toEqual({
      reason: 'expected an integer from -15 to 15, found one out of range',
      field: ['d'],
    });
    expect(evaluate('round(123456.5, d)', { d: -15 })).toBe(0);
  });

  it('fails max on one argument that is neither a number nor an array', () => {
    expect(failureOf('max(s)', { s: 'x' })).toEqual({
      reason: 'expected a number or an array of numbers, found string',
      field: ['s'],
    });
  });

  it('takes min and max over one array of numbers', () => {
    const root = { items: [{ q: 3 }, { q: 9 }, { q: 1 }], amounts: [4, -2] };
    expect(evaluate('max(items[*].q)', root)).toBe(9);
    expect(evaluate('min(items[*].q)', root)).toBe(1);
    expect(evaluate('max(amounts)', root)).toBe(4);
    expect(evaluate('min(amounts)', root)).toBe(-2);
    expect(evaluate('max(none)', { none: [] })).toBeUndefined();
    expect(evaluate('max(none) ?? 0', { none: [] })).toBe(0);
  });

  it('fails min and max on a non-number', () => {
    expect(failureOf('max(1, a)', { a: 'x' })).toEqual({
      reason: 'expected a number, found string',
      field: ['a'],
    });
    expect(failureOf('min(items[*].q)', { items: [{ q: 1 }, {}] })).toEqual({
      reason: 'expected a number, found absent',
      field: ['items', 1, 'q'],
    });
  });
});

describe('formula functions: aggregates', () => {
  const order = {
    items: [
      { sku: 'BOOK', line_amount: 4900 },
      { sku: 'MUG', line_amount: 1200 },
      { sku: 'PEN', line_amount: 150 },
    ],
    amounts: [1, 2, 4],
    empty: [],
  };

  it.each([
    ['sum(items[*].line_amount)', 6250],
    ['sum(amounts)', 7],
    ['sum(empty)', 0],
    ['count(items)', 3],
    ['count(items[*].sku)', 3],
    ['count(empty)', 0],
    ['avg(items[*].line_amount)', 6250 / 3],
    ['avg(amounts)', 7 / 3],
    ['round(avg(amounts), 2)', 2.33],
    ['sum(items[*].line_amount) / 100', 62.5],
  ])('%s is %p', (text, value) => {
    expect(evaluate(text, order)).toBe(value);
  });

  it('gives no average of an empty array', () => {
    expect(evaluate('avg(empty)', order)).toBeUndefined();
  });

  it('sums every item of nested wildcards', () => {
    const nested = { orders: [{ items: [{ a: 1 }, { a: 2 }] }, { items: [] }, { items: [{ a: 4 }] }] };
    expect(evaluate('sum(orders[*].items[*].a)', nested)).toBe(7);
    expect(evaluate('count(orders[*].items[*].a)', nested)).toBe(3);
  });

  it('fails a sum past the safe integer range', () => {
    expect(failureOf('sum(amounts)', { amounts: [Number.MAX_SAFE_INTEGER, 1] })).toEqual({
      reason: 'result is beyond the safe integer range',
      field: undefined,
    });
  });

  it('fails aggregates over a missing or non-array field', () => {
    expect(failureOf('sum(items[*].a)')).toEqual({
      reason: 'expected an array, found absent',
      field: ['items'],
    });
    expect(failureOf('count(items)', { items: 'abc' })).toEqual({
      reason: 'expected an array, found string',
      field: ['items'],
    });
    expect(failureOf('sum(items[*].a)', { items: { a: 1 } })).toEqual({
      reason: 'expected an array, found object',
      field: ['items'],
    });
    expect(failureOf('avg(amounts)', { amounts: [1, '2'] })).toEqual({
      reason: 'expected a number, found string',
      field: ['amounts', 1],
    });
  });
});

describe('formula functions: strings', () => {
  it.each([
    ['upper("Ada")', 'ADA'],
    ['lower("Ada")', 'ada'],
    ['trim("  a b ")', 'a b'],
    ['length("héllo")', 5],
    ['length("a😀b")', 3],
    ['length("")', 0],
    ['substring("hello world", 6)', 'world'],
    ['substring("hello", 1, 3)', 'ell'],
    ['substring("hello", 10)', ''],
    ['substring("hello", 2, 0)', ''],
    ['substring("hello", 3, 10)', 'lo'],
    ['substring("a😀b", 1, 1)', '😀'],
    ['concat("a", 1, true, "b")', 'a1trueb'],
    ['concat("solo")', 'solo'],
    ['string(12.5)', '12.5'],
    ['string(true)', 'true'],
    ['string("s")', 's'],
    ['string(0.1 + 0.2)', '0.3'],
    ['number("12.50")', 12.5],
    ['number("-3")', -3],
    ['number("1e3")', 1000],
    ['number(42)', 42],
    ['contains("hello", "ell")', true],
    ['contains("hello", "xyz")', false],
    ['starts_with("hello", "he")', true],
    ['starts_with("hello", "lo")', false],
  ])('%s is %p', (text, value) => {
    expect(evaluate(text)).toBe(value);
  });

  it('takes substrings as JSONata $substring does for a non-negative start', async () => {
    const jsonataSubstring = jsonata('$substring(s, start, length)');
    const substring = compileFormula(parseFormula('substring(s, start, length)'));
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'é', '😀', ' '), maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(text, fc.nat(14), fc.integer({ min: -2, max: 14 }), async (s, start, length) => {
        const input = { s, start, length };
        expect(substring(input, input, 0)).toBe(await jsonataSubstring.evaluate(input));
      }),
      { numRuns: 200 },
    );
  });

  it.each(['abc', '', ' 12', '0x10', '1e999', '12px'])('fails number(%j)', (value) => {
    expect(failureOf('number(s)', { s: value })).toEqual({
      reason: 'expected a numeric string, found a non-numeric string',
      field: ['s'],
    });
  });

  it('fails a string function on a number, naming the field', () => {
    expect(failureOf('upper(quantity)', { quantity: 3 })).toEqual({
      reason: 'expected a string, found number',
      field: ['quantity'],
    });
    expect(failureOf('substring("abc", start)', { start: 0.5 })).toEqual({
      reason: 'expected an integer, found a fractional number',
      field: ['start'],
    });
    expect(failureOf('concat("a", missing)')).toEqual({
      reason: 'expected a string, number or boolean, found absent',
      field: ['missing'],
    });
  });
});

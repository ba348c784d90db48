import { compileTypeNotation, TypeNotationError } from '../../../utils/contracts/type-notation';

const strict = (notation: unknown) => compileTypeNotation(notation, { mode: 'request' });
const loose = (notation: unknown) => compileTypeNotation(notation, { mode: 'response' });

describe('type notation', () => {
  it('checks scalars with bounds', () => {
    const schema = strict({ amount: 'integer(1..100)', currency: 'string(3..3)', paid: 'boolean' });
    expect(schema.validate({ amount: 5, currency: 'eur', paid: true })).toEqual({
      ok: true,
      value: { amount: 5, currency: 'eur', paid: true },
    });
    const result = schema.validate({ amount: 0, currency: 'euro', paid: 'yes' });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.issues.map((issue) => issue.field)).toEqual([
      'amount',
      'currency',
      'paid',
    ]);
  });

  it('makes a key ending in ? optional and rejects unknown keys in requests only', () => {
    const notation = { id: 'string', 'note?': 'string' };
    expect(strict(notation).validate({ id: 'a' }).ok).toBe(true);
    expect(strict(notation).validate({ id: 'a', extra: 1 })).toMatchObject({
      ok: false,
      issues: [{ field: '(body)', message: expect.stringContaining('extra') }],
    });
    expect(loose(notation).validate({ id: 'a', extra: 1 })).toEqual({
      ok: true,
      value: { id: 'a', extra: 1 },
    });
    expect(loose(notation).validate({ note: 'n' })).toMatchObject({ ok: false, issues: [{ field: 'id' }] });
  });

  it('reads enums, unions, maps, e-mail addresses and arrays', () => {
    const schema = strict({
      status: 'enum(succeeded, failed)',
      code: 'string | null',
      metadata: 'map(string | number)',
      email: 'email',
      tags: 'string[]',
      'lines(1..2)': [{ sku: 'string' }],
      payload: 'any',
    });
    const good = {
      status: 'failed',
      code: null,
      metadata: { a: 'x', b: 2 },
      email: 'a@b.test',
      tags: ['x'],
      lines: [{ sku: 's' }],
      payload: { anything: [1] },
    };
    expect(schema.validate(good).ok).toBe(true);
    const bad = schema.validate({
      ...good,
      status: 'pending',
      metadata: { a: true },
      email: 'nope',
      tags: [1],
      lines: [],
    });
    expect(bad.ok ? [] : bad.issues.map((issue) => issue.field)).toEqual([
      'status',
      'metadata.a',
      'email',
      'tags[0]',
      'lines',
    ]);
  });

  it('takes a bare type expression as the whole schema', () => {
    const schema = strict('map(string | number | boolean | null)');
    expect(schema.validate({ LastName: 'Doe', Opt: false }).ok).toBe(true);
    expect(schema.validate({ LastName: { nested: 1 } }).ok).toBe(false);
  });

  it.each([
    [{ amount: 'numbr' }, 'amount', 'unknown type "numbr"'],
    [{ amount: 'integer(5..1)' }, 'amount', 'the lower bound 5 is above the upper bound 1'],
    [{ status: 'enum()' }, 'status', 'enum() needs at least one value'],
    [{ meta: 'map(strin)' }, 'meta', 'unknown type "strin"'],
    [
      { 'bad key!': 'string' },
      'bad key!',
      'a key is a name, optionally with (min..max) array bounds and a trailing ?',
    ],
    [{ 'list(1..2)': 'string' }, 'list(1..2)', 'array bounds need an array'],
    [{ list: [] }, 'list', 'an array type is a list of exactly one element type'],
    [{ count: 3 }, 'count', 'expected a type such as string, a mapping of fields or a one-element list'],
  ])('refuses the notation %j at %s', (notation, field, message) => {
    let caught: unknown;
    try {
      strict(notation);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TypeNotationError);
    expect(caught).toMatchObject({ path: [field], detail: expect.stringContaining(message) });
  });
});

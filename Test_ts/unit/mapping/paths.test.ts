import { compileGetter, PathSyntaxError, parsePath, renderPath } from '../../../utils/mapping/paths';

describe('parsePath', () => {
  it('reads names, indexes and wildcards', () => {
    expect(parsePath('order.items[*].options[0].code').segments).toEqual([
      'order',
      'items',
      '*',
      'options',
      0,
      'code',
    ]);
  });

  it('counts the wildcards', () => {
    expect(parsePath('a[*].b[*]').wildcards).toBe(2);
    expect(parsePath('a.b').wildcards).toBe(0);
  });

  it.each([
    ['', 0, 'a field name'],
    ['order.', 6, 'a field name'],
    ['order..id', 6, 'a field name'],
    ['items[', 6, 'an index or *'],
    ['items[x]', 6, 'an index or *'],
    ['items[*', 7, "']'"],
    ['1abc', 0, 'a field name'],
    ['a b', 1, "'.' or '['"],
  ])('rejects %j at position %d, expecting %s', (text, position, expected) => {
    try {
      parsePath(text);
      throw new Error('parsed');
    } catch (error) {
      expect(error).toBeInstanceOf(PathSyntaxError);
      expect(error).toMatchObject({ position, expected });
    }
  });

  it.each(['__proto__', 'constructor', 'a.prototype', 'toString'])(
    'rejects %s, which would reach the object prototype',
    (text) => {
      expect(() => parsePath(text)).toThrow(/reserved/);
    },
  );
});

describe('renderPath', () => {
  it('writes segments back as a path', () => {
    expect(renderPath(['order', 'items', 1, 'quantity'])).toBe('order.items[1].quantity');
    expect(renderPath(['items', '*', 'sku'])).toBe('items[*].sku');
    expect(renderPath([])).toBe('(input)');
  });
});

describe('compileGetter', () => {
  const input = { order: { id: 'o-1', items: [{ sku: 'A' }, { sku: 'B' }], meta: null } };

  it.each([
    [[], input],
    [['order', 'id'], 'o-1'],
    [['order', 'items', 1, 'sku'], 'B'],
    [['order', 'missing', 'deeper'], undefined],
    [['order', 'meta', 'x'], undefined],
    [['order', 'id', 'length'], undefined],
    [['order', 'id', 'x', 'y', 'z'], undefined],
  ])('reads %j', (keys, expected) => {
    expect(compileGetter(keys)(input)).toEqual(expected);
  });

  it('reads nothing from a value that is not an object', () => {
    expect(compileGetter(['a'])(42)).toBeUndefined();
    expect(compileGetter(['a', 'b'])(undefined)).toBeUndefined();
  });
});

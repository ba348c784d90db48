import {
  type CheckOptions,
  checkFormula,
  type FieldTypes,
  type FormulaType,
  FormulaTypeError,
  parseFormula,
} from '../../../utils/mapping/formula';

const NUMBER: FormulaType = { kind: 'number' };
const STRING: FormulaType = { kind: 'string' };
const BOOLEAN: FormulaType = { kind: 'boolean' };
const OBJECT: FormulaType = { kind: 'object' };
const ANY: FormulaType = { kind: 'any' };
const arrayOf = (items: FormulaType): FormulaType => ({ kind: 'array', items });

/** A schema as a table of joined paths; '*' stands for an array element. */
const ROOT_FIELDS: Record<string, FormulaType> = {
  'order.id': STRING,
  'order.currency': STRING,
  'order.paid': BOOLEAN,
  'order.items': arrayOf(OBJECT),
  'order.items.*': OBJECT,
  'order.items.*.sku': STRING,
  'order.items.*.quantity': NUMBER,
  'order.items.*.unit_amount': NUMBER,
  'order.discount': NUMBER,
  'order.note': ANY,
  'order.amounts': arrayOf(NUMBER),
  customer: OBJECT,
  'customer.email': STRING,
};
const ITEM_FIELDS: Record<string, FormulaType> = {
  sku: STRING,
  quantity: NUMBER,
  unit_amount: NUMBER,
};
const orderFields: FieldTypes = (scope, path) =>
  (scope === 'root' ? ROOT_FIELDS : ITEM_FIELDS)[path.join('.')];

const typed: CheckOptions = { fieldTypes: orderFields, inArray: false };
const typedItem: CheckOptions = { fieldTypes: orderFields, inArray: true };
const untyped: CheckOptions = { inArray: false };

const typeOf = (text: string, options: CheckOptions = typed) => checkFormula(parseFormula(text), options);

function typeErrorOf(text: string, options: CheckOptions = typed): FormulaTypeError {
  try {
    checkFormula(parseFormula(text), options);
  } catch (error) {
    if (error instanceof FormulaTypeError) return error;
    throw error;
  }
  throw new Error(`checked without error: ${text}`);
}

describe('formula checker: result types', () => {
  it.each([
    ['12', NUMBER],
    ['"x"', STRING],
    ['true', BOOLEAN],
    ['null', { kind: 'null' }],
  ] as const)('types the literal %s', (text, type) => {
    expect(typeOf(text)).toEqual(type);
  });

  it.each([
    ['unit_amount * quantity', NUMBER, untyped],
    ['a & b', STRING, untyped],
    ['a == b', BOOLEAN, untyped],
    ['a < b', BOOLEAN, untyped],
    ['!a', BOOLEAN, untyped],
    ['a ?? 0', ANY, untyped],
    ['customer.email', ANY, untyped],
    ['round(a, 2)', NUMBER, untyped],
    ['sum(items[*].amount)', NUMBER, untyped],
    ['a ? 1 : 2', NUMBER, untyped],
    ['a ? 1 : "one"', ANY, untyped],
    ['order.currency', STRING, typed],
    ['order.amounts', arrayOf(NUMBER), typed],
    ['order.items[0].sku', STRING, typed],
    ['order.discount ?? 0', NUMBER, typed],
    ['null ?? order.id', STRING, typed],
    ['order.note * 2', NUMBER, typed],
    ['upper(order.note)', STRING, typed],
    ['unit_amount * quantity', NUMBER, typedItem],
    ['$.order.currency & sku', STRING, typedItem],
    ['$index + 1', NUMBER, typedItem],
    ['max(order.amounts)', NUMBER, typed],
    ['min(order.items[*].quantity)', NUMBER, typed],
    ['count(order.items)', NUMBER, typed],
    ['substring(order.id, 0, 3)', STRING, typed],
    ['contains(customer.email, "@")', BOOLEAN, typed],
  ] as const)('types %s', (text, type, options) => {
    expect(typeOf(text, options)).toEqual(type);
  });

  it('asks for bare paths in the item scope inside an array transformation, and $ paths at the root', () => {
    const fieldTypes = jest.fn<FormulaType | undefined, Parameters<FieldTypes>>(() => NUMBER);
    checkFormula(parseFormula('quantity + $.order.discount + $.order.items[1].quantity'), {
      fieldTypes,
      inArray: true,
    });
    expect(fieldTypes.mock.calls).toEqual([
      ['item', ['quantity']],
      ['root', ['order', 'discount']],
      ['root', ['order', 'items', '*', 'quantity']],
    ]);
  });

  it('asks for bare paths at the root outside an array transformation', () => {
    const fieldTypes = jest.fn<FormulaType | undefined, Parameters<FieldTypes>>(() => NUMBER);
    expect(checkFormula(parseFormula('sum(items[*].amount)'), { fieldTypes, inArray: false })).toEqual(
      NUMBER,
    );
    expect(fieldTypes.mock.calls).toEqual([['root', ['items', '*', 'amount']]]);
  });
});

/** [formula, position, expected, found, message] for operands and arguments of the wrong type. */
const OPERAND_ERRORS: [string, number, string, string, string][] = [
  [
    'customer.email * 2',
    0,
    'a number',
    'string',
    'at column 1: expected a number, found string (customer.email)',
  ],
  [
    '2 * customer.email',
    4,
    'a number',
    'string',
    'at column 5: expected a number, found string (customer.email)',
  ],
  ['1 + "a"', 4, 'a number', 'string', 'at column 5: expected a number, found string'],
  ['-order.id', 1, 'a number', 'string', 'at column 2: expected a number, found string (order.id)'],
  ['1 % customer', 4, 'a number', 'object', 'at column 5: expected a number, found object (customer)'],
  ['order.id < 1', 11, 'a string', 'number', 'at column 12: expected a string, found number'],
  [
    'true < false',
    0,
    'a number or a string',
    'boolean',
    'at column 1: expected a number or a string, found boolean',
  ],
  ['order.discount == "5"', 18, 'a number', 'string', 'at column 19: expected a number, found string'],
  [
    'customer == null',
    0,
    'a string, number, boolean or null',
    'object',
    'at column 1: expected a string, number, boolean or null, found object (customer)',
  ],
  [
    'order.discount && true',
    0,
    'a boolean',
    'number',
    'at column 1: expected a boolean, found number (order.discount)',
  ],
  ['order.paid || 1', 14, 'a boolean', 'number', 'at column 15: expected a boolean, found number'],
  ['!order.id', 1, 'a boolean', 'string', 'at column 2: expected a boolean, found string (order.id)'],
  [
    'order.discount ? 1 : 2',
    0,
    'a boolean',
    'number',
    'at column 1: expected a boolean, found number (order.discount)',
  ],
  [
    'customer & "x"',
    0,
    'a string, number or boolean',
    'object',
    'at column 1: expected a string, number or boolean, found object (customer)',
  ],
  [
    'null & "x"',
    0,
    'a string, number or boolean',
    'null',
    'at column 1: expected a string, number or boolean, found null',
  ],
  [
    'order.amounts + 1',
    0,
    'a number',
    'array of number',
    'at column 1: expected a number, found array of number (order.amounts)',
  ],
  [
    'upper(order.discount)',
    6,
    'a string',
    'number',
    'at column 7: expected a string, found number (order.discount)',
  ],
  ['round(1.5, "2")', 11, 'a number', 'string', 'at column 12: expected a number, found string'],
  [
    'sum(order.discount)',
    4,
    'an array of numbers',
    'number',
    'at column 5: expected an array of numbers, found number (order.discount)',
  ],
  [
    'sum(order.items[*].sku)',
    4,
    'an array of numbers',
    'array of string',
    'at column 5: expected an array of numbers, found array of string (order.items[*].sku)',
  ],
  ['count(order.id)', 6, 'an array', 'string', 'at column 7: expected an array, found string (order.id)'],
  [
    'max(order.amounts, 1)',
    4,
    'a number',
    'array of number',
    'at column 5: expected a number, found array of number (order.amounts)',
  ],
  [
    'concat("a", customer)',
    12,
    'a string, number or boolean',
    'object',
    'at column 13: expected a string, number or boolean, found object (customer)',
  ],
  [
    'number(true)',
    7,
    'a string or a number',
    'boolean',
    'at column 8: expected a string or a number, found boolean',
  ],
];

describe('formula checker: errors', () => {
  it('names an unknown field', () => {
    const error = typeErrorOf('1 + customer.emial');
    expect(error.message).toBe('at column 5: unknown field customer.emial');
    expect({ position: error.position, expected: error.expected, found: error.found }).toEqual({
      position: 4,
      expected: 'a field of the schema',
      found: 'customer.emial',
    });
  });

  it('names an unknown field of the item scope', () => {
    expect(typeErrorOf('quantity * price', typedItem).message).toBe('at column 12: unknown field price');
    expect(typeErrorOf('$.quantity', typedItem).message).toBe('at column 1: unknown field $.quantity');
  });

  it.each(OPERAND_ERRORS)('rejects %s', (text, position, expected, found, message) => {
    const error = typeErrorOf(text);
    expect({
      position: error.position,
      expected: error.expected,
      found: error.found,
      message: error.message,
    }).toEqual({ position, expected, found, message });
  });

  it.each([
    ['order.items[*].quantity * 2', 0],
    ['upper(order.items[*].sku)', 6],
    ['sum(order.items[*].quantity) + order.items[*].quantity', 31],
    ['max(order.items[*].quantity, 1)', 4],
    ['order.items[*].quantity ?? 0', 0],
  ])('rejects the wildcard in %s, outside an aggregate', (text, position) => {
    const error = typeErrorOf(text);
    expect(error.position).toBe(position);
    expect(error.expected).toBe('a single value');
    expect(error.message).toMatch(
      /: expected a single value, found order\.items\[\*\]\.\w+ \(a wildcard is allowed only as the argument of sum, count, avg, min or max\)$/,
    );
  });

  it('rejects a wildcard outside an aggregate even without field types', () => {
    expect(typeErrorOf('items[*].quantity', untyped).found).toBe('items[*].quantity');
  });

  it('rejects $index outside an array transformation', () => {
    const error = typeErrorOf('"#" & $index', untyped);
    expect(error.message).toBe('at column 7: $index is only available inside an array transformation');
    expect({ position: error.position, expected: error.expected, found: error.found }).toEqual({
      position: 6,
      expected: 'an array transformation',
      found: '$index',
    });
  });

  it.each([
    ['round()', '1 to 2 arguments', '0 arguments'],
    ['round(1, 2, 3)', '1 to 2 arguments', '3 arguments'],
    ['upper("a", "b")', '1 argument', '2 arguments'],
    ['max()', 'at least 1 argument', '0 arguments'],
    ['substring("abc")', '2 to 3 arguments', '1 argument'],
    ['contains("abc")', '2 arguments', '1 argument'],
  ])('checks the arity of %s', (text, expected, found) => {
    const error = typeErrorOf(text, untyped);
    expect({ position: error.position, expected: error.expected, found: error.found }).toEqual({
      position: 0,
      expected,
      found,
    });
    expect(error.message).toBe(
      `at column 1: ${text.slice(0, text.indexOf('('))} takes ${expected}, found ${found}`,
    );
  });

  it('passes operands of type any, leaving them to the run-time checks', () => {
    expect(typeOf('order.note + order.note * 2 > 3 && order.note', typed)).toEqual(BOOLEAN);
  });
});

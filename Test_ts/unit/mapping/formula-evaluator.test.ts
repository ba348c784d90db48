import { compileFormula, FormulaEvaluationError, parseFormula } from '../../../utils/mapping/formula';

/** Runs a formula at the root: the scope is the root itself. */
const evaluate = (text: string, root: unknown = {}) => compileFormula(parseFormula(text))(root, root, 0);

function evaluationErrorOf(run: () => unknown): FormulaEvaluationError {
  try {
    run();
  } catch (error) {
    if (error instanceof FormulaEvaluationError) return error;
    throw error;
  }
  throw new Error('evaluated without error');
}

const failureOf = (text: string, root: unknown = {}) => {
  const error = evaluationErrorOf(() => evaluate(text, root));
  return { reason: error.reason, field: error.field, scope: error.scope };
};

describe('formula evaluator: literals and arithmetic', () => {
  it.each([
    ['12', 12],
    ['2.75', 2.75],
    ['"a\\tb"', 'a\tb'],
    ['true', true],
    ['false', false],
    ['null', null],
  ])('evaluates the literal %s', (text, value) => {
    expect(evaluate(text)).toBe(value);
  });

  it.each([
    ['unit_amount * quantity', 5997],
    ['unit_amount + quantity', 2002],
    ['unit_amount - quantity - 1', 1995],
    ['unit_amount / 4', 499.75],
    ['unit_amount % 1000', 999],
    ['-unit_amount % 1000', -999],
    ['-quantity', -3],
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
  ])('computes %s', (text, value) => {
    expect(evaluate(text, { unit_amount: 1999, quantity: 3 })).toBe(value);
  });

  it('keeps integer money exact up to the largest safe integer', () => {
    expect(evaluate('a + b', { a: 9007199254740990, b: 1 })).toBe(Number.MAX_SAFE_INTEGER);
    expect(evaluate('a * b', { a: 94906265, b: 94906265 })).toBe(9007199136250225);
    expect(evaluate('a - b', { a: -9007199254740990, b: 1 })).toBe(-Number.MAX_SAFE_INTEGER);
  });

  it.each([
    ['a + b', { a: 9007199254740991, b: 1 }, 'result is beyond the safe integer range'],
    ['a * b', { a: 94906267, b: 94906267 }, 'result is beyond the safe integer range'],
    ['a - b', { a: -9007199254740991, b: 1 }, 'result is beyond the safe integer range'],
    ['a * b', { a: 1e300, b: 1e300 }, 'result is not a finite number'],
    ['a / b', { a: 1e300, b: 1e-300 }, 'result is not a finite number'],
  ])('fails %s past the safe range', (text, root, reason) => {
    expect(failureOf(text, root)).toEqual({ reason, field: undefined, scope: 'root' });
  });

  it('fails division and remainder by zero, naming the divisor field', () => {
    expect(failureOf('a / b', { a: 1, b: 0 })).toEqual({
      reason: 'division by zero',
      field: ['b'],
      scope: 'root',
    });
    expect(failureOf('a % b', { a: 1, b: 0 })).toEqual({
      reason: 'division by zero',
      field: ['b'],
      scope: 'root',
    });
    expect(failureOf('1 / 0')).toEqual({ reason: 'division by zero', field: undefined, scope: 'root' });
  });

  it('concatenates with &, stringifying numbers and booleans', () => {
    expect(evaluate('"a" & 1 & true & name', { name: 'x' })).toBe('a1truex');
    expect(evaluate('"n=" & (0.1 + 0.2)')).toBe('n=0.3');
    expect(evaluate('"n=" & 9007199254740991')).toBe('n=9007199254740991');
    expect(evaluate('"" & -0.5')).toBe('-0.5');
    expect(failureOf('"a" & null')).toEqual({
      reason: 'expected a string, number or boolean, found null',
      field: undefined,
      scope: 'root',
    });
  });
});

describe('formula evaluator: comparison, logic and choice', () => {
  it.each([
    ['1 < 2', true],
    ['2 <= 2', true],
    ['3 > 2', true],
    ['2 >= 3', false],
    ['"apple" < "banana"', true],
    ['"b" >= "a"', true],
    ['1 == 1', true],
    ['1 == "1"', false],
    ['null == null', true],
    ['"x" != "y"', true],
    ['true == false', false],
    ['true && false', false],
    ['true and true', true],
    ['false || true', true],
    ['false or false', false],
    ['!false', true],
    ['not true', false],
    ['2 > 1 ? "big" : "small"', 'big'],
    ['0 > 1 ? "big" : "small"', 'small'],
  ])('evaluates %s', (text, value) => {
    expect(evaluate(text)).toBe(value);
  });

  it('short-circuits &&, || and the ternary, leaving the other side unread', () => {
    expect(evaluate('false && missing')).toBe(false);
    expect(evaluate('true || missing')).toBe(true);
    expect(evaluate('true ? 1 : missing * 2')).toBe(1);
    expect(evaluate('false ? missing * 2 : 2')).toBe(2);
  });

  it.each([
    ['missing ?? 5', {}, 5],
    ['a ?? 5', { a: null }, 5],
    ['a ?? 5', { a: 0 }, 0],
    ['a ?? 5', { a: false }, false],
    ['a ?? 5', { a: '' }, ''],
    ['a ?? b ?? "last"', {}, 'last'],
  ])('takes %s from %j as %j', (text, root, value) => {
    expect(evaluate(text, root)).toBe(value);
  });

  it.each([
    ['1 < "2"', {}, 'expected a number, found string', undefined],
    ['flag && true', { flag: 1 }, 'expected a boolean, found number', ['flag']],
    ['false || flag', { flag: 'yes' }, 'expected a boolean, found string', ['flag']],
    ['!flag', { flag: null }, 'expected a boolean, found null', ['flag']],
    ['flag ? 1 : 2', { flag: 'true' }, 'expected a boolean, found string', ['flag']],
    ['status == "paid"', {}, 'expected a string, number, boolean or null, found absent', ['status']],
    [
      'status == "paid"',
      { status: { code: 1 } },
      'expected a string, number, boolean or null, found object',
      ['status'],
    ],
    ['tags != null', { tags: [] }, 'expected a string, number, boolean or null, found array', ['tags']],
    ['name < 3', { name: 'x' }, 'expected a string, found number', undefined],
    ['a < b', { a: true, b: true }, 'expected a number or a string, found boolean', ['a']],
  ])('fails %s on %j', (text, root, reason, field) => {
    expect(failureOf(text, root)).toEqual({ reason, field, scope: 'root' });
  });
});

describe('formula evaluator: fields', () => {
  const order = {
    order: { id: 'ord-1', currency: 'EUR', items: [{ sku: 'BOOK', quantity: 2 }, { sku: 'MUG' }] },
    customer: { email: 'ada@example.com', name: 'Ada' },
  };

  it.each([
    ['customer.email', 'ada@example.com'],
    ['order.items[1].sku', 'MUG'],
    ['order.items[5].sku', undefined],
    ['order.items[1].quantity', undefined],
    ['customer.email.domain', undefined],
    ['order.items.sku', undefined],
    ['order.items.length', undefined],
    ['missing.deeper.still', undefined],
    ['$.order.currency', 'EUR'],
  ])('reads %s', (text, value) => {
    expect(evaluate(text, order)).toBe(value);
  });

  it('reads bare paths from the scope, $ paths from the root and $index from the position', () => {
    const line = compileFormula(
      parseFormula("$.order.id & '/' & ($index + 1) & ' ' & sku & ' x' & quantity"),
    );
    expect(line(order.order.items[0], order, 0)).toBe('ord-1/1 BOOK x2');
    expect(compileFormula(parseFormula('$'))(order.order.items[0], order, 0)).toBe(order);
  });

  it('reads no methods of a value that is not plain data', () => {
    expect(evaluate('created.getTime', { created: new Date(0) })).toBeUndefined();
    expect(evaluate('`first-name`', { 'first-name': 'Ada' })).toBe('Ada');
  });

  it('gives a wildcard path as an array of what it reaches, keeping absent items in place', () => {
    expect(evaluate('order.items[*].sku', order)).toEqual(['BOOK', 'MUG']);
    expect(evaluate('order.items[*].quantity', order)).toEqual([2, undefined]);
    expect(failureOf('order.id[*]', order)).toEqual({
      reason: 'expected an array, found string',
      field: ['order', 'id'],
      scope: 'root',
    });
  });

  it('joins chains of & in order, naming the part that cannot be text', () => {
    expect(evaluate('"#" & 1 & "/" & n & ("-" & flag)', { n: 2.5, flag: false })).toBe('#1/2.5-false');
    const error = evaluationErrorOf(() => evaluate('"a" & ("b" & n)', { n: null }));
    expect({ reason: error.reason, field: error.field, position: error.position }).toEqual({
      reason: 'expected a string, number or boolean, found null',
      field: ['n'],
      position: 13,
    });
  });

  it('compiles once and runs for many records', () => {
    const amount = compileFormula(parseFormula('unit_amount * quantity'));
    const items = [
      { unit_amount: 2450, quantity: 2 },
      { unit_amount: 1200, quantity: 1 },
      { unit_amount: 5, quantity: 0 },
    ];
    expect(items.map((item, index) => amount(item, { items }, index))).toEqual([4900, 1200, 0]);
  });

  it('names the absent field an operator could not use', () => {
    expect(failureOf('missing + 1')).toEqual({
      reason: 'expected a number, found absent',
      field: ['missing'],
      scope: 'root',
    });
  });

  it('names an item field relative to the item, with the item scope', () => {
    const amount = compileFormula(parseFormula('unit_amount * quantity'));
    const items = [
      { unit_amount: 5, quantity: 1 },
      { unit_amount: 5, quantity: 'two' },
    ];
    const error = evaluationErrorOf(() => amount(items[1], { order: { items } }, 1));
    expect({
      reason: error.reason,
      field: error.field,
      scope: error.scope,
      position: error.position,
    }).toEqual({
      reason: 'expected a number, found string',
      field: ['quantity'],
      scope: 'item',
      position: 14,
    });
  });

  it('names a root field read from inside an item by its root path', () => {
    const total = compileFormula(parseFormula('quantity * $.order.rate'));
    const error = evaluationErrorOf(() => total({ quantity: 1 }, { order: { rate: '2' } }, 0));
    expect({ field: error.field, scope: error.scope }).toEqual({ field: ['order', 'rate'], scope: 'root' });
  });

  it('names fields reached through indexes and wildcards with their concrete indexes', () => {
    const root = {
      items: [{ amount: 1 }, { amount: 'x' }],
      orders: [{ items: [{ amount: 1 }] }, { items: [{ amount: 2 }, { amount: null }] }],
    };
    expect(failureOf('items[1].amount * 2', root).field).toEqual(['items', 1, 'amount']);
    expect(failureOf('sum(items[*].amount)', root).field).toEqual(['items', 1, 'amount']);
    expect(failureOf('sum(orders[*].items[*].amount)', root)).toEqual({
      reason: 'expected a number, found null',
      field: ['orders', 1, 'items', 1, 'amount'],
      scope: 'root',
    });
  });

  it('keeps run-time errors of constant parts at run time', () => {
    const divide = compileFormula(parseFormula('ready ? 1 / 0 : 0'));
    expect(divide({ ready: false }, {}, 0)).toBe(0);
    expect(evaluationErrorOf(() => divide({ ready: true }, {}, 0)).reason).toBe('division by zero');
  });
});

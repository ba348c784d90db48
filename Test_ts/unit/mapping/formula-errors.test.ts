import {
  checkFormula,
  compileFormula,
  FormulaEvaluationError,
  FormulaSyntaxError,
  FormulaTypeError,
  parseFormula,
} from '../../../utils/mapping/formula';

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('ran without error');
}

describe('formula errors', () => {
  it('reports a syntax error with its column, what was expected and what was found', () => {
    const error = thrownBy(() => parseFormula('round(a, 2'));
    expect(error).toBeInstanceOf(FormulaSyntaxError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'FormulaSyntaxError',
      message: "at column 11: expected ')' but found end of formula",
      position: 10,
      expected: "')'",
      found: 'end of formula',
    });
  });

  it('says where an unterminated string started', () => {
    expect(thrownBy(() => parseFormula('name & "abc'))).toMatchObject({
      message: `at column 12: expected '"' but found end of formula (the string started at column 8 is not closed)`,
      position: 11,
    });
  });

  it('says why a reserved name is refused', () => {
    expect(thrownBy(() => parseFormula('a.constructor'))).toMatchObject({
      message: "at column 3: 'constructor' is reserved and cannot be a field name",
      position: 2,
      expected: 'a field name',
      found: "'constructor'",
    });
  });

  it('reports a type error with its column and the field at fault', () => {
    const error = thrownBy(() =>
      checkFormula(parseFormula('total + customer.email'), {
        inArray: false,
        fieldTypes: (_scope, path) => (path[0] === 'total' ? { kind: 'number' } : { kind: 'string' }),
      }),
    );
    expect(error).toBeInstanceOf(FormulaTypeError);
    expect(error).toMatchObject({
      name: 'FormulaTypeError',
      message: 'at column 9: expected a number, found string (customer.email)',
      position: 8,
      expected: 'a number',
      found: 'string',
    });
  });

  it('reports an evaluation error with its reason, scope, field and column', () => {
    const formula = compileFormula(parseFormula('sum(items[*].quantity) * 2'));
    const error = thrownBy(() => formula({ items: [{ quantity: 1 }, { quantity: '2' }] }, {}, 0));
    expect(error).toBeInstanceOf(FormulaEvaluationError);
    expect(error).toMatchObject({
      name: 'FormulaEvaluationError',
      message: 'at column 5: expected a number, found string (items[1].quantity)',
      reason: 'expected a number, found string',
      scope: 'item',
      field: ['items', 1, 'quantity'],
      position: 4,
    });
  });

  it('reports an evaluation error that no field caused without a field', () => {
    const record = { a: 1, b: 2 };
    const error = thrownBy(() => compileFormula(parseFormula('a / (b - b)'))(record, record, 0));
    expect(error).toMatchObject({
      message: 'at column 3: division by zero',
      reason: 'division by zero',
      scope: 'root',
      position: 2,
    });
    expect((error as FormulaEvaluationError).field).toBeUndefined();
  });

  it('never puts the values of the record in a message', () => {
    const secret = 'ada@example.com';
    const error = thrownBy(() => compileFormula(parseFormula('number(email) + 1'))({ email: secret }, {}, 0));
    expect((error as Error).message).toBe(
      'at column 8: expected a numeric string, found a non-numeric string (email)',
    );
  });
});

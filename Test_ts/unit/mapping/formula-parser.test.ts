import {
  type FormulaNode,
  type FormulaPathSegment,
  FormulaSyntaxError,
  parseFormula,
} from '../../../utils/mapping/formula';

/** The AST as a compact s-expression, so precedence reads at a glance. */
function show(node: FormulaNode): string {
  switch (node.kind) {
    case 'number':
    case 'boolean':
      return String(node.value);
    case 'string':
      return JSON.stringify(node.value);
    case 'null':
      return 'null';
    case 'itemIndex':
      return '$index';
    case 'field':
      return showPath(node.base, node.path);
    case 'unary':
      return `(${node.operator} ${show(node.operand)})`;
    case 'binary':
      return `(${node.operator} ${show(node.left)} ${show(node.right)})`;
    case 'conditional':
      return `(? ${show(node.test)} ${show(node.consequent)} ${show(node.alternate)})`;
    case 'call':
      return `(${[node.name, ...node.args.map(show)].join(' ')})`;
  }
}

function showPath(base: 'scope' | 'root', path: readonly FormulaPathSegment[]): string {
  let text = base === 'root' ? '$' : '';
  for (const segment of path) {
    if (segment.kind === 'element') text += `[${segment.index}]`;
    else if (segment.kind === 'wildcard') text += '[*]';
    else text += text === '' ? segment.name : `.${segment.name}`;
  }
  return text;
}

const parsed = (text: string) => show(parseFormula(text).root);

function syntaxErrorOf(text: string): FormulaSyntaxError {
  try {
    parseFormula(text);
  } catch (error) {
    if (error instanceof FormulaSyntaxError) return error;
    throw error;
  }
  throw new Error(`parsed without error: ${text}`);
}

describe('formula parser: literals', () => {
  it.each([
    ['12', 12],
    ['0.5', 0.5],
    ['2.75', 2.75],
    ['007', 7],
  ])('reads the number %s', (text, value) => {
    expect(parseFormula(text).root).toEqual({ kind: 'number', value, position: 0 });
  });

  it.each([
    ["'plain'", 'plain'],
    ['"plain"', 'plain'],
    ["'it\\'s'", "it's"],
    ['"say \\"hi\\""', 'say "hi"'],
    ["'back\\\\slash'", 'back\\slash'],
    ["'line\\nbreak\\ttab'", 'line\nbreak\ttab'],
    ['"single \' inside double"', "single ' inside double"],
    ["''", ''],
  ])('reads the string %s', (text, value) => {
    expect(parseFormula(text).root).toEqual({ kind: 'string', value, position: 0 });
  });

  it('reads true, false and null, and keeps the source text', () => {
    expect(parseFormula('true').root).toEqual({ kind: 'boolean', value: true, position: 0 });
    expect(parseFormula(' false').root).toEqual({ kind: 'boolean', value: false, position: 1 });
    expect(parseFormula('null').root).toEqual({ kind: 'null', position: 0 });
    expect(parseFormula('  null ').text).toBe('  null ');
  });
});

describe('formula parser: precedence and associativity', () => {
  it.each([
    ['1 + 2 * 3', '(+ 1 (* 2 3))'],
    ['(1 + 2) * 3', '(* (+ 1 2) 3)'],
    ['a - b - c', '(- (- a b) c)'],
    ['a / b % c', '(% (/ a b) c)'],
    ['a & b + c', '(+ (& a b) c)'],
    ['a & (b + c)', '(& a (+ b c))'],
    ['a < b + c', '(< a (+ b c))'],
    ['a == b < c', '(== a (< b c))'],
    ['a != b == c', '(== (!= a b) c)'],
    ['a || b && c', '(|| a (&& b c))'],
    ['a or b and not c', '(|| a (&& b (! c)))'],
    ['a ?? b || c', '(?? a (|| b c))'],
    ['a || b ?? c', '(?? (|| a b) c)'],
    ['a ?? b ?? c', '(?? (?? a b) c)'],
    ['a ? b : c ? d : e', '(? a b (? c d e))'],
    ['a ? b ? c : d : e', '(? a (? b c d) e)'],
    ['a ?? b ? c : d', '(? (?? a b) c d)'],
    ['x ? 1 : 2 + 3', '(? x 1 (+ 2 3))'],
    ['-a * b', '(* (- a) b)'],
    ['- -a', '(- (- a))'],
    ['!a == b', '(== (! a) b)'],
    ['not a && b', '(&& (! a) b)'],
    ['-price * quantity >= 100', '(>= (* (- price) quantity) 100)'],
  ])('parses %s as %s', (text, expected) => {
    expect(parsed(text)).toBe(expected);
  });

  it('records where each operator is', () => {
    expect(parseFormula('a +  b').root).toEqual({
      kind: 'binary',
      operator: '+',
      left: { kind: 'field', base: 'scope', path: [{ kind: 'name', name: 'a' }], position: 0 },
      right: { kind: 'field', base: 'scope', path: [{ kind: 'name', name: 'b' }], position: 5 },
      position: 0,
      operatorPosition: 2,
    });
  });
});

describe('formula parser: paths and calls', () => {
  it.each([
    ['price', 'price'],
    ['customer.email', 'customer.email'],
    ['items[0].sku', 'items[0].sku'],
    ['items[*].line_amount', 'items[*].line_amount'],
    ['grid[1][2]', 'grid[1][2]'],
    ['$', '$'],
    ['$.order.currency', '$.order.currency'],
    ['$.items[2]', '$.items[2]'],
    ['$index', '$index'],
    ['$index + 1', '(+ $index 1)'],
    ['totals.and.or', 'totals.and.or'],
    ['`first-name`', 'first-name'],
    ['customer.`last-name`', 'customer.last-name'],
  ])('parses the path %s', (text, expected) => {
    expect(parsed(text)).toBe(expected);
  });

  it('gives a path its segments', () => {
    expect(parseFormula('items[0].sku').root).toEqual({
      kind: 'field',
      base: 'scope',
      path: [
        { kind: 'name', name: 'items' },
        { kind: 'element', index: 0 },
        { kind: 'name', name: 'sku' },
      ],
      position: 0,
    });
    expect(parseFormula(' $.items[*]').root).toEqual({
      kind: 'field',
      base: 'root',
      path: [{ kind: 'name', name: 'items' }, { kind: 'wildcard' }],
      position: 1,
    });
  });

  it.each([
    ['round(a * b, 2)', '(round (* a b) 2)'],
    ['max(1, 2, 3)', '(max 1 2 3)'],
    ['sum(items[*].line_amount)', '(sum items[*].line_amount)'],
    ['upper(trim(name)) & "!"', '(& (upper (trim name)) "!")'],
    ['count ( items )', '(count items)'],
    ['count + 1', '(+ count 1)'],
  ])('parses the call %s', (text, expected) => {
    expect(parsed(text)).toBe(expected);
  });
});

describe('formula parser: syntax errors', () => {
  it.each([
    ['', 0, 'an expression', 'end of formula'],
    ['   ', 3, 'an expression', 'end of formula'],
    ['"abc', 4, "'\"'", 'end of formula'],
    ["a & 'abc", 8, '"\'"', 'end of formula'],
    ["'a\\qb'", 2, 'an escape: \\\\ \\\' \\" \\n or \\t', "'\\q'"],
    ['a +', 3, 'an expression', 'end of formula'],
    ['a + * b', 4, 'an expression', "'*'"],
    ['round(a, 2', 10, "')'", 'end of formula'],
    ['(a + b', 6, "')'", 'end of formula'],
    ['()', 1, 'an expression', "')'"],
    ['max(1,)', 6, 'an expression', "')'"],
    ['a b', 2, 'an operator or end of formula', "'b'"],
    ['1 2', 2, 'an operator or end of formula', "'2'"],
    ['a)', 1, 'an operator or end of formula', "')'"],
    ['1.', 1, 'an operator or end of formula', "'.'"],
    ['a # b', 2, 'an operator or end of formula', "'#'"],
    ['#', 0, 'an expression', "'#'"],
    ['a = b', 2, 'an operator or end of formula', "'='"],
    ['a ? b', 5, "':'", 'end of formula'],
    ['a.', 2, 'a field name', 'end of formula'],
    ['a.1', 2, 'a field name', "'1'"],
    ['items[-1]', 6, "an index or '*'", "'-'"],
    ['items[1.5]', 6, "an index or '*'", "'1.5'"],
    ['items[0', 7, "']'", 'end of formula'],
    ['$foo', 0, "'$index' or a path from '$'", "'$foo'"],
    ['`open', 5, "'`'", 'end of formula'],
  ])('rejects %j at position %i, expecting %s', (text, position, expected, found) => {
    const error = syntaxErrorOf(text);
    expect({ position: error.position, expected: error.expected, found: error.found }).toEqual({
      position,
      expected,
      found,
    });
  });

  it('names the known functions when a call has an unknown name', () => {
    const error = syntaxErrorOf('1 + foo(2)');
    expect(error.position).toBe(4);
    expect(error.found).toBe("'foo'");
    expect(error.expected).toMatch(/^a known function \(abs, avg, ceil, .*, upper\)$/);
  });

  it.each(['constructor', 'a.__proto__', 'toString', 'x.hasOwnProperty', '`__proto__`'])(
    'rejects %s, a name that would reach Object.prototype',
    (text) => {
      const error = syntaxErrorOf(text);
      expect(error.expected).toBe('a field name');
      expect(error.message).toMatch(/is reserved and cannot be a field name/);
    },
  );
});

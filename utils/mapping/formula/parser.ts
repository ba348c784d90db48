/**
 * The formula parser: recursive descent over the tokens, one function per precedence level.
 * Hand-written on purpose: no well-kept library gives a safe, typed, synchronous expression
 * language that compiles to closures in this shape, and formulas never reach eval or Function.
 */
import type { BinaryOperator, FormulaAst, FormulaNode, FormulaPathSegment } from './ast';
import { column, FormulaSyntaxError } from './errors';
import { FUNCTION_NAMES } from './functions';
import { type Token, tokenize } from './lexer';

/** Binary operators by precedence, lowest first; `and`/`or` are spellings of `&&`/`||`. */
const LEVELS: readonly ReadonlyMap<string, BinaryOperator>[] = [
  new Map([['??', '??']]),
  new Map([
    ['||', '||'],
    ['or', '||'],
  ]),
  new Map([
    ['&&', '&&'],
    ['and', '&&'],
  ]),
  new Map([
    ['==', '=='],
    ['!=', '!='],
  ]),
  new Map([
    ['<', '<'],
    ['<=', '<='],
    ['>', '>'],
    ['>=', '>='],
  ]),
  new Map([
    ['+', '+'],
    ['-', '-'],
    ['&', '&'],
  ]),
  new Map([
    ['*', '*'],
    ['/', '/'],
    ['%', '%'],
  ]),
];

const KEYWORDS = new Set(['true', 'false', 'null', 'and', 'or', 'not']);

// Reading these would reach Object.prototype instead of the record's own data (as in ../paths.ts).
const RESERVED_NAMES = new Set(['__proto__', 'prototype', ...Object.getOwnPropertyNames(Object.prototype)]);

export function parseFormula(text: string): FormulaAst {
  const parser = new Parser(tokenize(text));
  const root = parser.parseConditional();
  parser.expectEnd();
  return { root, text };
}

class Parser {
  private next = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parseConditional(): FormulaNode {
    const test = this.parseBinary(0);
    if (!this.accept('?')) return test;
    const consequent = this.parseConditional();
    this.expect(':');
    const alternate = this.parseConditional();
    return { kind: 'conditional', test, consequent, alternate, position: test.position };
  }

  expectEnd(): void {
    if (this.peek().kind !== 'end') throw this.unexpected('an operator or end of formula');
  }

  private parseBinary(level: number): FormulaNode {
    const operators = LEVELS[level];
    if (operators === undefined) return this.parseUnary();
    let left = this.parseBinary(level + 1);
    while (true) {
      const token = this.peek();
      const operator =
        token.kind === 'punctuation' || token.kind === 'identifier' ? operators.get(token.text) : undefined;
      if (operator === undefined) return left;
      this.next += 1;
      const right = this.parseBinary(level + 1);
      left = {
        kind: 'binary',
        operator,
        left,
        right,
        position: left.position,
        operatorPosition: token.position,
      };
    }
  }

  private parseUnary(): FormulaNode {
    const token = this.peek();
    const isOperator = token.kind === 'punctuation' && (token.text === '-' || token.text === '!');
    if (isOperator || (token.kind === 'identifier' && token.text === 'not')) {
      this.next += 1;
      const operand = this.parseUnary();
      return { kind: 'unary', operator: token.text === '-' ? '-' : '!', operand, position: token.position };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): FormulaNode {
    const token = this.take();
    const { position } = token;
    switch (token.kind) {
      case 'number':
        return { kind: 'number', value: token.value as number, position };
      case 'string':
        return { kind: 'string', value: token.value as string, position };
      case 'quotedName':
        return this.parsePath('scope', [this.fieldName(token)], position);
      case 'variable':
        if (token.text === '$index') return { kind: 'itemIndex', position };
        if (token.text === '$') return this.parsePath('root', [], position);
        throw this.unexpected("'$index' or a path from '$'", token);
      case 'identifier':
        return this.parseWord(token);
      case 'punctuation':
        if (token.text === '(') {
          const inner = this.parseConditional();
          this.expect(')');
          return inner;
        }
        break;
    }
    throw this.unexpected('an expression', token);
  }

  /** A keyword literal, a call, or the first name of a path. */
  private parseWord(token: Token): FormulaNode {
    const { text, position } = token;
    if (text === 'true' || text === 'false') return { kind: 'boolean', value: text === 'true', position };
    if (text === 'null') return { kind: 'null', position };
    if (KEYWORDS.has(text)) throw this.unexpected('an expression', token);
    if (this.peek().text === '(' && this.peek().kind === 'punctuation') return this.parseCall(token);
    return this.parsePath('scope', [this.fieldName(token)], position);
  }

  private parseCall(name: Token): FormulaNode {
    if (!FUNCTION_NAMES.includes(name.text)) {
      throw this.unexpected(`a known function (${FUNCTION_NAMES.join(', ')})`, name);
    }
    this.expect('(');
    const args: FormulaNode[] = [];
    if (!this.accept(')')) {
      do args.push(this.parseConditional());
      while (this.accept(','));
      this.expect(')');
    }
    return { kind: 'call', name: name.text, args, position: name.position };
  }

  private parsePath(base: 'scope' | 'root', path: FormulaPathSegment[], position: number): FormulaNode {
    while (true) {
      if (this.accept('.')) {
        path.push(this.fieldName(this.take()));
      } else if (this.accept('[')) {
        const token = this.take();
        if (token.kind === 'number' && /^\d+$/.test(token.text))
          path.push({ kind: 'element', index: Number(token.text) });
        else if (token.kind === 'punctuation' && token.text === '*') path.push({ kind: 'wildcard' });
        else throw this.unexpected("an index or '*'", token);
        this.expect(']');
      } else {
        return { kind: 'field', base, path, position };
      }
    }
  }

  private fieldName(token: Token): FormulaPathSegment {
    if (token.kind !== 'identifier' && token.kind !== 'quotedName')
      throw this.unexpected('a field name', token);
    const name = token.value as string;
    if (name === '') throw this.unexpected('a field name', token);
    if (RESERVED_NAMES.has(name)) {
      const why = `${column(token.position)}: '${name}' is reserved and cannot be a field name`;
      throw new FormulaSyntaxError(token.position, 'a field name', describeToken(token), undefined, why);
    }
    return { kind: 'name', name };
  }

  private peek(): Token {
    // The token list always ends with an `end` token, which is never consumed past.
    return this.tokens[Math.min(this.next, this.tokens.length - 1)] as Token;
  }

  private take(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.next += 1;
    return token;
  }

  private accept(punctuation: string): boolean {
    const token = this.peek();
    if (token.kind !== 'punctuation' || token.text !== punctuation) return false;
    this.next += 1;
    return true;
  }

  private expect(punctuation: string): void {
    if (!this.accept(punctuation)) throw this.unexpected(`'${punctuation}'`);
  }

  private unexpected(expected: string, token: Token = this.peek()): FormulaSyntaxError {
    return new FormulaSyntaxError(token.position, expected, describeToken(token));
  }
}

const describeToken = (token: Token) => (token.kind === 'end' ? 'end of formula' : `'${token.text}'`);

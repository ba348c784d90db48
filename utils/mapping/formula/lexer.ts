/** Splits formula text into tokens. Characters it does not know become `invalid` tokens for the parser to report in context. */
import { FormulaSyntaxError } from './errors';

export type TokenKind =
  /** `12`, `2.75`; value is the number. */
  | 'number'
  /** `'text'`, `"text"`; value is the unescaped text. */
  | 'string'
  /** An identifier or keyword: `price`, `and`, `true`. */
  | 'identifier'
  /** A backtick-quoted field name for names that are not identifiers: `` `first-name` ``. */
  | 'quotedName'
  /** `$`, `$index` (and unknown `$names`, which the parser refuses). */
  | 'variable'
  | 'punctuation'
  | 'invalid'
  | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token (for strings and quoted names, the unescaped content is `value`). */
  readonly text: string;
  readonly value: string | number | undefined;
  readonly position: number;
}

const PUNCTUATION = ['??', '||', '&&', '==', '!=', '<=', '>=', '(', ')', '[', ']', '.', ',', '?', ':'];
const SINGLE_OPERATORS = '+-*/%&<>!';
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t' };

const NUMBER = /\d+(?:\.\d+)?/y;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;
const VARIABLE = /\$[A-Za-z0-9_]*/y;
const SPACE = /\s+/y;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  const matchAt = (pattern: RegExp) => {
    pattern.lastIndex = position;
    return pattern.exec(text)?.[0];
  };
  while (true) {
    position += matchAt(SPACE)?.length ?? 0;
    if (position >= text.length) break;
    const char = text.charAt(position);
    const start = position;
    let token: Token;
    if (char === '"' || char === "'") {
      token = readString(text, position);
    } else if (char === '`') {
      token = readQuotedName(text, position);
    } else if (char >= '0' && char <= '9') {
      const digits = matchAt(NUMBER) ?? char;
      token = { kind: 'number', text: digits, value: Number(digits), position };
    } else if (char === '$') {
      token = { kind: 'variable', text: matchAt(VARIABLE) ?? char, value: undefined, position };
    } else {
      const word = matchAt(IDENTIFIER);
      if (word) token = { kind: 'identifier', text: word, value: word, position };
      else token = readSymbol(text, position);
    }
    tokens.push(token);
    position = start + token.text.length;
  }
  tokens.push({ kind: 'end', text: '', value: undefined, position: text.length });
  return tokens;
}

function readSymbol(text: string, position: number): Token {
  const punctuation = PUNCTUATION.find((candidate) => text.startsWith(candidate, position));
  if (punctuation) return { kind: 'punctuation', text: punctuation, value: undefined, position };
  const char = text.charAt(position);
  const kind = SINGLE_OPERATORS.includes(char) ? 'punctuation' : 'invalid';
  return { kind, text: char, value: undefined, position };
}

function readString(text: string, start: number): Token {
  const quote = text.charAt(start);
  let value = '';
  let position = start + 1;
  while (position < text.length) {
    const char = text.charAt(position);
    if (char === quote) {
      return { kind: 'string', text: text.slice(start, position + 1), value, position: start };
    }
    if (char === '\\' && position + 1 < text.length) {
      const escaped = ESCAPES[text.charAt(position + 1)];
      if (escaped === undefined) {
        const found = `'${text.slice(position, position + 2)}'`;
        throw new FormulaSyntaxError(position, 'an escape: \\\\ \\\' \\" \\n or \\t', found);
      }
      value += escaped;
      position += 2;
    } else {
      value += char;
      position += 1;
    }
  }
  const opened = `the string started at column ${start + 1} is not closed`;
  const expected = quote === "'" ? `"'"` : `'"'`;
  throw new FormulaSyntaxError(text.length, expected, 'end of formula', opened);
}

function readQuotedName(text: string, start: number): Token {
  const end = text.indexOf('`', start + 1);
  if (end < 0) {
    const opened = `the name started at column ${start + 1} is not closed`;
    throw new FormulaSyntaxError(text.length, "'`'", 'end of formula', opened);
  }
  return {
    kind: 'quotedName',
    text: text.slice(start, end + 1),
    value: text.slice(start + 1, end),
    position: start,
  };
}

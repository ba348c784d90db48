/**
 * The fixed table of formula functions: each one's signature, which the checker reads, and how it
 * compiles to a closure. Arguments are checked at run time as well, since fields may be `any`.
 */
import type { CallNode, FormulaNode } from './ast';
import { roundHalfEven as importedRoundHalfEven } from './decimal';
import { column, FormulaTypeError } from './errors';
import { compileList } from './fields';
import {
  type CompiledNode,
  type Evaluate,
  failure,
  textOf as importedTextOf,
  operandFailure,
  rangeFailure,
  TEXT,
} from './runtime';
import { BOOLEAN, type FormulaType, NUMBER, STRING } from './types';

/** What a parameter accepts. */
export type ParameterKind = 'number' | 'string' | 'text' | 'numeric' | 'array' | 'numbers';

export const PARAMETER_EXPECTED: Readonly<Record<ParameterKind, string>> = {
  number: 'a number',
  string: 'a string',
  text: TEXT,
  numeric: 'a string or a number',
  array: 'an array',
  numbers: 'an array of numbers',
};

export interface FormulaFunction {
  readonly params: readonly ParameterKind[];
  /** How many trailing params may be left out. */
  readonly optional: number;
  /** The last param repeats. */
  readonly variadic: boolean;
  /** Its argument may be a wildcard path (sum, count, avg; min and max when given one argument). */
  readonly list: 'always' | 'alone' | 'never';
  readonly returns: FormulaType;
  readonly compile: (args: readonly CompiledNode[], call: CallNode) => Evaluate;
}

const signature = (
  params: readonly ParameterKind[],
  returns: FormulaType,
  compile: FormulaFunction['compile'],
  options: Partial<Pick<FormulaFunction, 'optional' | 'variadic' | 'list'>> = {},
): FormulaFunction => ({ params, returns, compile, optional: 0, variadic: false, list: 'never', ...options });

/** Arity was checked before compiling, so a missing argument is a bug here. */
function argument(args: readonly CompiledNode[], index: number): CompiledNode {
  const arg = args[index];
  if (arg === undefined) throw new Error(`formula function compiled without argument ${index}`);
  return arg;
}

// CommonJS transpilers (tsx, SWC) turn each use of an imported binding into a getter call, which
// showed up in profiles: the closures below use module-local names only.
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const roundHalfEven = importedRoundHalfEven;
const textOf = importedTextOf;

const identity = (value: unknown) => value;

const INTEGER_ONLY = 'expected an integer, found a fractional number';

function numberToNumber(operation: (value: number) => number): FormulaFunction['compile'] {
  return (args) => {
    const { evaluate, node } = argument(args, 0);
    return (scope, root, index) => {
      const value = evaluate(scope, root, index);
      if (typeof value !== 'number') throw operandFailure(node, value, 'a number', scope, root);
      return operation(value) + 0;
    };
  };
}

function stringTo(operation: (text: string) => unknown): FormulaFunction['compile'] {
  return (args) => {
    const { evaluate, node } = argument(args, 0);
    return (scope, root, index) => {
      const value = evaluate(scope, root, index);
      if (typeof value !== 'string') throw operandFailure(node, value, 'a string', scope, root);
      return operation(value);
    };
  };
}

function twoStringsTo(operation: (text: string, other: string) => unknown): FormulaFunction['compile'] {
  return (args) => {
    const first = argument(args, 0);
    const second = argument(args, 1);
    return (scope, root, index) => {
      const text = first.evaluate(scope, root, index);
      if (typeof text !== 'string') throw operandFailure(first.node, text, 'a string', scope, root);
      const other = second.evaluate(scope, root, index);
      if (typeof other !== 'string') throw operandFailure(second.node, other, 'a string', scope, root);
      return operation(text, other);
    };
  };
}

/** An integer argument, or undefined when it was left out. */
function integerArgument(arg: CompiledNode | undefined): Evaluate | undefined {
  if (arg === undefined) return undefined;
  const { evaluate, node } = arg;
  return (scope, root, index) => {
    const value = evaluate(scope, root, index);
    if (typeof value !== 'number') throw operandFailure(node, value, 'a number', scope, root);
    if (!Number.isInteger(value)) throw failure(INTEGER_ONLY, node.position, node, scope, root);
    return value;
  };
}

function compileRound(args: readonly CompiledNode[]): Evaluate {
  const { evaluate, node } = argument(args, 0);
  const digitsArg = args[1];
  const readDigits = integerArgument(digitsArg);
  const checkedDigits = (scope: unknown, root: unknown, index: number) => {
    const digits = readDigits ? (readDigits(scope, root, index) as number) : 0;
    if (digits < -15 || digits > 15) {
      const reason = 'expected an integer from -15 to 15, found one out of range';
      throw failure(reason, digitsArg?.node.position ?? node.position, digitsArg?.node, scope, root);
    }
    return digits;
  };
  // Constant digits (the usual `round(x, 2)`) are checked once; a bad constant still fails at run time.
  let fixedDigits: number | undefined;
  try {
    if (digitsArg === undefined || digitsArg.constant) fixedDigits = checkedDigits(undefined, undefined, 0);
  } catch {
    fixedDigits = undefined;
  }
  if (fixedDigits !== undefined) {
    const digits = fixedDigits;
    return (scope, root, index) => {
      const value = evaluate(scope, root, index);
      if (typeof value !== 'number') throw operandFailure(node, value, 'a number', scope, root);
      return roundHalfEven(value, digits);
    };
  }
  return (scope, root, index) => {
    const value = evaluate(scope, root, index);
    if (typeof value !== 'number') throw operandFailure(node, value, 'a number', scope, root);
    return roundHalfEven(value, checkedDigits(scope, root, index));
  };
}

/** sum and avg: every element a number, the running total within the safe integer range. */
function compileTotal(average: boolean): FormulaFunction['compile'] {
  return (args, call) => {
    const arg = argument(args, 0);
    const { list, item, notArray, badItem } = compileList(arg.node, arg.evaluate, 'an array of numbers');
    const read = item ?? identity;
    return (scope, root, index) => {
      const elements = list(scope, root, index);
      if (!Array.isArray(elements)) throw notArray(elements, scope, root);
      let total = 0;
      for (let k = 0; k < elements.length; k++) {
        const value = read(elements[k]);
        if (typeof value !== 'number') throw badItem(k, value, 'a number', scope, root);
        total += value;
        if (!(total <= MAX_SAFE && total >= -MAX_SAFE)) throw rangeFailure(total, call.position, scope, root);
      }
      if (!average) return total;
      return elements.length === 0 ? undefined : total / elements.length;
    };
  };
}

function compileCount(args: readonly CompiledNode[]): Evaluate {
  const arg = argument(args, 0);
  const { list, notArray } = compileList(arg.node, arg.evaluate, 'an array');
  return (scope, root, index) => {
    const elements = list(scope, root, index);
    if (!Array.isArray(elements)) throw notArray(elements, scope, root);
    return elements.length;
  };
}

/** min and max: over one array of numbers (absent when it is empty), or over their number arguments. */
function compileExtreme(largest: boolean): FormulaFunction['compile'] {
  return (args) => {
    if (args.length === 1) return extremeOfList(argument(args, 0), largest);
    const reads = args.map((arg) => arg.evaluate);
    return (scope, root, index) => {
      let best = largest ? -Infinity : Infinity;
      for (let k = 0; k < reads.length; k++) {
        const value = (reads[k] as Evaluate)(scope, root, index);
        if (typeof value !== 'number')
          throw operandFailure(argument(args, k).node, value, 'a number', scope, root);
        if (largest ? value > best : value < best) best = value;
      }
      return best;
    };
  };
}

function extremeOfList(arg: CompiledNode, largest: boolean): Evaluate {
  const { list, item, notArray, badItem } = compileList(
    arg.node,
    arg.evaluate,
    'a number or an array of numbers',
  );
  const isWildcard =
    arg.node.kind === 'field' && arg.node.path.some((segment) => segment.kind === 'wildcard');
  return (scope, root, index) => {
    const elements = list(scope, root, index);
    if (typeof elements === 'number' && !isWildcard) return elements;
    if (!Array.isArray(elements)) throw notArray(elements, scope, root);
    if (elements.length === 0) return undefined;
    let best = largest ? -Infinity : Infinity;
    for (let k = 0; k < elements.length; k++) {
      const value = item === undefined ? elements[k] : item(elements[k]);
      if (typeof value !== 'number') throw badItem(k, value, 'a number', scope, root);
      if (largest ? value > best : value < best) best = value;
    }
    return best;
  };
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Length in code points, as JSONata's $length counts: an emoji is one character. */
function codePointLength(text: string): number {
  if (!SURROGATE.test(text)) return text.length;
  let length = 0;
  for (const _ of text) length += 1;
  return length;
}

/** JSONata's $substring, in code points: a negative start counts from the end, a length of 0 or less gives ''. */
function substring(text: string, start: number, length: number | undefined): string {
  const units = SURROGATE.test(text) ? Array.from(text) : text;
  const from = units.length + start < 0 ? 0 : start;
  let end: number | undefined;
  if (length !== undefined) {
    if (length <= 0) return '';
    end = from >= 0 ? from + length : units.length + from + length;
  }
  return typeof units === 'string' ? units.slice(from, end) : units.slice(from, end).join('');
}

function compileSubstring(args: readonly CompiledNode[]): Evaluate {
  const { evaluate, node } = argument(args, 0);
  const readStart = integerArgument(argument(args, 1)) as Evaluate;
  const readLength = integerArgument(args[2]);
  return (scope, root, index) => {
    const text = evaluate(scope, root, index);
    if (typeof text !== 'string') throw operandFailure(node, text, 'a string', scope, root);
    const start = readStart(scope, root, index) as number;
    return substring(text, start, readLength?.(scope, root, index) as number | undefined);
  };
}

function compileConcat(args: readonly CompiledNode[]): Evaluate {
  const reads = args.map((arg) => arg.evaluate);
  const nodes = args.map((arg) => arg.node);
  return (scope, root, index) => {
    let text = '';
    for (let k = 0; k < reads.length; k++) {
      const value = (reads[k] as Evaluate)(scope, root, index);
      text += typeof value === 'string' ? value : textOf(value, nodes[k] as FormulaNode, scope, root);
    }
    return text;
  };
}

// Decimal notation only: no hex, no blanks, no empty string (all of which Number() would accept).
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function compileNumber(args: readonly CompiledNode[]): Evaluate {
  const { evaluate, node } = argument(args, 0);
  return (scope, root, index) => {
    const value = evaluate(scope, root, index);
    if (typeof value === 'number') return value;
    if (typeof value !== 'string') throw operandFailure(node, value, 'a string or a number', scope, root);
    const parsed = NUMERIC.test(value) ? Number(value) : Number.NaN;
    if (Number.isFinite(parsed)) return parsed;
    const reason = 'expected a numeric string, found a non-numeric string';
    throw failure(reason, node.position, node, scope, root);
  };
}

export const FUNCTIONS: ReadonlyMap<string, FormulaFunction> = new Map([
  ['round', signature(['number', 'number'], NUMBER, compileRound, { optional: 1 })],
  ['floor', signature(['number'], NUMBER, numberToNumber(Math.floor))],
  ['ceil', signature(['number'], NUMBER, numberToNumber(Math.ceil))],
  ['abs', signature(['number'], NUMBER, numberToNumber(Math.abs))],
  ['min', signature(['number'], NUMBER, compileExtreme(false), { variadic: true, list: 'alone' })],
  ['max', signature(['number'], NUMBER, compileExtreme(true), { variadic: true, list: 'alone' })],
  ['sum', signature(['numbers'], NUMBER, compileTotal(false), { list: 'always' })],
  ['count', signature(['array'], NUMBER, compileCount, { list: 'always' })],
  ['avg', signature(['numbers'], NUMBER, compileTotal(true), { list: 'always' })],
  [
    'upper',
    signature(
      ['string'],
      STRING,
      stringTo((text) => text.toUpperCase()),
    ),
  ],
  [
    'lower',
    signature(
      ['string'],
      STRING,
      stringTo((text) => text.toLowerCase()),
    ),
  ],
  [
    'trim',
    signature(
      ['string'],
      STRING,
      stringTo((text) => text.trim()),
    ),
  ],
  ['length', signature(['string'], NUMBER, stringTo(codePointLength))],
  ['substring', signature(['string', 'number', 'number'], STRING, compileSubstring, { optional: 1 })],
  ['concat', signature(['text'], STRING, compileConcat, { variadic: true })],
  ['string', signature(['text'], STRING, (args) => compileConcat(args.slice(0, 1)))],
  ['number', signature(['numeric'], NUMBER, compileNumber)],
  [
    'contains',
    signature(
      ['string', 'string'],
      BOOLEAN,
      twoStringsTo((text, part) => text.includes(part)),
    ),
  ],
  [
    'starts_with',
    signature(
      ['string', 'string'],
      BOOLEAN,
      twoStringsTo((text, start) => text.startsWith(start)),
    ),
  ],
]);

export const FUNCTION_NAMES: readonly string[] = [...FUNCTIONS.keys()].sort();

const plural = (count: number) => `${count} argument${count === 1 ? '' : 's'}`;

/** Throws when a call has too few or too many arguments for its function. */
export function checkArity(fn: FormulaFunction, call: CallNode): void {
  const most = fn.variadic ? Number.POSITIVE_INFINITY : fn.params.length;
  const least = fn.params.length - fn.optional;
  const count = call.args.length;
  if (count >= least && count <= most) return;
  const expected =
    most === least
      ? plural(least)
      : most === Number.POSITIVE_INFINITY
        ? `at least ${plural(least)}`
        : `${least} to ${most} arguments`;
  const found = plural(count);
  const message = `${column(call.position)}: ${call.name} takes ${expected}, found ${found}`;
  throw new FormulaTypeError(call.position, expected, found, undefined, message);
}

import { z } from 'zod';
import type { FieldIssue } from '../http/errors';
import { fieldPath } from '../validation/issues';

/**
 * The compact type notation of contract schemas, compiled to zod:
 * - a string is a type: `string`, `number`, `integer`, `boolean`, `email`, `datetime`, `any`, `null`,
 *   with bounds `integer(1..99999999)` (value) or `string(3..3)` (length), `enum(a, b)`, `map(T)`
 *   (an object of T values), `T[]` (an array of T), and unions `string | null`;
 * - a mapping is an object: `name` is required, `name?` optional, `name(1..25)` an array of 1 to 25;
 * - a one-element list is an array of that element.
 * Request objects are strict (an unknown field is a bug in the caller); response objects are tolerant
 * (a provider adding a field must not break Junction), and keep the fields they do not name.
 */

export type SchemaMode = 'request' | 'response';

export type Validation<T = unknown> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly FieldIssue[] };

export interface CompiledSchema {
  readonly schema: z.ZodType;
  validate(value: unknown): Validation;
}

/** A notation that cannot compile: where in the schema (`['lines(1..2)', 0, 'sku']`) and why. */
export class TypeNotationError extends Error {
  constructor(
    readonly path: readonly (string | number)[],
    readonly detail: string,
  ) {
    super(`${path.join('.') || '(schema)'}: ${detail}`);
    this.name = 'TypeNotationError';
  }
}

const TYPE_NAMES =
  'string, number, integer, boolean, email, datetime, any, null, enum(…), map(…), or a type followed by []';
const KEY = /^([A-Za-z_$][A-Za-z0-9_$.-]*)(?:\(([^()]*)\))?(\?)?$/;
const BOUNDS = /^\s*(-?\d+(?:\.\d+)?)?\s*\.\.\s*(-?\d+(?:\.\d+)?)?\s*$/;
const TERM = /^([a-z]+)(?:\((.*)\))?$/s;

interface Bounds {
  readonly min?: number;
  readonly max?: number;
}

class Detail extends Error {}

export function compileTypeNotation(notation: unknown, options: { mode: SchemaMode }): CompiledSchema {
  const schema = compileNode(notation, [], options.mode);
  return {
    schema,
    validate(value) {
      const result = schema.safeParse(value);
      if (result.success) return { ok: true, value: result.data };
      const issues = result.error.issues.map((issue) => ({
        field: fieldPath(issue.path),
        message: issue.message,
      }));
      return { ok: false, issues };
    },
  };
}

function compileNode(node: unknown, path: (string | number)[], mode: SchemaMode): z.ZodType {
  try {
    if (typeof node === 'string') return parseExpression(node);
  } catch (error) {
    if (error instanceof Detail) throw new TypeNotationError(path, error.message);
    throw error;
  }
  if (Array.isArray(node)) {
    if (node.length !== 1)
      throw new TypeNotationError(path, 'an array type is a list of exactly one element type');
    return z.array(compileNode(node[0], [...path, 0], mode));
  }
  if (typeof node === 'object' && node !== null) return compileObject(node as object, path, mode);
  throw new TypeNotationError(
    path,
    'expected a type such as string, a mapping of fields or a one-element list',
  );
}

function compileObject(node: object, path: (string | number)[], mode: SchemaMode): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, value] of Object.entries(node)) {
    const at = [...path, key];
    const match = KEY.exec(key);
    if (!match) {
      throw new TypeNotationError(
        at,
        'a key is a name, optionally with (min..max) array bounds and a trailing ?',
      );
    }
    const [, name = key, boundsText, optional] = match;
    let field = compileNode(value, at, mode);
    if (boundsText !== undefined) {
      if (!(field instanceof z.ZodArray)) throw new TypeNotationError(at, 'array bounds need an array');
      field = withBounds(field as z.ZodArray<z.ZodType>, boundsOrThrow(boundsText, at));
    }
    shape[name] = optional ? field.optional() : field;
  }
  return mode === 'request' ? z.strictObject(shape) : z.looseObject(shape);
}

function boundsOrThrow(text: string, at: (string | number)[]): Bounds {
  try {
    return parseBounds(text);
  } catch (error) {
    if (error instanceof Detail) throw new TypeNotationError(at, error.message);
    throw error;
  }
}

/** Splits on `separator` outside parentheses. */
function splitTop(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === separator && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts.map((part) => part.trim());
}

function parseExpression(text: string): z.ZodType {
  const terms = splitTop(text, '|').map(parseTerm);
  return terms.length === 1 ? (terms[0] as z.ZodType) : z.union(terms);
}

function parseTerm(raw: string): z.ZodType {
  const isArray = raw.endsWith('[]');
  const text = isArray ? raw.slice(0, -2).trim() : raw;
  const match = TERM.exec(text);
  if (!match) throw new Detail(`unknown type "${raw}"; expected ${TYPE_NAMES}`);
  const [, name = '', args] = match;
  const type = namedType(name, args);
  return isArray ? z.array(type) : type;
}

function namedType(name: string, args: string | undefined): z.ZodType {
  const bounds = () => (args === undefined ? {} : parseBounds(args));
  const noArgs = <T extends z.ZodType>(type: T): T => {
    if (args !== undefined) throw new Detail(`"${name}" takes no arguments`);
    return type;
  };
  switch (name) {
    case 'string':
      return withBounds(z.string(), bounds());
    case 'number':
      return withBounds(z.number(), bounds());
    case 'integer':
      return withBounds(z.number().int(), bounds());
    case 'boolean':
      return noArgs(z.boolean());
    case 'email':
      return noArgs(z.email());
    case 'datetime':
      return noArgs(z.iso.datetime({ offset: true }));
    case 'any':
      return noArgs(z.unknown());
    case 'null':
      return noArgs(z.null());
    case 'enum':
      return enumType(args);
    case 'map':
      if (args === undefined || args.trim() === '')
        throw new Detail('map() needs a value type, as in map(string)');
      return z.record(z.string(), parseExpression(args));
    default:
      throw new Detail(`unknown type "${name}"; expected ${TYPE_NAMES}`);
  }
}

function enumType(args: string | undefined): z.ZodType {
  const values = (args ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
  if (values.length === 0) throw new Detail('enum() needs at least one value, as in enum(a, b)');
  return z.enum(values as [string, ...string[]]);
}

function parseBounds(text: string): Bounds {
  const match = BOUNDS.exec(text);
  if (!match || (match[1] === undefined && match[2] === undefined)) {
    throw new Detail(`bounds are written (min..max), (min..) or (..max), not (${text})`);
  }
  const min = match[1] === undefined ? undefined : Number(match[1]);
  const max = match[2] === undefined ? undefined : Number(match[2]);
  if (min !== undefined && max !== undefined && min > max) {
    throw new Detail(`the lower bound ${min} is above the upper bound ${max}`);
  }
  return { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
}

type Bounded = z.ZodString | z.ZodNumber | z.ZodArray<z.ZodType>;

function withBounds<T extends Bounded>(type: T, bounds: Bounds): T {
  let bounded = type as Bounded;
  if (bounds.min !== undefined) bounded = bounded.min(bounds.min) as Bounded;
  if (bounds.max !== undefined) bounded = bounded.max(bounds.max) as Bounded;
  return bounded as T;
}

/**
 * Field paths of mapping specs: `order.items[*].price`, `customer.address.city`, `lines[0]`.
 * A `*` segment is a wildcard over an array's items.
 */
export type PathSegment = string | number;

export interface FieldPath {
  readonly text: string;
  readonly segments: readonly PathSegment[];
  readonly wildcards: number;
}

export class PathSyntaxError extends Error {
  constructor(
    readonly position: number,
    readonly expected: string,
    message = `at column ${position + 1}: expected ${expected}`,
  ) {
    super(message);
    this.name = 'PathSyntaxError';
  }
}

// Reading or writing these would reach Object.prototype instead of the record's own data.
const RESERVED_NAMES = new Set(['__proto__', 'prototype', ...Object.getOwnPropertyNames(Object.prototype)]);

const NAME = /[A-Za-z_][A-Za-z0-9_$-]*/y;
const INDEX = /\*|\d+/y;

export function parsePath(text: string): FieldPath {
  const segments: PathSegment[] = [];
  let position = 0;
  let wildcards = 0;
  const readName = () => {
    NAME.lastIndex = position;
    const match = NAME.exec(text);
    if (!match) throw new PathSyntaxError(position, 'a field name');
    if (RESERVED_NAMES.has(match[0])) {
      throw new PathSyntaxError(
        position,
        'a field name',
        `at column ${position + 1}: "${match[0]}" is reserved and cannot be a field name`,
      );
    }
    segments.push(match[0]);
    position = NAME.lastIndex;
  };
  readName();
  while (position < text.length) {
    const char = text[position];
    if (char === '.') {
      position += 1;
      readName();
    } else if (char === '[') {
      position += 1;
      INDEX.lastIndex = position;
      const match = INDEX.exec(text);
      if (!match) throw new PathSyntaxError(position, 'an index or *');
      if (match[0] === '*') wildcards += 1;
      segments.push(match[0] === '*' ? '*' : Number(match[0]));
      position = INDEX.lastIndex;
      if (text[position] !== ']') throw new PathSyntaxError(position, "']'");
      position += 1;
    } else {
      throw new PathSyntaxError(position, "'.' or '['");
    }
  }
  return { text, segments, wildcards };
}

/** `order.items[1].quantity` from its segments; `(input)` for the whole input. */
export function renderPath(segments: readonly PathSegment[]): string {
  if (segments.length === 0) return '(input)';
  let text = '';
  for (const segment of segments) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (segment === '*') text += '[*]';
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

/** Splits a path at its wildcards: `a.b[*].c[*]` → `[['a','b'], ['c'], []]`. */
export function splitAtWildcards(segments: readonly PathSegment[]): PathSegment[][] {
  const groups: PathSegment[][] = [[]];
  for (const segment of segments) {
    if (segment === '*') groups.push([]);
    else groups[groups.length - 1]?.push(segment);
  }
  return groups;
}

export type Getter = (value: unknown) => unknown;

function step(value: unknown, key: PathSegment): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  if (typeof key === 'number') return Array.isArray(value) ? value[key] : undefined;
  return Array.isArray(value) ? undefined : (value as Record<string, unknown>)[key];
}

/** A reader for a wildcard-free path; anything missing on the way reads as undefined. */
export function compileGetter(keys: readonly PathSegment[]): Getter {
  const [first, second, third] = keys;
  // Short paths are the common case and are read without a loop.
  if (keys.length === 0) return (value) => value;
  if (keys.length === 1 && first !== undefined) return (value) => step(value, first);
  if (keys.length === 2 && first !== undefined && second !== undefined)
    return (value) => step(step(value, first), second);
  if (keys.length === 3 && first !== undefined && second !== undefined && third !== undefined)
    return (value) => step(step(step(value, first), second), third);
  return (value) => {
    let current = value;
    for (const key of keys) {
      current = step(current, key);
      if (current === undefined) return undefined;
    }
    return current;
  };
}

/**
 * EventBridge event patterns: validation (as PutRule/TestEventPattern do) and matching, following the
 * EventBridge User Guide ("Creating event patterns", "Arrays", "Null values and empty strings",
 * "Content filtering", "Comparison operators"). Where the guide is silent, the behaviour follows the
 * open-source engine EventBridge runs (aws/event-ruler): reasons in error messages are its own, the
 * event is read as leaf values keyed by dot-joined paths, and fields matched inside one array must come
 * from the same array element.
 */

export type EventPattern = Readonly<Record<string, unknown>>;

/** Thrown for a pattern EventBridge would reject; `code` is the AWS error code. */
export class InvalidEventPatternError extends Error {
  readonly code = 'InvalidEventPatternException';

  constructor(reason: string, path?: string) {
    super(`Event pattern is not valid. Reason: ${reason}${path ? ` at "${path}"` : ''}`);
    this.name = 'InvalidEventPatternError';
  }
}

type Scalar = string | number | boolean | null;

/** One entry of a field's value array: a leaf test, or an exists test (which looks at presence). */
type Matcher =
  | { readonly kind: 'test'; readonly test: (value: Scalar) => boolean }
  | { readonly kind: 'exists'; readonly present: boolean };

/** One AND-branch of the pattern: dot-joined field path to its alternatives. `$or` yields several. */
type Branch = Map<string, readonly Matcher[]>;

const OR = '$or';
/** Operator names that cannot be field names inside `$or` (event-ruler's reserved list). */
const RESERVED_IN_OR = new Set(
  (
    'exactly equals-ignore-case prefix suffix anything-but exists wildcard numeric cidr html = < <= > >= regex ' +
    'not-wildcard not-equals-ignore-case date-after date-on-or-after date-before date-on-or-before in-date-range ' +
    'ip-address-in-range ip-address-not-in-range'
  ).split(' '),
);

/** "Numeric matching ... is limited to values between -5.0e9 and +5.0e9 inclusive ... six digits to the right". */
const NUMERIC_LIMIT = 5e9;
const MAX_DECIMALS = 6;

const compiled = new WeakMap<object, readonly Branch[]>();

/** Validates a pattern as EventBridge does (PutRule/TestEventPattern); throws InvalidEventPatternError with a clear message naming the offending field. */
export function validateEventPattern(pattern: unknown): asserts pattern is EventPattern {
  compilePattern(pattern);
}

/** Whether an EventBridge event (the full envelope: version, id, detail-type, source, account, time, region, resources, detail) matches the pattern. */
export function matchesEventPattern(
  pattern: EventPattern,
  event: Readonly<Record<string, unknown>>,
): boolean {
  return matchesFlatEvent(pattern, flattenEvent(event));
}

/** An event read as pattern matching reads it; flatten once, then match it against many patterns. */
export type FlatEvent = ReadonlyMap<string, readonly Leaf[]>;

/** matchesEventPattern for an event already flattened by flattenEvent. */
export function matchesFlatEvent(pattern: EventPattern, leaves: FlatEvent): boolean {
  return compilePattern(pattern).some((branch) => branchMatches(branch, leaves));
}

// ---------------------------------------------------------------------------------------------------------
// Compilation (and validation)
// ---------------------------------------------------------------------------------------------------------

function fail(reason: string, path?: string): never {
  throw new InvalidEventPatternError(reason, path);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const join = (prefix: string, key: string): string => (prefix ? `${prefix}.${key}` : key);

function compilePattern(pattern: unknown): readonly Branch[] {
  if (!isPlainObject(pattern)) fail('Filter is not an object');
  const cached = compiled.get(pattern);
  if (cached) return cached;
  const branches: Branch[] = [];
  compileObject(pattern, '', branches, false);
  compiled.set(pattern, branches);
  return branches;
}

/** Walks one pattern object; keys AND together, and every branch gets each leaf field (event-ruler order). */
function compileObject(
  object: Record<string, unknown>,
  prefix: string,
  branches: Branch[],
  inOr: boolean,
): void {
  const keys = Object.keys(object);
  if (keys.length === 0) fail('Empty objects are not allowed', prefix || undefined);
  for (const key of keys) {
    const value = object[key];
    if (key === OR) {
      compileOr(value, prefix, branches);
      continue;
    }
    const path = join(prefix, key);
    if (inOr && RESERVED_IN_OR.has(key))
      fail(`${key} is a reserved keyword and cannot be a field name inside $or`, path);
    if (Array.isArray(value)) {
      const matchers = compileValues(value, path);
      if (branches.length === 0) branches.push(new Map());
      for (const branch of branches) branch.set(path, matchers);
    } else if (isPlainObject(value)) {
      compileObject(value, path, branches, inOr);
    } else {
      fail(`"${key}" must be an object or an array`, path);
    }
  }
}

/** `$or`: every object forks the branches built so far; later fields are added to all forks. */
function compileOr(value: unknown, prefix: string, branches: Branch[]): void {
  const where = join(prefix, OR);
  if (!Array.isArray(value)) fail('$or must be an array of objects', where);
  const before = branches.map((branch) => new Map(branch));
  branches.length = 0;
  for (const item of value) {
    if (!isPlainObject(item)) fail('Only JSON objects are allowed in $or', where);
    const forks = before.length ? before.map((branch) => new Map(branch)) : [new Map()];
    compileObject(item, prefix, forks, true);
    branches.push(...forks);
  }
  if (value.length < 2) fail('There must be at least 2 objects in $or', where);
}

function compileValues(values: readonly unknown[], path: string): Matcher[] {
  if (values.length === 0) fail('Empty arrays are not allowed', path);
  return values.map((value) => {
    if (isPlainObject(value)) return compileExpression(value, path);
    if (value === null || typeof value === 'string' || typeof value === 'boolean')
      return leafTest((v) => v === value);
    if (typeof value === 'number' && Number.isFinite(value)) return leafTest((v) => v === value);
    return fail('Match value must be String, number, true, false, or null', path);
  });
}

const leafTest = (fn: (value: Scalar) => boolean): Matcher => ({ kind: 'test', test: fn });
const isString = (value: Scalar): value is string => typeof value === 'string';

/** One `{ "operator": ... }` object inside a field's value array. */
function compileExpression(expression: Record<string, unknown>, path: string): Matcher {
  const [operator, ...others] = Object.keys(expression);
  if (operator === undefined) return fail('Match expression name not found', path);
  if (others.length > 0) fail('Only one key allowed in match expression', path);
  const operand = expression[operator];
  switch (operator) {
    case 'prefix':
      return compileAffix(operand, path, 'prefix');
    case 'suffix':
      return compileAffix(operand, path, 'suffix');
    case 'equals-ignore-case': {
      const text = requireString(
        operand,
        'equals-ignore-case match pattern must be a string',
        path,
      ).toLowerCase();
      return leafTest((v) => isString(v) && v.toLowerCase() === text);
    }
    case 'wildcard': {
      const regex = wildcardRegex(
        requireString(operand, 'wildcard match pattern must be a string', path),
        path,
      );
      return leafTest((v) => isString(v) && regex.test(v));
    }
    case 'numeric':
      return compileNumeric(operand, path);
    case 'anything-but':
      return compileAnythingBut(operand, path);
    case 'exists':
      if (typeof operand !== 'boolean') fail('exists match pattern must be either true or false.', path);
      return { kind: 'exists', present: operand };
    case 'cidr':
      return compileCidr(requireString(operand, 'cidr match pattern must be a string', path), path);
    default:
      return fail(`Unrecognized match type ${operator}`, path);
  }
}

function requireString(value: unknown, reason: string, path: string): string {
  return typeof value === 'string' ? value : fail(reason, path);
}

/** `prefix`/`suffix`, either a string or `{ "equals-ignore-case": string }`. */
function compileAffix(operand: unknown, path: string, kind: 'prefix' | 'suffix'): Matcher {
  const at = (v: string, affix: string): boolean =>
    kind === 'prefix' ? v.startsWith(affix) : v.endsWith(affix);
  if (typeof operand === 'string') return leafTest((v) => isString(v) && at(v, operand));
  if (!isPlainObject(operand)) return fail(`${kind} match pattern must be a string`, path);
  const [option, ...others] = Object.keys(operand);
  if (option === undefined) return fail(`${kind} match pattern must be a string`, path);
  if (option !== 'equals-ignore-case') fail(`Unsupported ${kind} pattern: ${option}`, path);
  if (others.length > 0) fail('Only one key allowed in match expression', path);
  const affix = requireString(
    operand[option],
    'equals-ignore-case match pattern must be a string',
    path,
  ).toLowerCase();
  return leafTest((v) => isString(v) && at(v.toLowerCase(), affix));
}

// ---------------------------------------------------------------------------------------------------------
// numeric
// ---------------------------------------------------------------------------------------------------------

type Bound = { readonly value: number; readonly inclusive: boolean };

function checkNumber(value: unknown, reason: string, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fail(reason, path);
  if (Math.abs(value) > NUMERIC_LIMIT) fail('Value must be between -5.0E9 and 5.0E9, inclusive', path);
  if (decimals(value) > MAX_DECIMALS) fail('Only values up to 6 decimals are supported', path);
  return value;
}

/** Digits right of the decimal point, from the shortest text form (handles 1e-7 style). */
function decimals(value: number): number {
  const [mantissa = '', exponent = '0'] = String(value).toLowerCase().split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}

/** `["=", n]`, `["<"|"<=", n]`, `[">"|">=", n]` or `[">"|">=", n, "<"|"<=", m]` with n < m. */
function compileNumeric(operand: unknown, path: string): Matcher {
  if (!Array.isArray(operand)) return fail('Value of numeric must be an array.', path);
  const [operator, first, upperOperator, second] = operand as unknown[];
  if (typeof operator !== 'string')
    return fail(`Invalid member in numeric match: ${JSON.stringify(operator ?? ']')}`, path);
  const single = (): number => {
    const value = checkNumber(first, `Value of ${operator} must be numeric`, path);
    if (operand.length > 2) fail('Too many elements in numeric expression', path);
    return value;
  };
  switch (operator) {
    case '=': {
      const value = single();
      return numericTest({ value, inclusive: true }, { value, inclusive: true });
    }
    case '<':
    case '<=':
      return numericTest(undefined, { value: single(), inclusive: operator === '<=' });
    case '>':
    case '>=': {
      const lower = {
        value: checkNumber(first, `Value of ${operator} must be numeric`, path),
        inclusive: operator === '>=',
      };
      if (operand.length === 2) return numericTest(lower, undefined);
      if (typeof upperOperator !== 'string')
        return fail(`Bad value in numeric range: ${JSON.stringify(upperOperator)}`, path);
      if (upperOperator !== '<' && upperOperator !== '<=')
        fail(`Bad numeric range operator: ${upperOperator}`, path);
      const upper = {
        value: checkNumber(second, `Value of ${upperOperator} must be numeric`, path),
        inclusive: upperOperator === '<=',
      };
      if (operand.length > 4) fail('Too many terms in numeric range expression', path);
      if (lower.value >= upper.value) fail('Bottom must be less than top', path);
      return numericTest(lower, upper);
    }
    default:
      return fail(`Unrecognized numeric range operator: ${operator}`, path);
  }
}

/** Only JSON numbers inside the supported range can match (strings such as "5" never do). */
function numericTest(lower: Bound | undefined, upper: Bound | undefined): Matcher {
  return leafTest((v) => {
    if (typeof v !== 'number' || Math.abs(v) > NUMERIC_LIMIT) return false;
    const aboveLower = !lower || (lower.inclusive ? v >= lower.value : v > lower.value);
    return aboveLower && (!upper || (upper.inclusive ? v <= upper.value : v < upper.value));
  });
}

// ---------------------------------------------------------------------------------------------------------
// anything-but
// ---------------------------------------------------------------------------------------------------------

const ANYTHING_BUT_SHAPE = 'Value of anything-but must be an array or single string/number value.';

/** Matches any present leaf value (null included) that is not excluded; a missing field never matches. */
function compileAnythingBut(operand: unknown, path: string): Matcher {
  if (isPlainObject(operand)) return compileAnythingButOption(operand, path);
  if (typeof operand === 'string') return leafTest((v) => v !== operand);
  if (typeof operand === 'number') {
    const excluded = checkNumber(operand, ANYTHING_BUT_SHAPE, path);
    return leafTest((v) => v !== excluded);
  }
  if (!Array.isArray(operand)) return fail(ANYTHING_BUT_SHAPE, path);
  for (const item of operand) {
    if (typeof item !== 'string' && typeof item !== 'number') {
      fail('Inside anything but list, start|null|boolean is not supported.', path);
    }
  }
  const strings = operand.filter((item): item is string => typeof item === 'string');
  if (strings.length !== operand.length && strings.length !== 0) fail(MIXED_LIST, path);
  if (operand.length === 0) fail(MIXED_LIST, path);
  const excluded = new Set<unknown>(
    strings.length ? strings : operand.map((n) => checkNumber(n, MIXED_LIST, path)),
  );
  return leafTest((v) => !excluded.has(v));
}

const MIXED_LIST =
  'Inside anything but list, either all values are number or string, mixed type is not supported';

const OPTION_TYPE_REASON: Readonly<Record<string, string>> = {
  'equals-ignore-case':
    'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
  prefix: 'prefix/suffix match pattern must be a string',
  suffix: 'prefix/suffix match pattern must be a string',
  wildcard: 'wildcard match pattern must be a string',
};

/** `{ "anything-but": { "prefix" | "suffix" | "equals-ignore-case" | "wildcard": string | string[] } }`. */
function compileAnythingButOption(operand: Record<string, unknown>, path: string): Matcher {
  const [option, ...others] = Object.keys(operand);
  if (option === undefined) return fail('Anything-But expression name not found', path);
  const typeReason = OPTION_TYPE_REASON[option];
  if (typeReason === undefined) return fail(`Unsupported anything-but pattern: ${option}`, path);
  if (others.length > 0) fail('Only one key allowed in anything-but expression', path);
  const raw = operand[option];
  if (typeof raw !== 'string' && typeof raw !== 'number' && !Array.isArray(raw))
    return fail(ANYTHING_BUT_SHAPE, path);
  const values = (Array.isArray(raw) ? raw : [raw]).map((item: unknown) =>
    requireString(item, typeReason, path),
  );
  if ((option === 'prefix' || option === 'suffix') && values.includes(''))
    fail('Null prefix/suffix not allowed', path);
  const excluded = excludedTest(option, values, path);
  return leafTest((v) => !(isString(v) && excluded(v)));
}

function excludedTest(option: string, values: readonly string[], path: string): (value: string) => boolean {
  switch (option) {
    case 'prefix':
      return (v) => values.some((p) => v.startsWith(p));
    case 'suffix':
      return (v) => values.some((s) => v.endsWith(s));
    case 'equals-ignore-case': {
      const lowered = new Set(values.map((value) => value.toLowerCase()));
      return (v) => lowered.has(v.toLowerCase());
    }
    default: {
      const regexes = values.map((value) => wildcardRegex(value, path));
      return (v) => regexes.some((regex) => regex.test(v));
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// wildcard
// ---------------------------------------------------------------------------------------------------------

/**
 * `*` matches any run of characters. `\*` is a literal asterisk and `\\` a literal backslash; any other
 * escape, and two consecutive wildcards, are rejected (positions are character offsets).
 */
function wildcardRegex(pattern: string, path: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern.charAt(i);
    if (char === '*') {
      if (pattern.charAt(i + 1) === '*') fail(`Consecutive wildcard characters at pos ${i}`, path);
      source += '.*';
    } else if (char === '\\') {
      const next = pattern.charAt(i + 1);
      if (next !== '*' && next !== '\\') fail(`Invalid escape character at pos ${i}`, path);
      source += `\\${next}`;
      i++;
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 's');
}

// ---------------------------------------------------------------------------------------------------------
// cidr (IPv4 and IPv6)
// ---------------------------------------------------------------------------------------------------------

type Address = { readonly bits: 32 | 128; readonly value: bigint };

function compileCidr(cidr: string, path: string): Matcher {
  const parts = cidr.split('/');
  if (parts.length !== 2) return fail("Malformed CIDR, one '/' required", path);
  const [address = '', mask = ''] = parts;
  if (!/^-?\d+$/.test(mask)) fail('Malformed CIDR, mask bits must be an integer', path);
  const maskBits = Number(mask);
  if (maskBits < 0) fail('Malformed CIDR, mask bits must not be negative', path);
  const base = parseAddress(address) ?? fail(`Nonstandard IP address: ${address}`, path);
  if (maskBits > base.bits)
    fail(`IPv${base.bits === 32 ? 4 : 6} mask bits must be between 0 and ${base.bits}`, path);
  const hostBits = BigInt(base.bits - maskBits);
  const low = (base.value >> hostBits) << hostBits;
  const high = low | ((1n << hostBits) - 1n);
  return leafTest((v) => {
    const candidate = isString(v) ? parseAddress(v) : undefined;
    return candidate?.bits === base.bits && candidate.value >= low && candidate.value <= high;
  });
}

function parseAddress(text: string): Address | undefined {
  return text.includes(':') ? parseIPv6(text) : parseIPv4(text);
}

function parseIPv4(text: string): Address | undefined {
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text)?.slice(1).map(Number);
  if (!octets || octets.some((octet) => octet > 255)) return undefined;
  return { bits: 32, value: octets.reduce((sum, octet) => (sum << 8n) | BigInt(octet), 0n) };
}

function parseIPv6(text: string): Address | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): string[] => (half ? half.split(':') : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (all.some((group) => !/^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  return {
    bits: 128,
    value: all.reduce((sum, group) => (sum << 16n) | BigInt(Number.parseInt(group, 16)), 0n),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------------------

/** A leaf value of the event, with the array elements (array id, index) it sits in. */
type Leaf = { readonly value: Scalar; readonly trail: ReadonlyArray<readonly [number, number]> };

/** Reads the event as leaves keyed by dot-joined path; objects are not leaves and empty arrays have none. */
export function flattenEvent(event: Readonly<Record<string, unknown>>): FlatEvent {
  const leaves = new Map<string, Leaf[]>();
  let nextArrayId = 0;
  const visit = (value: unknown, path: string, trail: Leaf['trail']): void => {
    if (value === undefined) return;
    if (Array.isArray(value)) {
      const id = nextArrayId++;
      value.forEach((item, index) => {
        visit(item, path, [...trail, [id, index]]);
      });
    } else if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) visit(item, join(path, key), trail);
    } else if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
      const list = leaves.get(path) ?? [];
      list.push({ value: value as Scalar, trail });
      leaves.set(path, list);
    }
  };
  visit(event, '', []);
  return leaves;
}

/** Each field needs a matching leaf (or, for `exists: false`, no leaf); chosen leaves must share array elements. */
function branchMatches(branch: Branch, leaves: FlatEvent): boolean {
  const required: Leaf[][] = [];
  for (const [path, matchers] of branch) {
    const present = leaves.get(path) ?? [];
    if (present.length === 0) {
      if (matchers.some((m) => m.kind === 'exists' && !m.present)) continue;
      return false;
    }
    const candidates = present.filter((leaf) =>
      matchers.some((m) => (m.kind === 'test' ? m.test(leaf.value) : m.present)),
    );
    if (candidates.length === 0) return false;
    required.push(candidates);
  }
  required.sort((a, b) => a.length - b.length);
  return chooseConsistent(required, 0, new Map());
}

/** Backtracking: pick one candidate per field so that no array is entered at two different indexes. */
function chooseConsistent(fields: readonly Leaf[][], at: number, chosen: Map<number, number>): boolean {
  const candidates = fields[at];
  if (candidates === undefined) return true;
  for (const leaf of candidates) {
    if (leaf.trail.some(([id, index]) => (chosen.get(id) ?? index) !== index)) continue;
    const added = leaf.trail.filter(([id]) => !chosen.has(id));
    for (const [id, index] of added) chosen.set(id, index);
    if (chooseConsistent(fields, at + 1, chosen)) return true;
    for (const [id] of added) chosen.delete(id);
  }
  return false;
}

/**
 * Breaking-change detection between two JSON Schemas of the same event type: may a consumer
 * written for `previous` still read what `next` allows? It covers structure (required fields,
 * types, formats, enums, unknown fields), through nested objects, array items and record values;
 * value constraints (lengths, ranges, patterns) are not compared.
 */

/** The parts of a JSON Schema (draft 2020-12, as `z.toJSONSchema` writes it) that the check reads. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly additionalProperties?: boolean | JsonSchema;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly format?: string;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly [keyword: string]: unknown;
}

/** One version of an event type's `data` schema. */
export interface VersionedSchema {
  readonly type: string;
  readonly version: string;
  readonly schema: JsonSchema;
}

const ANY = 'any';

function branches(schema: JsonSchema): readonly JsonSchema[] {
  return schema.anyOf ?? schema.oneOf ?? [schema];
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The JSON types a schema allows; `any` when it does not say. */
function typesOf(schema: JsonSchema): Set<string> {
  const types = new Set<string>();
  for (const branch of branches(schema)) {
    if (branch !== schema && (branch.anyOf || branch.oneOf)) {
      for (const type of typesOf(branch)) types.add(type);
    } else if (typeof branch.type === 'string') types.add(branch.type);
    else if (Array.isArray(branch.type)) for (const type of branch.type) types.add(type);
    else if (branch.properties) types.add('object');
    else if (branch.const !== undefined) types.add(jsonTypeOf(branch.const));
    else types.add(ANY);
  }
  return types;
}

function accepts(previous: Set<string>, type: string): boolean {
  return previous.has(ANY) || previous.has(type) || (type === 'integer' && previous.has('number'));
}

/** The values a schema is limited to (`enum`, or `const` as a one-value enum), if it is. */
function valuesOf(schema: JsonSchema): readonly unknown[] | undefined {
  if (schema.enum) return schema.enum;
  if (schema.const !== undefined) return [schema.const];
  return undefined;
}

/** The one branch of a schema of the given type, looking through `anyOf` (a nullable object). */
function branchOfType(schema: JsonSchema, type: 'object' | 'array'): JsonSchema | undefined {
  const matching = branches(schema).filter((branch) => typesOf(branch).has(type));
  return matching.length === 1 ? matching[0] : undefined;
}

function join(path: string, segment: string): string {
  return path === '' ? segment : `${path}.${segment}`;
}

function compareType(path: string, previous: JsonSchema, next: JsonSchema, problems: string[]): boolean {
  const before = typesOf(previous);
  const after = typesOf(next);
  if ([...after].every((type) => type !== ANY && accepts(before, type))) return true;
  const show = (types: Set<string>) => [...types].join(' | ');
  problems.push(`${path || '(root)'}: type changed from ${show(before)} to ${show(after)}`);
  return false;
}

function compareValues(path: string, previous: JsonSchema, next: JsonSchema, problems: string[]): void {
  const before = valuesOf(previous);
  if (before === undefined) return;
  const after = valuesOf(next);
  const where = path || '(root)';
  if (after === undefined) {
    problems.push(`${where}: enum widened, any ${[...typesOf(next)].join(' | ')} now allowed`);
    return;
  }
  const show = (value: unknown) => JSON.stringify(value);
  // Narrowed: an older event with the removed value could not become the newer version.
  for (const value of before.filter((value) => !after.includes(value))) {
    problems.push(`${where}: enum narrowed, ${show(value)} removed`);
  }
  // Widened: a consumer still on the older minor rejects the new value.
  for (const value of after.filter((value) => !before.includes(value))) {
    problems.push(`${where}: enum widened, ${show(value)} added`);
  }
}

function compareObjects(path: string, previous: JsonSchema, next: JsonSchema, problems: string[]): void {
  const before = previous.properties ?? {};
  const after = next.properties ?? {};
  const stillRequired = new Set(next.required ?? []);
  for (const name of previous.required ?? []) {
    if (!Object.hasOwn(after, name)) problems.push(`${join(path, name)}: required field removed`);
    else if (!stillRequired.has(name)) problems.push(`${join(path, name)}: required field made optional`);
  }
  for (const [name, schema] of Object.entries(after)) {
    const old = before[name];
    if (old) compareNode(join(path, name), old, schema, problems);
    else if (previous.additionalProperties === false) {
      problems.push(`${join(path, name)}: new field, but the older minor rejects unknown fields`);
    }
  }
  const oldValues = previous.additionalProperties;
  const newValues = next.additionalProperties;
  if (typeof oldValues === 'object' && typeof newValues === 'object') {
    compareNode(join(path, '*'), oldValues, newValues, problems);
  }
}

function compareNode(path: string, previous: JsonSchema, next: JsonSchema, problems: string[]): void {
  if (!compareType(path, previous, next, problems)) return;
  if (previous.format !== undefined && next.format !== previous.format) {
    problems.push(`${path || '(root)'}: format changed from ${previous.format} to ${next.format ?? 'none'}`);
  }
  compareValues(path, previous, next, problems);
  const objectBefore = branchOfType(previous, 'object');
  const objectAfter = branchOfType(next, 'object');
  if (objectBefore && objectAfter) compareObjects(path, objectBefore, objectAfter, problems);
  const arrayBefore = branchOfType(previous, 'array');
  const arrayAfter = branchOfType(next, 'array');
  if (arrayBefore?.items && arrayAfter?.items) {
    compareNode(`${path || '(root)'}[]`, arrayBefore.items, arrayAfter.items, problems);
  }
}

/** What in `next` breaks a consumer written for `previous`, one line per problem, by field path. */
export function breakingChanges(previous: JsonSchema, next: JsonSchema): string[] {
  const problems: string[] = [];
  compareNode('', previous, next, problems);
  return problems;
}

function splitVersion(version: string): [number, number] {
  const [major = Number.NaN, minor = Number.NaN] = version.split('.').map(Number);
  return [major, minor];
}

/**
 * Compares every minor version with the previous minor of the same major (majors may break),
 * and names the type, both versions and the field for every breaking change.
 */
export function checkMinorCompatibility(schemas: readonly VersionedSchema[]): string[] {
  const sorted = [...schemas].sort((a, b) => {
    const [aMajor, aMinor] = splitVersion(a.version);
    const [bMajor, bMinor] = splitVersion(b.version);
    return a.type.localeCompare(b.type) || aMajor - bMajor || aMinor - bMinor;
  });
  const problems: string[] = [];
  sorted.forEach((current, index) => {
    const previous = sorted[index - 1];
    if (!previous || previous.type !== current.type) return;
    if (splitVersion(previous.version)[0] !== splitVersion(current.version)[0]) return;
    for (const problem of breakingChanges(previous.schema, current.schema)) {
      problems.push(`${current.type} ${current.version} breaks consumers of ${previous.version}: ${problem}`);
    }
  });
  return problems;
}

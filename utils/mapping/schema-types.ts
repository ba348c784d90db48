import type { FormulaType } from './formula';
import type { PathSegment } from './paths';

/** A JSON Schema document as read from `specs/schemas/<type>/<version>.json`. */
export type JsonSchema = { readonly [key: string]: unknown };

const ANY: FormulaType = { kind: 'any' };

const isSchema = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function deref(schema: JsonSchema, document: JsonSchema): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return schema;
  let target: unknown = document;
  for (const key of ref.slice(2).split('/')) target = isSchema(target) ? target[key] : undefined;
  return isSchema(target) ? deref(target, document) : schema;
}

/** The alternatives of a schema (anyOf/oneOf), or the schema itself; null-only branches dropped. */
function branches(schema: JsonSchema, document: JsonSchema): JsonSchema[] {
  const resolved = deref(schema, document);
  const alternatives = resolved.anyOf ?? resolved.oneOf;
  if (!Array.isArray(alternatives)) return [resolved];
  return alternatives
    .filter(isSchema)
    .flatMap((branch) => branches(branch, document))
    .filter((branch) => branch.type !== 'null');
}

function typeNames(schema: JsonSchema): string[] {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type))
    return schema.type.filter((name): name is string => typeof name === 'string');
  const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : [];
  return [...new Set(values.map((value) => (value === null ? 'null' : typeof value)))];
}

function formulaTypeOf(schema: JsonSchema, document: JsonSchema): FormulaType {
  const kinds = new Set<FormulaType>();
  for (const branch of branches(schema, document)) {
    const names = typeNames(branch).filter((name) => name !== 'null');
    if (names.length !== 1) return ANY;
    const [name] = names;
    if (name === 'array') {
      kinds.add({
        kind: 'array',
        items: isSchema(branch.items) ? formulaTypeOf(branch.items, document) : ANY,
      });
    } else if (name === 'integer' || name === 'number') kinds.add({ kind: 'number' });
    else if (name === 'string' || name === 'boolean' || name === 'object') kinds.add({ kind: name });
    else return ANY;
  }
  const distinct = new Set([...kinds].map((type) => type.kind));
  const [only] = kinds;
  return distinct.size === 1 && only ? only : ANY;
}

/** The schema a path leads to, or undefined where the schema has no such field. */
function schemaAt(schema: JsonSchema, path: readonly PathSegment[], document: JsonSchema): JsonSchema[] {
  let current = [schema];
  for (const segment of path) {
    const next: JsonSchema[] = [];
    for (const candidate of current.flatMap((each) => branches(each, document))) {
      if (typeof segment === 'string' && segment !== '*') {
        const properties = candidate.properties;
        const property =
          isSchema(properties) && Object.hasOwn(properties, segment) ? properties[segment] : undefined;
        if (isSchema(property)) next.push(property);
        else if (isSchema(candidate.additionalProperties)) next.push(candidate.additionalProperties);
      } else if (isSchema(candidate.items)) {
        next.push(candidate.items);
      }
    }
    if (next.length === 0) return [];
    current = next;
  }
  return current;
}

/**
 * The type of an input path under the spec's `input` schemas: the first segment names the input
 * field, the rest walk its schema. Undefined for a field the schemas do not have.
 */
export function inputFieldTypes(
  schemas: Readonly<Record<string, JsonSchema>>,
): (path: readonly PathSegment[]) => FormulaType | undefined {
  return (path) => {
    const [root, ...rest] = path;
    if (typeof root !== 'string' || !Object.hasOwn(schemas, root)) return undefined;
    const document = schemas[root] as JsonSchema;
    const found = schemaAt(document, rest, document);
    if (found.length === 0) return undefined;
    const types = found.map((schema) => formulaTypeOf(schema, document));
    return types.every((type) => type.kind === types[0]?.kind) ? types[0] : ANY;
  };
}

/**
 * Request body validation as API Gateway's "Validate body" request validator does it, with the
 * model's JSON Schema draft 4. API Gateway validates with a Java JSON Schema validator
 * (java-json-tools/json-schema-validator); ajv does the validating here and this module words and
 * orders the errors as that validator reports them:
 *
 * - messages come from its message bundle (`err.common.minimum.tooSmall`, …);
 * - at each value the keywords run in alphabetical order, object members in name order, array
 *   elements in index order;
 * - once any error is reported it does not descend into the children of further values (no deep
 *   check), so a deeper error after a shallower one goes unreported;
 * - `required` lists the missing names in the schema's order, `additionalProperties` sorts them.
 *
 * The string is the report's message list as Java prints it: `[first, second]`.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';

export type BodyValidation =
  | { readonly ok: true }
  | { readonly ok: false; readonly validationErrorString: string };

/** What API Gateway's parser reports when a body is not JSON (its mapping-template wording). */
export const UNPARSABLE_BODY = 'Could not parse request body into json';

/** Formats the Java validator checks in draft 4; it ignores every other one. */
const CHECKED_FORMATS = ['date-time', 'email', 'hostname', 'ipv4', 'ipv6', 'uri', 'regex'] as const;

const FORMAT_NOUN: Readonly<Record<string, string>> = {
  email: 'a valid email address',
  hostname: 'a valid hostname',
  ipv4: 'a valid IPv4 address',
  ipv6: 'a valid IPv6 address',
  uri: 'a valid URI',
  regex: 'a valid ECMA 262 regular expression',
};

export class RequestBodyValidator {
  private readonly ajv: Ajv;
  private readonly compiled = new WeakMap<object, ValidateFunction>();

  constructor() {
    this.ajv = new Ajv({
      allErrors: true,
      verbose: true,
      strict: false,
      logger: false,
      // The Java validator matches patterns with Rhino, an ES5 engine: no `u` flag.
      unicodeRegExp: false,
      addUsedSchema: false,
    });
    addFormats(this.ajv, { formats: [...CHECKED_FORMATS] });
  }

  /** `schema` is a model's JSON Schema (draft 4). A missing or blank body is validated as `{}`. */
  validate(schema: object, body: string | null): BodyValidation {
    let instance: unknown;
    try {
      instance = body === null || body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      return { ok: false, validationErrorString: UNPARSABLE_BODY };
    }
    const validateFn = this.compile(schema);
    if (validateFn(instance)) return { ok: true };
    const messages = reportInJavaOrder(instance, groupByPointer(validateFn.errors ?? []));
    return { ok: false, validationErrorString: `[${messages.join(', ')}]` };
  }

  private compile(schema: object): ValidateFunction {
    let validateFn = this.compiled.get(schema);
    if (!validateFn) {
      validateFn = this.ajv.compile(schema);
      this.compiled.set(schema, validateFn);
    }
    return validateFn;
  }
}

/** Errors of one value, by keyword. */
type NodeErrors = Map<string, ErrorObject[]>;

const NAMED_CHILDREN = new Set(['properties', 'patternProperties', 'definitions', 'dependencies']);

/**
 * True when the error comes from inside an anyOf, oneOf or not subschema: the Java validator
 * reports only the combinator's own failure for those, which ajv reports too.
 */
function insideCombinator(schemaPath: string): boolean {
  const segments = schemaPath.replace(/^#\/?/, '').split('/');
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index];
    if (segment !== undefined && NAMED_CHILDREN.has(segment)) {
      index++;
      continue;
    }
    if ((segment === 'anyOf' || segment === 'oneOf' || segment === 'not') && index < segments.length - 1)
      return true;
  }
  return false;
}

function groupByPointer(errors: readonly ErrorObject[]): ReadonlyMap<string, NodeErrors> {
  const byPointer = new Map<string, NodeErrors>();
  for (const error of errors) {
    if (insideCombinator(error.schemaPath)) continue;
    const node = byPointer.get(error.instancePath) ?? new Map<string, ErrorObject[]>();
    byPointer.set(error.instancePath, node);
    node.set(error.keyword, [...(node.get(error.keyword) ?? []), error]);
  }
  return byPointer;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Walks the instance as the Java validator does and collects its messages. */
function reportInJavaOrder(instance: unknown, byPointer: ReadonlyMap<string, NodeErrors>): string[] {
  const messages: string[] = [];
  const visit = (value: unknown, pointer: string): void => {
    const node = byPointer.get(pointer);
    if (node) {
      // Java's TreeMap of keyword names: plain UTF-16 order, as JavaScript sorts strings.
      for (const keyword of [...node.keys()].sort())
        messages.push(...describe(keyword, node.get(keyword) ?? []));
    }
    if (messages.length > 0) return;
    if (Array.isArray(value)) {
      value.forEach((element, index) => {
        visit(element, `${pointer}/${index}`);
      });
    } else if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      for (const name of Object.keys(record).sort()) visit(record[name], `${pointer}/${escapePointer(name)}`);
    }
  };
  visit(instance, '');
  return messages;
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

/** The JSON Schema type name the Java validator gives a value. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function param(error: ErrorObject, name: string): unknown {
  return (error.params as Record<string, unknown>)[name];
}

/** The Java validator's messages for one keyword's errors on one value. */
function describe(keyword: string, errors: readonly ErrorObject[]): string[] {
  const [first] = errors;
  if (!first) return [];
  const data = first.data;
  switch (keyword) {
    case 'required':
      return [
        `object has missing required properties (${json(errors.map((error) => param(error, 'missingProperty')))})`,
      ];
    case 'additionalProperties': {
      const unwanted = errors.map((error) => String(param(error, 'additionalProperty'))).sort();
      return [`object instance has properties which are not allowed by the schema: ${json(unwanted)}`];
    }
    case 'type': {
      const allowed = [first.schema].flat().map(String).sort();
      return [
        `instance type (${typeName(data)}) does not match any allowed primitive type (allowed: ${json(allowed)})`,
      ];
    }
    default:
      return errors.map((error) => describeOne(error));
  }
}

function describeOne(error: ErrorObject): string {
  const data = error.data;
  const schema = error.schema;
  switch (error.keyword) {
    case 'minimum':
      return param(error, 'comparison') === '>'
        ? `numeric instance is not strictly greater than the required minimum ${schema}`
        : `numeric instance is lower than the required minimum (minimum: ${schema}, found: ${data})`;
    case 'maximum':
      return param(error, 'comparison') === '<'
        ? `numeric instance is not strictly lower than the required maximum ${schema}`
        : `numeric instance is greater than the required maximum (maximum: ${schema}, found: ${data})`;
    case 'minLength':
      return `string "${data}" is too short (length: ${codePoints(data)}, required minimum: ${schema})`;
    case 'maxLength':
      return `string "${data}" is too long (length: ${codePoints(data)}, maximum allowed: ${schema})`;
    case 'pattern':
      return `ECMA 262 regex "${schema}" does not match input string "${data}"`;
    case 'format':
      return describeFormat(String(schema), data);
    case 'enum':
      return `instance value (${json(data)}) not found in enum (possible values: ${json(schema)})`;
    case 'minItems':
      return `array is too short: must have at least ${schema} elements but instance has ${lengthOf(data)} elements`;
    case 'maxItems':
      return `array is too long: must have at most ${schema} elements but instance has ${lengthOf(data)} elements`;
    case 'uniqueItems':
      return 'array must not contain duplicate elements';
    case 'minProperties':
      return `object has too few properties (found ${sizeOf(data)} but schema requires at least ${schema})`;
    case 'maxProperties':
      return `object has too many properties (found ${sizeOf(data)} but schema requires at most ${schema})`;
    case 'multipleOf':
      return `remainder of division is not zero (${data} / ${schema})`;
    case 'anyOf':
      return `instance failed to match at least one required schema among ${lengthOf(schema)}`;
    case 'oneOf': {
      const passing = param(error, 'passingSchemas');
      return `instance failed to match exactly one schema (matched ${lengthOf(passing)} out of ${lengthOf(schema)})`;
    }
    case 'not':
      return 'instance matched a schema which it should not have';
    case 'additionalItems':
      return `schema only allows ${param(error, 'limit')} elements in array but instance has ${lengthOf(data)} elements`;
    case 'dependencies':
      return `property "${param(error, 'property')}" of object has missing property dependencies (schema requires ${json(
        String(param(error, 'deps')).split(', '),
      )}; missing: ${json([param(error, 'missingProperty')])})`;
    default:
      // Keywords the Java validator words differently are rare in models; ajv's words beat none.
      return error.message ?? error.keyword;
  }
}

function describeFormat(format: string, data: unknown): string {
  if (format === 'date-time') {
    return `string "${data}" is invalid against requested date format(s) [yyyy-MM-dd'T'HH:mm:ssZ, yyyy-MM-dd'T'HH:mm:ss.[0-9]{1,12}Z]`;
  }
  return `string "${data}" is not ${FORMAT_NOUN[format] ?? `a valid ${format}`}`;
}

function codePoints(value: unknown): number {
  return [...String(value)].length;
}

function lengthOf(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

function sizeOf(value: unknown): number {
  return value !== null && typeof value === 'object' ? Object.keys(value).length : 0;
}

import {
  breakingChanges,
  checkMinorCompatibility,
  type JsonSchema,
} from '../../../utils/schemas/compatibility';

const str: JsonSchema = { type: 'string' };
const int: JsonSchema = { type: 'integer' };

/** An object schema; every property is required unless `required` says otherwise. */
function obj(
  properties: Record<string, JsonSchema>,
  required: readonly string[] = Object.keys(properties),
): JsonSchema {
  return { type: 'object', properties, required };
}

function arrayOf(items: JsonSchema): JsonSchema {
  return { type: 'array', items };
}

const customer = obj({ id: str, email: { type: 'string', format: 'email' } });
const line = obj({ sku: str, quantity: int });
const order = obj(
  {
    order_id: str,
    note: str,
    status: { type: 'string', enum: ['open', 'paid'] },
    customer,
    items: arrayOf(line),
  },
  ['order_id', 'status', 'customer', 'items'],
);

describe('breakingChanges', () => {
  it('finds nothing between a schema and itself', () => {
    expect(breakingChanges(order, structuredClone(order))).toEqual([]);
  });

  it('reports a removed required field', () => {
    expect(breakingChanges(obj({ a: str, b: str }), obj({ a: str }))).toEqual(['b: required field removed']);
  });

  it('reports a required field made optional', () => {
    expect(breakingChanges(obj({ a: str, b: str }), obj({ a: str, b: str }, ['a']))).toEqual([
      'b: required field made optional',
    ]);
  });

  it('reports a retyped field, naming both types', () => {
    expect(breakingChanges(obj({ a: str }), obj({ a: int }))).toEqual([
      'a: type changed from string to integer',
    ]);
  });

  it('reports a retyped optional field: old consumers still read it when it is there', () => {
    expect(breakingChanges(obj({ a: str }, []), obj({ a: int }, []))).toEqual([
      'a: type changed from string to integer',
    ]);
  });

  it('reports a field that may now be null as retyped', () => {
    const nullable: JsonSchema = { anyOf: [str, { type: 'null' }] };
    expect(breakingChanges(obj({ a: str }), obj({ a: nullable }))).toEqual([
      'a: type changed from string to string | null',
    ]);
  });

  it('accepts integer where number was allowed, not the other way round', () => {
    const number: JsonSchema = { type: 'number' };
    expect(breakingChanges(obj({ a: number }), obj({ a: int }))).toEqual([]);
    expect(breakingChanges(obj({ a: int }), obj({ a: number }))).toEqual([
      'a: type changed from integer to number',
    ]);
  });

  it('reports a field that is no longer constrained at all', () => {
    expect(breakingChanges(obj({ a: str }), obj({ a: {} }))).toEqual(['a: type changed from string to any']);
  });

  it('reports a changed format', () => {
    expect(breakingChanges(obj({ customer }), obj({ customer: obj({ id: str, email: str }) }))).toEqual([
      'customer.email: format changed from email to none',
    ]);
  });

  it('looks through nested objects', () => {
    const next = obj({ customer: obj({ id: str, email: { type: 'string', format: 'email' } }, ['id']) });
    expect(breakingChanges(obj({ customer }), next)).toEqual([
      'customer.email: required field made optional',
    ]);
  });

  it('looks through array items', () => {
    const next = obj({ items: arrayOf(obj({ quantity: str })) });
    expect(breakingChanges(obj({ items: arrayOf(line) }), next)).toEqual([
      'items[].sku: required field removed',
      'items[].quantity: type changed from integer to string',
    ]);
  });

  it('looks through an object that may be null', () => {
    const before = obj({ customer: { anyOf: [customer, { type: 'null' }] } });
    const after = obj({ customer: { anyOf: [obj({ id: str }), { type: 'null' }] } });
    expect(breakingChanges(before, after)).toEqual(['customer.email: required field removed']);
  });

  it('looks through the values of a record', () => {
    const before = obj({ totals: { type: 'object', additionalProperties: int } });
    const after = obj({ totals: { type: 'object', additionalProperties: str } });
    expect(breakingChanges(before, after)).toEqual(['totals.*: type changed from integer to string']);
  });

  it('reports a narrowed enum: older events with the removed value could no longer be upcast', () => {
    const before = obj({ status: { type: 'string', enum: ['open', 'paid'] } });
    const after = obj({ status: { type: 'string', enum: ['open'] } });
    expect(breakingChanges(before, after)).toEqual(['status: enum narrowed, "paid" removed']);
  });

  it('reports a widened enum: a consumer of the older minor rejects the new value', () => {
    const before = obj({ status: { type: 'string', enum: ['open', 'paid'] } });
    const after = obj({ status: { type: 'string', enum: ['open', 'paid', 'refunded'] } });
    expect(breakingChanges(before, after)).toEqual(['status: enum widened, "refunded" added']);
  });

  it('reports an enum that was dropped, since any string is now allowed', () => {
    const before = obj({ status: { type: 'string', enum: ['open'] } });
    expect(breakingChanges(before, obj({ status: str }))).toEqual([
      'status: enum widened, any string now allowed',
    ]);
  });

  it('treats a const as a one-value enum', () => {
    const before = obj({ k: { type: 'string', const: 'a' } });
    const after = obj({ k: { type: 'string', const: 'b' } });
    expect(breakingChanges(before, after)).toEqual([
      'k: enum narrowed, "a" removed',
      'k: enum widened, "b" added',
    ]);
  });

  it('treats an added optional field as compatible, also nested', () => {
    const next = obj({ ...order.properties, channel: str }, order.required);
    const withLocale = obj({ ...next.properties, customer: obj({ id: str, locale: str }, ['id']) });
    expect(breakingChanges(order, next)).toEqual([]);
    expect(breakingChanges(obj({ customer: obj({ id: str }) }), withLocale)).toEqual([]);
  });

  it('treats an added required field as compatible for consumers of the older minor', () => {
    const next = obj({ ...order.properties, channel: { type: 'string', enum: ['api'] } }, [
      ...(order.required ?? []),
      'channel',
    ]);
    expect(breakingChanges(order, next)).toEqual([]);
  });

  it('treats a removed optional field as compatible: old consumers never relied on it', () => {
    expect(breakingChanges(obj({ a: str, note: str }, ['a']), obj({ a: str }))).toEqual([]);
  });

  it('reports a new field when the older minor rejected unknown fields', () => {
    const strict: JsonSchema = { ...obj({ a: str }), additionalProperties: false };
    const next: JsonSchema = { ...obj({ a: str, b: str }, ['a']), additionalProperties: false };
    expect(breakingChanges(strict, next)).toEqual([
      'b: new field, but the older minor rejects unknown fields',
    ]);
  });

  it('reports a root that is no longer an object', () => {
    expect(breakingChanges(order, arrayOf(str))).toEqual(['(root): type changed from object to array']);
  });
});

describe('checkMinorCompatibility', () => {
  const v10 = obj({ a: str, b: str });
  const v11 = obj({ a: str, b: str, c: str });
  const v12 = obj({ a: str, b: str, c: str }, ['a', 'c']);
  const v20 = obj({ z: int });

  it('compares each minor with the previous minor of the same major, never across majors', () => {
    const problems = checkMinorCompatibility([
      { type: 'order.created', version: '2.0', schema: v20 },
      { type: 'order.created', version: '1.1', schema: v11 },
      { type: 'order.created', version: '1.0', schema: v10 },
    ]);
    expect(problems).toEqual([]);
  });

  it('names the type, both versions and the field', () => {
    const problems = checkMinorCompatibility([
      { type: 'order.created', version: '1.0', schema: v10 },
      { type: 'order.created', version: '1.1', schema: v11 },
      { type: 'order.created', version: '1.2', schema: v12 },
      { type: 'customer.updated', version: '1.0', schema: v12 },
    ]);
    expect(problems).toEqual(['order.created 1.2 breaks consumers of 1.1: b: required field made optional']);
  });

  it('orders minors numerically (1.10 comes after 1.9)', () => {
    const problems = checkMinorCompatibility([
      { type: 'a.b', version: '1.10', schema: v12 },
      { type: 'a.b', version: '1.9', schema: v11 },
    ]);
    expect(problems).toEqual(['a.b 1.10 breaks consumers of 1.9: b: required field made optional']);
  });
});

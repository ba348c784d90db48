import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import { z } from 'zod';
import { RequestBodyValidator } from '../../../../local/apigateway/request-validation';
import { OrderRequestSchema } from '../../../../utils/orders/order-request';

const schema = z.toJSONSchema(OrderRequestSchema, { target: 'draft-4', io: 'input' });
const sampleText = readFileSync(join(__dirname, '../../../../events/api/post-order.json'), 'utf8');
const sample = JSON.parse(sampleText) as {
  customer: Record<string, unknown>;
  currency: string;
  items: Record<string, unknown>[];
};
const emailPattern = (
  schema as unknown as { properties: { customer: { properties: { email: { pattern: string } } } } }
).properties.customer.properties.email.pattern;

/** The sample body with `change` applied to a deep copy. */
function variant(change: (body: Record<string, unknown> & typeof sample) => void): string {
  const body = structuredClone(sample) as Record<string, unknown> & typeof sample;
  change(body);
  return JSON.stringify(body);
}

function firstItem(body: typeof sample): Record<string, unknown> {
  const item = body.items[0];
  if (!item) throw new Error('the sample has no items');
  return item;
}

describe('RequestBodyValidator with the order request model', () => {
  const validator = new RequestBodyValidator();

  it('accepts the sample body', () => {
    expect(validator.validate(schema, sampleText)).toEqual({ ok: true });
  });

  it.each([
    [
      'missing required properties, in the schema’s order',
      variant((body) => {
        delete (body as Partial<typeof body>).items;
        delete (body as Partial<typeof body>).customer;
      }),
      '[object has missing required properties (["customer","items"])]',
    ],
    [
      'a misspelt property, reported before the missing one',
      variant((body) => {
        body.curency = body.currency;
        delete (body as Partial<typeof body>).currency;
      }),
      '[object instance has properties which are not allowed by the schema: ["curency"], object has missing required properties (["currency"])]',
    ],
    [
      'a string where an integer belongs',
      variant((body) => {
        firstItem(body).quantity = '2';
      }),
      '[instance type (string) does not match any allowed primitive type (allowed: ["integer"])]',
    ],
    [
      'a fraction where an integer belongs',
      variant((body) => {
        firstItem(body).unit_amount = 24.5;
      }),
      '[instance type (number) does not match any allowed primitive type (allowed: ["integer"])]',
    ],
    [
      'a number under the minimum',
      variant((body) => {
        firstItem(body).quantity = 0;
      }),
      '[numeric instance is lower than the required minimum (minimum: 1, found: 0)]',
    ],
    [
      'a number over the maximum',
      variant((body) => {
        firstItem(body).quantity = 1001;
      }),
      '[numeric instance is greater than the required maximum (maximum: 1000, found: 1001)]',
    ],
    [
      'a string that does not match the pattern',
      variant((body) => {
        body.currency = 'euro';
      }),
      '[ECMA 262 regex "^[A-Z]{3}$" does not match input string "euro"]',
    ],
    [
      'an empty string',
      variant((body) => {
        body.customer.id = '';
      }),
      '[string "" is too short (length: 0, required minimum: 1)]',
    ],
    [
      'a string that is too long',
      variant((body) => {
        body.customer.id = 'x'.repeat(65);
      }),
      `[string "${'x'.repeat(65)}" is too long (length: 65, maximum allowed: 64)]`,
    ],
    [
      'an empty array',
      variant((body) => {
        body.items = [];
      }),
      '[array is too short: must have at least 1 elements but instance has 0 elements]',
    ],
    [
      'two failing keywords on one value, in keyword order',
      variant((body) => {
        firstItem(body).sku = '';
      }),
      '[string "" is too short (length: 0, required minimum: 1), ECMA 262 regex "^[A-Za-z0-9][A-Za-z0-9._-]*$" does not match input string ""]',
    ],
    [
      'an invalid email address',
      variant((body) => {
        body.customer.email = 'not-an-email';
      }),
      `[string "not-an-email" is not a valid email address, ECMA 262 regex "${emailPattern}" does not match input string "not-an-email"]`,
    ],
    [
      'errors in two sibling properties, in property name order',
      variant((body) => {
        body.items = [];
        body.currency = 'euro';
      }),
      '[ECMA 262 regex "^[A-Z]{3}$" does not match input string "euro", array is too short: must have at least 1 elements but instance has 0 elements]',
    ],
    [
      'an error deeper down once a shallower one was found (the Java validator stops descending)',
      variant((body) => {
        body.currency = 'euro';
        firstItem(body).quantity = 0;
      }),
      '[ECMA 262 regex "^[A-Z]{3}$" does not match input string "euro"]',
    ],
    [
      'a JSON array instead of an object',
      '[]',
      '[instance type (array) does not match any allowed primitive type (allowed: ["object"])]',
    ],
  ])('rejects %s', (_case, body, expected) => {
    expect(validator.validate(schema, body)).toEqual({ ok: false, validationErrorString: expected });
  });

  it.each([
    ['null', null],
    ['empty', ''],
    ['blank', ' \n'],
  ])('validates a %s body as an empty object', (_case, body) => {
    expect(validator.validate(schema, body)).toEqual({
      ok: false,
      validationErrorString: '[object has missing required properties (["customer","currency","items"])]',
    });
  });

  it('rejects a body that is not JSON', () => {
    expect(validator.validate(schema, '{"customer": ')).toEqual({
      ok: false,
      validationErrorString: 'Could not parse request body into json',
    });
  });
});

describe('RequestBodyValidator with other keywords', () => {
  const validator = new RequestBodyValidator();

  it.each([
    [
      { type: 'string', enum: ['EUR', 'USD'] },
      '"GBP"',
      '[instance value ("GBP") not found in enum (possible values: ["EUR","USD"])]',
    ],
    [
      { type: ['string', 'integer'] },
      'null',
      '[instance type (null) does not match any allowed primitive type (allowed: ["integer","string"])]',
    ],
    [
      { type: 'number', minimum: 0, exclusiveMinimum: true },
      '0',
      '[numeric instance is not strictly greater than the required minimum 0]',
    ],
    [
      { type: 'number', maximum: 10, exclusiveMaximum: true },
      '10',
      '[numeric instance is not strictly lower than the required maximum 10]',
    ],
    [
      { anyOf: [{ type: 'string' }, { type: 'integer' }] },
      'true',
      '[instance failed to match at least one required schema among 2]',
    ],
    [
      { oneOf: [{ type: 'integer' }, { type: 'number' }] },
      '1',
      '[instance failed to match exactly one schema (matched 2 out of 2)]',
    ],
    [{ not: { type: 'string' } }, '"x"', '[instance matched a schema which it should not have]'],
    [
      { type: 'array', maxItems: 1, uniqueItems: true },
      '[1,1]',
      '[array is too long: must have at most 1 elements but instance has 2 elements, array must not contain duplicate elements]',
    ],
    [
      { type: 'object', minProperties: 2 },
      '{"a":1}',
      '[object has too few properties (found 1 but schema requires at least 2)]',
    ],
    [{ type: 'number', multipleOf: 5 }, '7', '[remainder of division is not zero (7 / 5)]'],
    [
      { type: 'object', properties: { anyOf: { type: 'string' } } },
      '{"anyOf":1}',
      '[instance type (integer) does not match any allowed primitive type (allowed: ["string"])]',
    ],
  ])('%j with %s', (model, body, expected) => {
    expect(validator.validate(model, body)).toEqual({ ok: false, validationErrorString: expected });
  });

  it('ignores a format it does not know, as the Java validator does', () => {
    expect(validator.validate({ type: 'string', format: 'shoe-size' }, '"42"')).toEqual({ ok: true });
  });

  it('compiles each schema once', () => {
    const compile = jest.spyOn(Ajv.prototype, 'compile');
    const fresh = { type: 'object' };
    validator.validate(fresh, '{}');
    validator.validate(fresh, '{}');
    validator.validate(fresh, '[]');
    expect(compile).toHaveBeenCalledTimes(1);
    compile.mockRestore();
  });
});

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  type CustomerInput,
  handwritten,
  type MappingName,
  type OrderInput,
} from '../../../bench/mapping/handwritten';
import { customerInputs, orderInputs } from '../../../bench/mapping/inputs';
import { MAPPING_NAMES, specOf, twins } from '../../../bench/mapping/twins';
import { type CompiledMapping, compileMapping } from '../../../utils/mapping/compile';

// The benchmark compares the compiled specs with their JSONata twins and hand-written versions;
// the comparison only means something if all three give the same output for the same input.

const compiled = Object.fromEntries(
  MAPPING_NAMES.map((name) => [name, compileMapping(specOf(name))]),
) as Record<MappingName, CompiledMapping>;

const ORDER_MAPPINGS: readonly MappingName[] = ['order.to.invoice', 'order.to.analytics'];

/** The sample inputs of `events/mappings/<mapping>/input.json` (one input or a list of them). */
function samplesOf(name: MappingName): unknown[] {
  const file = path.resolve(__dirname, '../../../events/mappings', name, 'input.json');
  if (!existsSync(file)) return [];
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return Array.isArray(parsed) ? parsed : [parsed];
}

const generatedFor = (name: MappingName): unknown[] =>
  name === 'customer.to.crm' ? customerInputs() : [1, 10, 100].flatMap((items) => orderInputs(items, 6));

/** Expects the twin and the hand-written code to give the compiled spec's output, serialised alike too (same key order). */
async function expectSameOutputs(name: MappingName, input: unknown): Promise<void> {
  const expected = compiled[name].map(input);
  const viaJsonata: unknown = await twins[name].evaluate(input);
  const viaHand = handwritten[name](input);
  // JSONata builds objects without a prototype: compare their data, copied into plain objects.
  expect(structuredClone(viaJsonata)).toStrictEqual(expected);
  expect(viaHand).toStrictEqual(expected);
  expect(JSON.stringify(viaJsonata)).toBe(JSON.stringify(expected));
  expect(JSON.stringify(viaHand)).toBe(JSON.stringify(expected));
}

describe.each(MAPPING_NAMES)('%s: compiled spec, JSONata twin and hand-written code', (name) => {
  const inputs = [...samplesOf(name), ...generatedFor(name)];

  it.each(inputs.map((input, index) => [index, input]))(
    'give the same output for input %i',
    async (_, input) => {
      await expectSameOutputs(name, input);
    },
  );
});

describe('generated inputs', () => {
  it('cover discounts, lines without a name and orders without a locale', () => {
    const orders = [1, 10, 100].flatMap((items) => orderInputs(items)).map(({ order }) => order);
    const items = orders.flatMap((order) => order.items);
    expect(orders.some((order) => order.customer.locale === undefined)).toBe(true);
    expect(items.some((item) => item.name === undefined)).toBe(true);
    expect(items.some((item) => item.line_amount < item.unit_amount * item.quantity)).toBe(true);
    expect(orders.map((order) => order.items.length)).toContain(100);
  });

  it('cover absent and non-E.164 phones, padded companies and countries outside the lookup table', () => {
    const customers = customerInputs().map(({ customer }) => customer);
    expect(customers.some((customer) => customer.phone === undefined)).toBe(true);
    expect(customers.some((customer) => customer.phone && !customer.phone.startsWith('+'))).toBe(true);
    expect(
      customers.some((customer) => customer.company && customer.company !== customer.company.trim()),
    ).toBe(true);
    const outputs = customerInputs().map((input) => compiled['customer.to.crm'].map(input));
    expect(outputs.map((output) => output.MailingCountry)).toContain('Other');
  });

  it('are the same on every call', () => {
    expect(orderInputs(10)).toEqual(orderInputs(10));
    expect(customerInputs()).toEqual(customerInputs());
  });
});

describe('optional fields given as null', () => {
  it('are left out (or defaulted) alike by all three', async () => {
    const [order] = orderInputs(3, 1);
    const withNulls = structuredClone(order) as OrderInput;
    const lines = withNulls.order.items;
    withNulls.order.customer.locale = null;
    if (lines[0]) lines[0].name = null;
    for (const name of ORDER_MAPPINGS) await expectSameOutputs(name, withNulls);
    const [customer] = customerInputs(1);
    const nullCustomer = structuredClone(customer) as CustomerInput;
    nullCustomer.customer.phone = null;
    nullCustomer.customer.company = null;
    await expectSameOutputs('customer.to.crm', nullCustomer);
    expect(compiled['customer.to.crm'].map(nullCustomer)).not.toHaveProperty('MobilePhone');
  });
});

/* Arbitrary valid inputs: order.created 1.1 and customer.updated 1.0 data. */

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** An ISO 8601 date-time with an offset and 0, 3 or 6 fraction digits. */
const isoDateTime = fc
  .record({
    at: fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2099, 0, 1) }),
    offsetQuarters: fc.integer({ min: -48, max: 56 }),
    fraction: fc.constantFrom(0, 3, 6),
    micros: fc.integer({ min: 0, max: 999 }),
    zulu: fc.boolean(),
  })
  .map(({ at, offsetQuarters, fraction, micros, zulu }) => {
    const minutes = offsetQuarters * 15;
    const local = new Date(at + minutes * 60_000);
    const date = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
    const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
    const millis = pad(local.getUTCMilliseconds(), 3);
    const digits = fraction === 0 ? '' : fraction === 3 ? `.${millis}` : `.${millis}${pad(micros, 3)}`;
    const sign = minutes < 0 ? '-' : '+';
    const zone =
      minutes === 0 && zulu
        ? 'Z'
        : `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
    return `${date}T${time}${digits}${zone}`;
  });

const text = fc.string({ unit: 'grapheme', maxLength: 16 });
const nonEmpty = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 });
/** Words with runs of assorted whitespace between and around them. */
const spaced = fc
  .array(fc.oneof(nonEmpty, fc.constantFrom(' ', '  ', '\t', '\u00a0', '\n ')), { maxLength: 6 })
  .map((parts) => parts.join(''));

const orderItem = fc
  .record({
    sku: nonEmpty,
    name: text,
    quantity: fc.integer({ min: 1, max: 1000 }),
    unit_amount: fc.integer({ min: 0, max: 5_000_000 }),
    discountShare: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
  })
  .map(({ discountShare, ...line }) => {
    const gross = line.unit_amount * line.quantity;
    return { ...line, line_amount: gross - Math.floor(gross * discountShare) };
  });

const orderInput = fc
  .record(
    {
      order_id: nonEmpty,
      customer: fc.record(
        {
          id: nonEmpty,
          email: fc.emailAddress().map((email) => email.replace(/^./, (first) => first.toUpperCase())),
          locale: fc.constantFrom('en-GB', 'de-DE', 'fr-CA', 'sv'),
        },
        { requiredKeys: ['id', 'email'] },
      ),
      currency: fc.stringMatching(/^[A-Z]{3}$/),
      channel: fc.constantFrom('api', 'webhook', 'batch'),
      items: fc.array(
        orderItem.chain((line) =>
          fc.boolean().map((named) => {
            const { name, ...rest } = line;
            return named ? line : rest;
          }),
        ),
        { minLength: 1, maxLength: 12 },
      ),
      total_amount: fc.integer({ min: 0, max: 1_000_000_000 }),
      created_at: isoDateTime,
    },
    { requiredKeys: ['order_id', 'customer', 'currency', 'channel', 'items', 'total_amount', 'created_at'] },
  )
  .map((order) => ({ order }));

const TABLE_COUNTRIES = ['AT', 'BE', 'CH', 'DE', 'DK', 'ES', 'FI', 'FR', 'GB', 'IE', 'IT', 'NL', 'NO', 'PL'];
const customerInput = fc
  .record(
    {
      customer_id: nonEmpty,
      email: fc.emailAddress().map((email) => email.toUpperCase()),
      first_name: spaced,
      last_name: spaced,
      phone: fc.oneof(fc.stringMatching(/^\+[1-9]\d{6,14}$/), text, fc.constant('')),
      company: spaced,
      country: fc.constantFrom(...TABLE_COUNTRIES, 'PT', 'SE', 'US', 'CA', 'JP', 'BR', 'ZA', 'XK'),
      marketing_opt_in: fc.boolean(),
      updated_at: isoDateTime,
    },
    {
      requiredKeys: [
        'customer_id',
        'email',
        'first_name',
        'last_name',
        'country',
        'marketing_opt_in',
        'updated_at',
      ],
    },
  )
  .map((customer) => ({ customer }));

describe('on arbitrary valid inputs', () => {
  it.each(ORDER_MAPPINGS)(
    '%s: the JSONata twin and the hand-written code agree with the compiled spec',
    async (name) => {
      await fc.assert(
        fc.asyncProperty(orderInput, (input) => expectSameOutputs(name, input)),
        { numRuns: 100 },
      );
    },
  );

  it('customer.to.crm: the JSONata twin and the hand-written code agree with the compiled spec', async () => {
    await fc.assert(
      fc.asyncProperty(customerInput, (input) => expectSameOutputs('customer.to.crm', input)),
      { numRuns: 100 },
    );
  });
});

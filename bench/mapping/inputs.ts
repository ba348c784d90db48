import type { Channel, CustomerInput, OrderInput, OrderItem } from './handwritten';

/**
 * Deterministic inputs for the mapping benchmark and its equivalence tests: the same seed gives
 * the same records on every run, so figures from different runs map the same data.
 */

/** mulberry32: a tiny seeded generator of floats in [0, 1). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const integer = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pick = <T>(random: Random, values: readonly T[]): T =>
  values[integer(random, 0, values.length - 1)] as T;

const CHANNELS: readonly Channel[] = ['api', 'webhook', 'batch'];
const CURRENCIES = ['EUR', 'GBP', 'USD', 'SEK', 'CHF'];
const LOCALES = ['en-GB', 'de-DE', 'fr-FR', 'sv-SE', 'en-US'];
const PRODUCTS = [
  'Integration Handbook',
  'mug, large',
  'USB-C cable 2 m',
  'Notebook A5',
  'Café crème beans 1 kg',
];
const OFFSETS = ['Z', '+00:00', '+01:00', '+05:30', '-08:00', '-03:30'];
const FIRST_NAMES = ['ada', 'GRACE', 'mary ann', 'José-María', 'ÉMILE', 'li'];
const LAST_NAMES = ["o'brien", 'LOVELACE', 'van der berg', 'Hopper', 'ßtraße', 'núñez'];
/** Every code of the spec's lookup table, then codes outside it (mapped to "Other"). */
const COUNTRIES = [
  ...[
    'AT',
    'BE',
    'CH',
    'DE',
    'DK',
    'ES',
    'FI',
    'FR',
    'GB',
    'IE',
    'IT',
    'NL',
    'NO',
    'PL',
    'PT',
    'SE',
    'US',
    'CA',
  ],
  ...['JP', 'BR', 'ZA'],
];
const PHONES = ['+442071234567', undefined, '020 7123 4567', '+4930901820', '0049 30 901820'];
const COMPANIES = ['  Analytical Engines Ltd ', undefined, 'Hopper & Co', '\tNavy  Labs\n', ''];

/** An ISO 8601 date-time with an offset (and sometimes milliseconds or microseconds), 2000–2029. */
function dateTime(random: Random): string {
  const offset = pick(random, OFFSETS);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const fraction = pick(random, [
    '',
    `.${pad(integer(random, 0, 999), 3)}`,
    `.${pad(integer(random, 0, 999_999), 6)}`,
  ]);
  return (
    `${integer(random, 2000, 2029)}-${pad(integer(random, 1, 12))}-${pad(integer(random, 1, 28))}` +
    `T${pad(integer(random, 0, 23))}:${pad(integer(random, 0, 59))}:${pad(integer(random, 0, 59))}${fraction}${offset}`
  );
}

function item(random: Random, position: number): OrderItem {
  const quantity = integer(random, 1, 12);
  const unitAmount = integer(random, 50, 250_000);
  // About a third of the lines carry a discount: less than the unit amount times the quantity.
  const discount = random() < 0.35 ? integer(random, 1, Math.floor((unitAmount * quantity) / 2)) : 0;
  const line: OrderItem = {
    sku: `SKU-${position}-${integer(random, 100, 999)}`,
    quantity,
    unit_amount: unitAmount,
    line_amount: unitAmount * quantity - discount,
  };
  if (random() >= 0.25) line.name = `${pick(random, PRODUCTS)} #${position}`;
  return line;
}

/** `count` distinct orders with `itemCount` line items each. */
export function orderInputs(itemCount: number, count = 16, seed = itemCount): OrderInput[] {
  const random = seeded(seed);
  return Array.from({ length: count }, (_, index) => {
    const items = Array.from({ length: itemCount }, (_, position) => item(random, position));
    const subtotal = items.reduce((sum, line) => sum + line.line_amount, 0);
    const customer: OrderInput['order']['customer'] = {
      id: `cus-${integer(random, 1000, 9999)}`,
      email: `Customer.${index}@Example.COM`,
    };
    // Every third order has no locale, to exercise the default.
    if (index % 3 !== 0) customer.locale = pick(random, LOCALES);
    return {
      order: {
        order_id: `ord-${seed}-${index}-${integer(random, 10_000, 99_999)}`,
        customer,
        currency: pick(random, CURRENCIES),
        channel: CHANNELS[index % CHANNELS.length] as Channel,
        items,
        total_amount: subtotal + integer(random, 0, 1000),
        created_at: dateTime(random),
      },
    };
  });
}

/** `count` distinct customers, cycling through phones, companies and countries (some outside the table). */
export function customerInputs(count = 24, seed = 7): CustomerInput[] {
  const random = seeded(seed);
  return Array.from({ length: count }, (_, index) => {
    const customer: CustomerInput['customer'] = {
      customer_id: `cus-${1000 + index}`,
      email: `${pick(random, FIRST_NAMES).replace(/\s/g, '.')}@Example.org`,
      first_name: pick(random, FIRST_NAMES),
      last_name: pick(random, LAST_NAMES),
      country: COUNTRIES[index % COUNTRIES.length] as string,
      marketing_opt_in: index % 2 === 0,
      updated_at: dateTime(random),
    };
    const phone = PHONES[index % PHONES.length];
    if (phone !== undefined) customer.phone = phone;
    const company = COMPANIES[index % COMPANIES.length];
    if (company !== undefined) customer.company = company;
    return { customer };
  });
}

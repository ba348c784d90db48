/**
 * The three mappings of `specs/mappings/` written by hand, as a developer would without the spec
 * engine: the yardstick the compiled specs are measured against. Each gives the same output as its
 * spec for valid input (same fields left out, defaults, lookups); invalid input is not checked.
 */

export type Channel = 'api' | 'webhook' | 'batch';

/** An `order.created` 1.1 line item; amounts in integer minor units. */
export interface OrderItem {
  sku: string;
  name?: string | null;
  quantity: number;
  unit_amount: number;
  line_amount: number;
}

/** The `order.created` 1.1 data. */
export interface Order {
  order_id: string;
  customer: { id: string; email: string; locale?: string | null };
  currency: string;
  channel: Channel;
  items: OrderItem[];
  total_amount: number;
  created_at: string;
}

/** The `customer.updated` 1.0 data. */
export interface Customer {
  customer_id: string;
  email: string;
  first_name: string;
  last_name: string;
  phone?: string | null;
  company?: string | null;
  country: string;
  marketing_opt_in: boolean;
  updated_at: string;
}

export interface OrderInput {
  order: Order;
}

export interface CustomerInput {
  customer: Customer;
}

const CHANNELS: Readonly<Record<Channel, string>> = {
  api: 'Online (API)',
  webhook: 'Partner (webhook)',
  batch: 'Bulk import',
};

const toIso = (date: string) => new Date(date).toISOString();

export function orderToInvoice({ order }: OrderInput): Record<string, unknown> {
  const lineItems = new Array(order.items.length);
  let subtotal = 0;
  for (let index = 0; index < order.items.length; index++) {
    const item = order.items[index] as OrderItem;
    const gross = item.unit_amount * item.quantity;
    lineItems[index] = {
      line_number: index + 1,
      sku: item.sku,
      description: item.name ?? item.sku,
      quantity: item.quantity,
      unit_amount: item.unit_amount,
      gross_amount: gross,
      discount_amount: gross - item.line_amount,
      amount: item.line_amount,
    };
    subtotal += item.line_amount;
  }
  return {
    invoice: {
      order_reference: order.order_id,
      invoice_number: `INV-${order.order_id}`,
      status: 'issued',
      issued_at: toIso(order.created_at),
      currency: order.currency,
      sales_channel: CHANNELS[order.channel],
      customer: {
        reference: order.customer.id,
        email: order.customer.email.toLowerCase(),
        locale: order.customer.locale ?? 'en-US',
      },
      line_items: lineItems,
      subtotal_amount: subtotal,
      total_amount: order.total_amount,
    },
  };
}

interface AnalyticsItem {
  item_id: string;
  item_name?: string;
  price: number;
  quantity: number;
  index: number;
}

export function orderToAnalytics({ order }: OrderInput): Record<string, unknown> {
  const items = new Array<AnalyticsItem>(order.items.length);
  for (let index = 0; index < order.items.length; index++) {
    const item = order.items[index] as OrderItem;
    // Optional keys are added in the spec's order, so the serialised output is the same too.
    const line = { item_id: item.sku } as AnalyticsItem;
    if (item.name != null) line.item_name = item.name;
    line.price = item.unit_amount / 100;
    line.quantity = item.quantity;
    line.index = index;
    items[index] = line;
  }
  return {
    client_id: order.customer.id,
    user_id: order.customer.id,
    timestamp_micros: Date.parse(order.created_at) * 1000,
    non_personalized_ads: true,
    events: [
      {
        name: 'purchase',
        params: {
          transaction_id: order.order_id,
          currency: order.currency,
          value: order.total_amount / 100,
          affiliation: order.channel.toUpperCase(),
          items,
        },
      },
    ],
  };
}

const COUNTRIES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    AT: 'Austria',
    BE: 'Belgium',
    CH: 'Switzerland',
    DE: 'Germany',
    DK: 'Denmark',
    ES: 'Spain',
    FI: 'Finland',
    FR: 'France',
    GB: 'United Kingdom',
    IE: 'Ireland',
    IT: 'Italy',
    NL: 'Netherlands',
    NO: 'Norway',
    PL: 'Poland',
    PT: 'Portugal',
    SE: 'Sweden',
    US: 'United States',
    CA: 'Canada',
  }),
);

const titleCase = (text: string) =>
  text.replace(/\S+/g, (word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase());

export function customerToCrm({ customer }: CustomerInput): Record<string, unknown> {
  const contact: Record<string, unknown> = {
    attributes: { type: 'Contact' },
    External_Id__c: customer.customer_id,
    FirstName: titleCase(customer.first_name),
    LastName: titleCase(customer.last_name),
    Full_Name__c: titleCase(`${customer.first_name} ${customer.last_name}`),
    Email: customer.email.toLowerCase(),
  };
  // Only E.164 numbers go to the CRM's mobile field.
  if (customer.phone?.startsWith('+')) contact.MobilePhone = customer.phone;
  if (customer.company != null) contact.Company__c = customer.company.trim();
  contact.MailingCountryCode = customer.country.toUpperCase();
  contact.MailingCountry = COUNTRIES.get(customer.country) ?? 'Other';
  contact.HasOptedOutOfEmail = !customer.marketing_opt_in;
  contact.Last_Synced_Source_At__c = toIso(customer.updated_at);
  return contact;
}

export type MappingName = 'order.to.invoice' | 'order.to.analytics' | 'customer.to.crm';

/** The hand-written functions by mapping name; the casts only widen the input type. */
export const handwritten: Readonly<Record<MappingName, (input: unknown) => Record<string, unknown>>> = {
  'order.to.invoice': orderToInvoice as (input: unknown) => Record<string, unknown>,
  'order.to.analytics': orderToAnalytics as (input: unknown) => Record<string, unknown>,
  'customer.to.crm': customerToCrm as (input: unknown) => Record<string, unknown>,
};

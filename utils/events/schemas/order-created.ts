import { z } from 'zod';

/** Amounts are integers in the currency's minor unit (cents for EUR), so sums are exact. */
export const MinorUnits = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 code such as EUR');

/**
 * A BCP 47 language tag in canonical case: language, optional script, optional region
 * (`de-DE`, `en`, `zh-Hant-TW`, `es-419`) — what an e-mail template needs, nothing more exotic.
 */
export const LocaleTag = z
  .string()
  .max(35)
  .regex(/^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|\d{3}))?$/, 'Expected a BCP 47 language tag such as de-DE');

/** Where an order entered Junction. */
export const OrderChannel = z.enum(['api', 'webhook', 'batch']).describe('Where the order entered Junction');

export const OrderLineSchema = z.object({
  sku: z.string().min(1).max(64),
  name: z.string().min(1).max(200).optional(),
  quantity: z.number().int().min(1),
  unit_amount: MinorUnits,
  line_amount: MinorUnits,
});

/** `data` of `order.created` version 1.0. */
export const OrderCreatedDataV1_0Schema = z.object({
  order_id: z.string().min(1),
  customer: z.object({ id: z.string().min(1), email: z.email() }),
  currency: CurrencyCode,
  items: z.array(OrderLineSchema).min(1),
  total_amount: MinorUnits,
  created_at: z.iso.datetime({ offset: true }),
});

/** `data` of `order.created` version 1.1: 1.0 plus the channel and the customer's locale. */
export const OrderCreatedDataV1_1Schema = OrderCreatedDataV1_0Schema.extend({
  channel: OrderChannel,
  customer: OrderCreatedDataV1_0Schema.shape.customer.extend({
    locale: LocaleTag.optional().describe("The customer's language for the confirmation e-mail (BCP 47)"),
  }),
});

/** A payment method token from the client's tokenization (`tok_…`, `pm_…`, `src_…`), never card data. */
export const PaymentSourceToken = z
  .string()
  .max(255)
  .regex(/^(tok|pm|src)_[A-Za-z0-9_]+$/, 'Expected a payment token such as tok_visa, never card data');

/** `data` of `order.created` version 1.2: 1.1 plus the payment source the order saga charges. */
export const OrderCreatedDataSchema = OrderCreatedDataV1_1Schema.extend({
  payment: z
    .object({ source: PaymentSourceToken })
    .optional()
    .describe('How the customer pays; an order without it fails at the charge step'),
});

export type OrderCreatedDataV1_0 = z.infer<typeof OrderCreatedDataV1_0Schema>;
export type OrderCreatedDataV1_1 = z.infer<typeof OrderCreatedDataV1_1Schema>;
/** `data` of the newest `order.created`, which every consumer receives. */
export type OrderCreatedData = z.infer<typeof OrderCreatedDataSchema>;

/**
 * order.created 1.0 → 1.1. The API (`POST /v1/orders`) was the only producer of 1.0; other channels
 * publish 1.1 or later. So every 1.0 order entered through the API. 1.0 never carried a locale.
 */
export function upcastOrderCreatedV1_0(data: OrderCreatedDataV1_0): OrderCreatedDataV1_1 {
  return { ...data, channel: 'api' };
}

/** order.created 1.1 → 1.2: a 1.1 order named no payment source, and none is invented. */
export function upcastOrderCreatedV1_1(data: OrderCreatedDataV1_1): OrderCreatedData {
  return data;
}

import { z } from 'zod';

/** Amounts are integers in the currency's minor unit (cents for EUR), so sums are exact. */
export const MinorUnits = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 code such as EUR');

export const OrderLineSchema = z.object({
  sku: z.string().min(1).max(64),
  name: z.string().min(1).max(200).optional(),
  quantity: z.number().int().min(1),
  unit_amount: MinorUnits,
  line_amount: MinorUnits,
});

/** `data` of `order.created` version 1.0. */
export const OrderCreatedDataSchema = z.object({
  order_id: z.string().min(1),
  customer: z.object({ id: z.string().min(1), email: z.email() }),
  currency: CurrencyCode,
  items: z.array(OrderLineSchema).min(1),
  total_amount: MinorUnits,
  created_at: z.iso.datetime({ offset: true }),
});

export type OrderCreatedData = z.infer<typeof OrderCreatedDataSchema>;

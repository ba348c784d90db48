import { z } from 'zod';
import { CurrencyCode, LocaleTag, PaymentSourceToken } from '../events/schemas/order-created';

/** Largest accepted `POST /v1/orders` body; well inside EventBridge's 256 KB per entry. */
export const MAX_ORDER_BODY_BYTES = 64 * 1024;

export const OrderItemRequestSchema = z.strictObject({
  sku: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Expected letters, digits and . _ -'),
  name: z.string().min(1).max(200).optional(),
  quantity: z.number().int().min(1).max(1000),
  /** Price of one unit in the currency's minor unit (cents for EUR). */
  unit_amount: z.number().int().min(0).max(100_000_000),
});

/**
 * The body of `POST /v1/orders`. The handler parses with it and the API Gateway request model is
 * generated from it, so the two cannot drift.
 */
export const OrderRequestSchema = z.strictObject({
  customer: z.strictObject({
    id: z.string().min(1).max(64),
    email: z.email().max(254),
    /** For the confirmation e-mail; travels on as `customer.locale` of order.created. */
    locale: LocaleTag.optional(),
  }),
  currency: CurrencyCode,
  items: z.array(OrderItemRequestSchema).min(1).max(100),
  /** The payment token from the client's tokenization; the order saga charges it. */
  payment: z.strictObject({ source: PaymentSourceToken }).optional(),
});

export type OrderRequest = z.infer<typeof OrderRequestSchema>;

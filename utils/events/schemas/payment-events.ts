import { z } from 'zod';
import { CurrencyCode, MinorUnits } from './order-created';

/** What every payment event says: the charge at the payment provider, and the provider event it came from. */
const PaymentEventDataSchema = z.object({
  charge_id: z.string().min(1).max(255),
  /** The order the charge was made for, when the charge's metadata names it. */
  order_id: z.string().min(1).max(128).optional(),
  amount: MinorUnits,
  currency: CurrencyCode,
  /** The provider's event id: redeliveries of the same provider event carry the same one. */
  provider_event_id: z.string().min(1).max(255),
  /** When the provider recorded the event. */
  occurred_at: z.iso.datetime({ offset: true }),
});

/** `data` of `payment.succeeded` 1.0: the provider charged the amount. */
export const PaymentSucceededDataSchema = PaymentEventDataSchema;

/** `data` of `payment.failed` 1.0: the charge was declined or failed; the provider's code and message say why. */
export const PaymentFailedDataSchema = PaymentEventDataSchema.extend({
  failure_code: z.string().min(1).max(64),
  failure_message: z.string().max(1000).optional(),
});

/** `data` of `payment.refunded` 1.0: some or all of a charge was refunded. */
export const PaymentRefundedDataSchema = PaymentEventDataSchema.extend({
  /** The total refunded so far, in minor units. */
  amount_refunded: MinorUnits,
  fully_refunded: z.boolean(),
});

export type PaymentSucceededData = z.infer<typeof PaymentSucceededDataSchema>;
export type PaymentFailedData = z.infer<typeof PaymentFailedDataSchema>;
export type PaymentRefundedData = z.infer<typeof PaymentRefundedDataSchema>;

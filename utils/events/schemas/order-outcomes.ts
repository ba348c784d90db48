import { z } from 'zod';
import { CurrencyCode, MinorUnits } from './order-created';

/** Why a step failed: a stable code for machines, a message for people. Never personal data. */
export const FailureReasonSchema = z.object({
  code: z.string().min(1).max(64),
  message: z.string().max(1000),
  /** The saga step that failed. */
  step: z.string().min(1).max(64),
});

/** `data` of `order.completed` 1.0: the order was charged, invoiced and confirmed (or the confirmation queued). */
export const OrderCompletedDataSchema = z.object({
  order_id: z.string().min(1),
  payment: z.object({ charge_id: z.string().min(1), amount: MinorUnits, currency: CurrencyCode }),
  invoice_number: z.string().min(1),
  completed_at: z.iso.datetime({ offset: true }),
});

/** `data` of `order.failed` 1.0: the saga gave up; a charge made before the failure was refunded. */
export const OrderFailedDataSchema = z.object({
  order_id: z.string().min(1),
  reason: FailureReasonSchema,
  /** Whether a charge made before the failure was refunded (false when nothing was charged). */
  refunded: z.boolean(),
  failed_at: z.iso.datetime({ offset: true }),
});

/** `data` of `notification.failed` 1.0: a message that could not be sent after retries, for a later resend. */
export const NotificationFailedDataSchema = z.object({
  order_id: z.string().min(1),
  channel: z.enum(['email']),
  template: z.string().min(1).max(64),
  reason: FailureReasonSchema,
  failed_at: z.iso.datetime({ offset: true }),
});

export type OrderCompletedData = z.infer<typeof OrderCompletedDataSchema>;
export type OrderFailedData = z.infer<typeof OrderFailedDataSchema>;
export type NotificationFailedData = z.infer<typeof NotificationFailedDataSchema>;

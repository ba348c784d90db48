import { z } from 'zod';

/** What every e-mail delivery event says: the address, the message, and the provider event it came from. */
const EmailEventDataSchema = z.object({
  email: z.email().max(254),
  /** The provider's id of the message, when it reports one. */
  message_id: z.string().min(1).max(255).optional(),
  reason: z.string().max(1000),
  /** The order the message was about, when Junction sent it with that custom argument. */
  order_id: z.string().min(1).max(128).optional(),
  /** The provider's event id: redeliveries of the same provider event carry the same one. */
  provider_event_id: z.string().min(1).max(255),
  /** When the provider recorded the event. */
  occurred_at: z.iso.datetime({ offset: true }),
});

/** `data` of `email.bounced` 1.0: the receiving server refused the message. */
export const EmailBouncedDataSchema = EmailEventDataSchema.extend({
  /** The SMTP enhanced status code, such as 5.1.1. */
  status: z.string().min(1).max(16).optional(),
  /** `bounce`: the address does not take mail; `blocked`: the server refused this message. */
  bounce_type: z.enum(['bounce', 'blocked']).optional(),
});

/** `data` of `email.dropped` 1.0: the provider did not send the message (suppressed or invalid address). */
export const EmailDroppedDataSchema = EmailEventDataSchema;

export type EmailBouncedData = z.infer<typeof EmailBouncedDataSchema>;
export type EmailDroppedData = z.infer<typeof EmailDroppedDataSchema>;

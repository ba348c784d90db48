import { z } from 'zod';
import type { EventType } from '../events/catalog';
import type { Envelope } from '../events/envelope';
import { isoFromUnixSeconds, optionalId, parseProviderPayload, providerEnvelope } from './normalize';
import type { ReceivedEvent } from './types';

export const PAYMENTS_SOURCE = 'junction.payments';
const PROVIDER = 'payment';

/** A Stripe event, as far as Junction reads it whatever its type. */
const StripeEventSchema = z.object({
  id: z.string().min(1).max(255),
  object: z.literal('event'),
  type: z.string().min(1).max(128),
  created: z.number().int().min(0),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

/** The charge of a charge.* event: what the payment events carry. */
const StripeChargeSchema = z.object({
  id: z.string().min(1).max(255),
  amount: z.number().int().min(0),
  amount_refunded: z.number().int().min(0).default(0),
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'Expected a three-letter ISO 4217 code'),
  refunded: z.boolean().default(false),
  failure_code: z.string().nullish(),
  failure_message: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).default({}),
});

type StripeCharge = z.output<typeof StripeChargeSchema>;

/** Stripe event type → the Junction event it becomes. Any other type is acknowledged and ignored. */
const CONSUMED: Readonly<Record<string, EventType>> = {
  'charge.succeeded': 'payment.succeeded',
  'charge.failed': 'payment.failed',
  'charge.refunded': 'payment.refunded',
};

function paymentData(type: EventType, charge: StripeCharge, providerEventId: string, created: number) {
  const orderId = optionalId(charge.metadata.order_id);
  const common = {
    charge_id: charge.id,
    ...(orderId ? { order_id: orderId } : {}),
    amount: charge.amount,
    currency: charge.currency.toUpperCase(),
    provider_event_id: providerEventId,
    occurred_at: isoFromUnixSeconds(created),
  };
  if (type === 'payment.failed') {
    // Stripe always gives a failed charge a code; should one come without, the failure still counts.
    return {
      ...common,
      failure_code: charge.failure_code || 'unknown',
      ...(charge.failure_message ? { failure_message: charge.failure_message } : {}),
    };
  }
  if (type === 'payment.refunded') {
    return {
      ...common,
      amount_refunded: charge.amount_refunded,
      fully_refunded: charge.refunded || charge.amount_refunded >= charge.amount,
    };
  }
  return common;
}

/**
 * The event of a Stripe webhook delivery (one per delivery), normalised: charge.succeeded,
 * charge.failed and charge.refunded become payment.succeeded, payment.failed and payment.refunded;
 * other types are read (for their id) and ignored. A correlation id in the charge's metadata
 * (Junction's connector sets it) follows the payment onto the bus.
 */
export function readPaymentEvents(body: unknown, now: () => Date): ReceivedEvent[] {
  const event = parseProviderPayload(PROVIDER, StripeEventSchema, body);
  const received = { providerEventId: event.id, providerType: event.type };
  const type = CONSUMED[event.type];
  if (!type) return [received];
  const charge = parseProviderPayload(
    PROVIDER,
    z.object({ data: z.object({ object: StripeChargeSchema }) }),
    event,
  ).data.object;
  const envelope: Envelope = providerEnvelope({
    provider: PROVIDER,
    providerEventId: event.id,
    type,
    source: PAYMENTS_SOURCE,
    data: paymentData(type, charge, event.id, event.created),
    now,
    echoedCorrelationId: charge.metadata.correlation_id,
  });
  return [{ ...received, envelope }];
}

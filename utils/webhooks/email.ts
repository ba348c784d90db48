import { z } from 'zod';
import type { EventType } from '../events/catalog';
import { InvalidWebhookBodyError } from './errors';
import { isoFromUnixSeconds, optionalId, parseProviderPayload, providerEnvelope } from './normalize';
import type { ReceivedEvent } from './types';

export const EMAIL_SOURCE = 'junction.email';
const PROVIDER = 'email';

/**
 * One SendGrid event, as far as Junction reads it whatever its type. Custom arguments Junction
 * sent the mail with (`order_id`, `correlation_id`) come back as top-level fields.
 */
const SendGridEventSchema = z.looseObject({
  sg_event_id: z.string().min(1).max(255),
  event: z.string().min(1).max(64),
  timestamp: z.number().int().min(0),
});

/** A bounce or a drop: the fields the e-mail events carry. */
const DeliveryProblemSchema = SendGridEventSchema.extend({
  email: z.email().max(254),
  sg_message_id: z.string().min(1).max(255).optional(),
  reason: z.string().max(1000).default(''),
  status: z.string().min(1).max(16).optional(),
  type: z.string().optional(),
});

type DeliveryProblem = z.output<typeof DeliveryProblemSchema>;

/** SendGrid event → the Junction event it becomes. Any other (delivered, open, click, …) is ignored. */
const CONSUMED: Readonly<Record<string, EventType>> = {
  bounce: 'email.bounced',
  dropped: 'email.dropped',
};

const BOUNCE_TYPES: ReadonlySet<string> = new Set(['bounce', 'blocked']);

/** Each event with the schema its type needs; the batch is refused whole, naming every bad field. */
function parseBatch(
  body: unknown,
): { event: z.output<typeof SendGridEventSchema>; problem?: DeliveryProblem }[] {
  const batch = parseProviderPayload(PROVIDER, z.array(z.unknown()).min(1).max(10_000), body);
  const issues: z.core.$ZodIssue[] = [];
  const events = batch.map((value, index) => {
    const event = SendGridEventSchema.safeParse(value);
    const checked =
      event.success && CONSUMED[event.data.event] ? DeliveryProblemSchema.safeParse(value) : event;
    if (!checked.success)
      issues.push(...checked.error.issues.map((issue) => ({ ...issue, path: [index, ...issue.path] })));
    return checked.success ? checked.data : undefined;
  });
  if (issues.length > 0) throw InvalidWebhookBodyError.fromIssues(PROVIDER, issues);
  return events.map((event) => {
    const parsed = event as z.output<typeof SendGridEventSchema>;
    return CONSUMED[parsed.event] ? { event: parsed, problem: parsed as DeliveryProblem } : { event: parsed };
  });
}

function emailData(problem: DeliveryProblem) {
  const orderId = optionalId(problem.order_id);
  return {
    email: problem.email,
    ...(problem.sg_message_id ? { message_id: problem.sg_message_id } : {}),
    reason: problem.reason,
    ...(orderId ? { order_id: orderId } : {}),
    ...(problem.event === 'bounce' && problem.status ? { status: problem.status } : {}),
    ...(problem.event === 'bounce' && problem.type && BOUNCE_TYPES.has(problem.type)
      ? { bounce_type: problem.type }
      : {}),
    provider_event_id: problem.sg_event_id,
    occurred_at: isoFromUnixSeconds(problem.timestamp),
  };
}

/**
 * The events of a SendGrid event webhook delivery (a JSON array), normalised in order: bounce and
 * dropped become email.bounced and email.dropped; other types are read (for their id) and ignored.
 */
export function readEmailEvents(body: unknown, now: () => Date): ReceivedEvent[] {
  return parseBatch(body).map(({ event, problem }) => {
    const received = { providerEventId: event.sg_event_id, providerType: event.event };
    const type = CONSUMED[event.event];
    if (!problem || !type) return received;
    const envelope = providerEnvelope({
      provider: PROVIDER,
      providerEventId: event.sg_event_id,
      type,
      source: EMAIL_SOURCE,
      data: emailData(problem),
      now,
      echoedCorrelationId: problem.correlation_id,
    });
    return { ...received, envelope };
  });
}

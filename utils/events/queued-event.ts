import { z } from 'zod';
import { InvalidEventError } from '../messaging/errors';
import { type KnownEnvelope, parseEventDetail } from './catalog';

/** The parts of an EventBridge event that a queue consumer relies on. */
const EventBridgeEventSchema = z.object({
  id: z.string(),
  'detail-type': z.string(),
  source: z.string(),
  detail: z.unknown(),
});

/** The checked envelope of an EventBridge event that a rule delivered to an SQS queue. */
export function parseQueuedEvent(body: string): KnownEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new InvalidEventError(
      `Message body is not valid JSON: ${error instanceof Error ? error.message : 'unreadable'}`,
      'MALFORMED_MESSAGE',
    );
  }
  const event = EventBridgeEventSchema.safeParse(parsed);
  if (!event.success) {
    throw new InvalidEventError('Message is not an EventBridge event (no id, detail-type, source, detail)');
  }
  const envelope = parseEventDetail(event.data.detail);
  if (event.data['detail-type'] !== envelope.type) {
    throw new InvalidEventError(
      `detail-type "${event.data['detail-type']}" does not match envelope type "${envelope.type}"`,
    );
  }
  return envelope;
}

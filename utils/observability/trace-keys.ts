import { logger, tracer } from './powertools';

/**
 * What follows one piece of work across hops: the envelope's correlation and causation ids, the
 * id and type of the event being handled, and the order it is about. Log fields and trace
 * annotations only, never metric dimensions: they are ids.
 */
export interface TraceKeys {
  readonly correlation_id: string;
  readonly causation_id?: string;
  readonly event_id?: string;
  readonly event_type?: string;
  readonly order_id?: string;
}

// The keys a trace can be searched by (X-Ray indexes annotations).
const ANNOTATED = ['correlation_id', 'order_id', 'event_type'] as const;

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
const record = (value: unknown) =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;

/** The keys of an event envelope (an event's `detail`), if it is one. */
export function keysOfEnvelope(detail: unknown): TraceKeys | undefined {
  const envelope = record(detail);
  const correlationId = text(record(envelope?.metadata)?.correlation_id);
  if (!envelope || correlationId === undefined) return undefined;
  const keys: Record<string, string | undefined> = {
    correlation_id: correlationId,
    causation_id: text(record(envelope.metadata)?.causation_id),
    event_id: text(envelope.id),
    event_type: text(envelope.type),
    order_id: text(record(envelope.data)?.order_id),
  };
  return Object.fromEntries(
    Object.entries(keys).filter(([, value]) => value !== undefined),
  ) as unknown as TraceKeys;
}

/** The keys of an SQS message body: an EventBridge event carrying an envelope, or an envelope. */
export function keysOfQueuedBody(body: string): TraceKeys | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const event = record(parsed);
  return event && 'detail' in event ? keysOfEnvelope(event.detail) : keysOfEnvelope(parsed);
}

/**
 * Puts the keys on every log line (Powertools persistent keys) and annotates the current trace
 * segment with the searchable ones. Returns what removes them from the log lines again, for work
 * done record by record.
 */
export function applyTraceKeys(keys: TraceKeys): () => void {
  logger.appendKeys({ ...keys });
  for (const name of ANNOTATED) {
    const value = keys[name];
    if (value !== undefined) tracer.putAnnotation(name, value);
  }
  return () => logger.removeKeys(Object.keys(keys));
}

import type { z } from 'zod';
import { InvalidEventError } from '../messaging/errors';
import { describeIssues } from '../validation/issues';
import { type Envelope, EnvelopeSchema } from './envelope';
import { OrderCreatedDataSchema } from './schemas/order-created';

/** Every event type on the bus, by type and version, with the schema of its `data`. */
const CATALOG = {
  'order.created': { '1.0': OrderCreatedDataSchema },
} as const satisfies Record<string, Record<string, z.ZodType>>;

type Catalog = typeof CATALOG;
export type EventType = keyof Catalog;

/** An envelope whose `data` has been checked against the schema of its type and version. */
export type KnownEnvelope = {
  [T in EventType]: Envelope<z.output<Catalog[T][keyof Catalog[T]]>> & { readonly type: T };
}[EventType];

export class UnknownEventTypeError extends InvalidEventError {
  constructor(type: string) {
    super(`Unknown event type "${type}"`, 'UNKNOWN_EVENT_TYPE');
  }
}

export class UnsupportedEventVersionError extends InvalidEventError {
  constructor(type: string, version: string, supported: readonly string[]) {
    super(
      `Event ${type} version ${version} is not supported (supported: ${supported.join(', ')})`,
      'UNSUPPORTED_EVENT_VERSION',
    );
  }
}

function isEventType(type: string): type is EventType {
  return Object.hasOwn(CATALOG, type);
}

/** Validates the envelope, then its `data` with the schema of its type and version. Never guesses. */
export function parseEventDetail(detail: unknown): KnownEnvelope {
  const envelope = EnvelopeSchema.safeParse(detail);
  if (!envelope.success)
    throw new InvalidEventError(`Invalid event envelope: ${describeIssues(envelope.error)}`);
  const { type, version } = envelope.data;
  if (!isEventType(type)) throw new UnknownEventTypeError(type);
  const versions: Readonly<Record<string, z.ZodType>> = CATALOG[type];
  const schema = versions[version];
  if (!schema) throw new UnsupportedEventVersionError(type, version, Object.keys(versions));
  const data = schema.safeParse(envelope.data.data);
  if (!data.success) {
    throw new InvalidEventError(`Invalid ${type} ${version} event: ${describeIssues(data.error, ['data'])}`);
  }
  return { ...envelope.data, data: data.data } as KnownEnvelope;
}

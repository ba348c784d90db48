import type { z } from 'zod';
import { InvalidEventError } from '../messaging/errors';
import { describeIssues } from '../validation/issues';
import { type Envelope, EnvelopeSchema } from './envelope';
import { CustomerUpdatedDataSchema } from './schemas/customer-updated';
import { EmailBouncedDataSchema, EmailDroppedDataSchema } from './schemas/email-events';
import {
  OrderCreatedDataSchema,
  OrderCreatedDataV1_0Schema,
  OrderCreatedDataV1_1Schema,
  upcastOrderCreatedV1_0,
  upcastOrderCreatedV1_1,
} from './schemas/order-created';
import {
  NotificationFailedDataSchema,
  OrderCompletedDataSchema,
  OrderFailedDataSchema,
} from './schemas/order-outcomes';
import {
  PaymentFailedDataSchema,
  PaymentRefundedDataSchema,
  PaymentSucceededDataSchema,
} from './schemas/payment-events';
import { type EventVersions, eventVersions } from './versions';

/**
 * Every event type on the bus, with the schema of its `data` in each supported version and the
 * upcasters between them. To add a minor, append `.next(version, schema, upcaster)` to its chain.
 */
const CATALOG = {
  'order.created': eventVersions('order.created', '1.0', OrderCreatedDataV1_0Schema)
    .next('1.1', OrderCreatedDataV1_1Schema, upcastOrderCreatedV1_0)
    .next('1.2', OrderCreatedDataSchema, upcastOrderCreatedV1_1),
  'order.completed': eventVersions('order.completed', '1.0', OrderCompletedDataSchema),
  'order.failed': eventVersions('order.failed', '1.0', OrderFailedDataSchema),
  'notification.failed': eventVersions('notification.failed', '1.0', NotificationFailedDataSchema),
  'customer.updated': eventVersions('customer.updated', '1.0', CustomerUpdatedDataSchema),
  'payment.succeeded': eventVersions('payment.succeeded', '1.0', PaymentSucceededDataSchema),
  'payment.failed': eventVersions('payment.failed', '1.0', PaymentFailedDataSchema),
  'payment.refunded': eventVersions('payment.refunded', '1.0', PaymentRefundedDataSchema),
  'email.bounced': eventVersions('email.bounced', '1.0', EmailBouncedDataSchema),
  'email.dropped': eventVersions('email.dropped', '1.0', EmailDroppedDataSchema),
} as const;

type Catalog = typeof CATALOG;
export type EventType = keyof Catalog;

type LatestData<T extends EventType> = Catalog[T] extends EventVersions<infer S> ? z.output<S> : never;

/** An envelope checked against the schema of its type and version, upcast to the newest version. */
export type KnownEnvelope = {
  [T in EventType]: Envelope<LatestData<T>> & { readonly type: T };
}[EventType];

export type EnvelopeOf<T extends EventType> = Extract<KnownEnvelope, { readonly type: T }>;

export class UnknownEventTypeError extends InvalidEventError {
  constructor(type: string) {
    super(`Unknown event type "${type}"`, 'UNKNOWN_EVENT_TYPE');
  }
}

export class UnsupportedEventVersionError extends InvalidEventError {
  /** `newerMinorsOf`: the major whose newer minors are read too (consumers), if any. */
  constructor(type: string, version: string, supported: readonly string[], newerMinorsOf?: number) {
    const newer = newerMinorsOf === undefined ? '' : ` and newer ${newerMinorsOf}.x minors`;
    super(
      `Event ${type} version ${version} is not supported (supported: ${supported.join(', ')}${newer})`,
      'UNSUPPORTED_EVENT_VERSION',
    );
  }
}

function chainOf(type: string): EventVersions {
  if (!Object.hasOwn(CATALOG, type)) throw new UnknownEventTypeError(type);
  return CATALOG[type as EventType];
}

function supportedVersions(chain: EventVersions): string[] {
  return chain.versions.map((entry) => entry.version);
}

/** The version producers of `type` publish: the newest in the catalog. */
export function latestVersion(type: EventType): string {
  return CATALOG[type].latest.version;
}

/**
 * Validates the envelope, then its `data` with the schema of the version received (a newer minor
 * of a supported major with the newest known schema), and upcasts it to the newest version.
 */
export function parseEventDetail(detail: unknown): KnownEnvelope {
  const envelope = EnvelopeSchema.safeParse(detail);
  if (!envelope.success)
    throw new InvalidEventError(`Invalid event envelope: ${describeIssues(envelope.error)}`);
  const { type, version } = envelope.data;
  const chain = chainOf(type);
  const reader = chain.resolve(version);
  if (!reader) throw new UnsupportedEventVersionError(type, version, supportedVersions(chain), chain.major);
  const data = reader.schema.safeParse(envelope.data.data);
  if (!data.success) {
    const readAs = reader.version === version ? '' : ` (read as ${reader.version})`;
    throw new InvalidEventError(
      `Invalid ${type} ${version} event${readAs}: ${describeIssues(data.error, ['data'])}`,
    );
  }
  const upcast = chain.upcast(reader, data.data);
  return { ...envelope.data, version: chain.latest.version, data: upcast } as KnownEnvelope;
}

/** Checks `data` against exactly this type and version: a producer publishes only what it knows. */
export function validateEventData(type: string, version: string, data: unknown): void {
  const chain = chainOf(type);
  const entry = chain.exact(version);
  if (!entry) throw new UnsupportedEventVersionError(type, version, supportedVersions(chain));
  const result = entry.schema.safeParse(data);
  if (!result.success) {
    throw new InvalidEventError(
      `Invalid ${type} ${version} event: ${describeIssues(result.error, ['data'])}`,
    );
  }
}

/** The envelope, narrowed to the one type a consumer handles; any other is dead-lettered with the reason. */
export function requireEventType<T extends EventType>(envelope: KnownEnvelope, type: T): EnvelopeOf<T> {
  if (envelope.type !== type) {
    throw new InvalidEventError(`Expected event type ${type}, got ${envelope.type}`, 'UNEXPECTED_EVENT_TYPE');
  }
  return envelope as EnvelopeOf<T>;
}

/** Every version of every type with its zod schema: what `specs/schemas` is generated from. */
export function catalogSchemaSources(): { type: string; version: string; schema: z.ZodType }[] {
  return Object.values(CATALOG).flatMap((chain: EventVersions) =>
    chain.versions.map((entry) => ({ type: chain.type, version: entry.version, schema: entry.schema })),
  );
}

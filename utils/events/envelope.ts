import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';

export const EnvelopeMetadataSchema = z.object({
  correlation_id: z.string().min(1).max(128),
  causation_id: z.string().min(1).max(128),
  user_id: z.string().min(1).max(128).optional(),
});

/** The `detail` of every event on the bus. `data` is checked by the event's own schema (see catalog). */
export const EnvelopeSchema = z.object({
  id: z.string().min(1).max(128),
  type: z
    .string()
    .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'Expected a dotted type such as order.created'),
  version: z.string().regex(/^\d+\.\d+$/, 'Expected major.minor, such as 1.0'),
  timestamp: z.iso.datetime({ offset: true }),
  source: z.string().min(1).max(256),
  data: z.unknown(),
  metadata: EnvelopeMetadataSchema,
});

export type EnvelopeMetadata = z.infer<typeof EnvelopeMetadataSchema>;

export interface Envelope<TData = unknown> {
  readonly id: string;
  readonly type: string;
  readonly version: string;
  readonly timestamp: string;
  readonly source: string;
  readonly data: TData;
  readonly metadata: EnvelopeMetadata;
}

export interface NewEnvelope<TData> {
  readonly type: string;
  readonly version: string;
  readonly source: string;
  readonly data: TData;
  readonly metadata: EnvelopeMetadata;
  /** @default `evt-` and a random UUID */
  readonly id?: string;
  readonly now?: () => Date;
}

export function createEnvelope<TData>(event: NewEnvelope<TData>): Envelope<TData> {
  return {
    id: event.id ?? `evt-${randomUUID()}`,
    type: event.type,
    version: event.version,
    timestamp: (event.now ?? (() => new Date()))().toISOString(),
    source: event.source,
    data: event.data,
    metadata: event.metadata,
  };
}

/**
 * A UUID derived from a name (RFC 9562 version 8, from SHA-256): the same name always gives
 * the same id, so work redone for the same request carries the same identity downstream.
 */
export function nameBasedUuid(name: string): string {
  const bytes = createHash('sha256').update(name).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

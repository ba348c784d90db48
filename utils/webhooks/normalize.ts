import type { z } from 'zod';
import { type EventType, latestVersion } from '../events/catalog';
import { createEnvelope, type Envelope, type EnvelopeMetadata, nameBasedUuid } from '../events/envelope';
import { CORRELATION_ID } from '../http/correlation';
import { InvalidWebhookBodyError } from './errors';

/** Parses with a zod schema; a failure is an INVALID_BODY naming every failing field. */
export function parseProviderPayload<T extends z.ZodType>(
  subject: string,
  schema: T,
  value: unknown,
): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw InvalidWebhookBodyError.fromIssues(subject, result.error.issues);
  return result.data;
}

/**
 * The metadata of an event caused by a provider event: the provider event id as causation, and the
 * correlation id Junction gave the provider (echoed in charge metadata or mail custom arguments)
 * when usable; else one derived from the provider event, so a redelivery gets the same.
 */
export function providerEventMetadata(
  provider: string,
  providerEventId: string,
  echoedCorrelationId: string | undefined,
): EnvelopeMetadata {
  const usable = echoedCorrelationId !== undefined && CORRELATION_ID.test(echoedCorrelationId);
  return {
    correlation_id: usable
      ? echoedCorrelationId
      : nameBasedUuid(`webhook-correlation:${provider}:${providerEventId}`),
    causation_id: providerEventId,
  };
}

export interface ProviderEnvelopeInput<TData> {
  readonly provider: string;
  readonly providerEventId: string;
  readonly type: EventType;
  readonly source: string;
  readonly data: TData;
  /** What the provider echoed back as Junction's correlation id (charge metadata, mail custom argument); any type. */
  readonly echoedCorrelationId?: unknown;
  readonly now: () => Date;
}

/**
 * The envelope (newest version of its type) for a provider event. Its id derives from the provider event id: a
 * provider event published twice (a redelivery after the idempotency record expired) keeps one identity.
 */
export function providerEnvelope<TData>(input: ProviderEnvelopeInput<TData>): Envelope<TData> {
  return createEnvelope({
    id: `evt-${nameBasedUuid(`webhook:${input.provider}:${input.providerEventId}`)}`,
    type: input.type,
    version: latestVersion(input.type),
    source: input.source,
    data: input.data,
    metadata: providerEventMetadata(
      input.provider,
      input.providerEventId,
      typeof input.echoedCorrelationId === 'string' ? input.echoedCorrelationId : undefined,
    ),
    now: input.now,
  });
}

/** Unix seconds as an ISO 8601 timestamp. */
export function isoFromUnixSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/** A string that fits an optional event field, else nothing: the field is left out rather than the event refused. */
export function optionalId(value: unknown, maxLength = 128): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength ? value : undefined;
}

import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context } from 'aws-lambda';
import type { Envelope } from '../events/envelope';
import type { EventPublisher } from '../events/publisher';
import { RequestInProgressError } from '../http/errors';
import { logger } from '../observability/powertools';
import { InvalidWebhookBodyError } from './errors';
import { type SignedDelivery, webhookProvider } from './providers';
import type { ReceivedEvent, SigningSecretSource, WebhookProviderName } from './types';

export interface WebhookDelivery extends SignedDelivery {
  /** The `{provider}` path parameter. */
  readonly provider: string | undefined;
}

export interface EventOutcome {
  readonly provider_event_id: string;
  readonly provider_type: string;
  /** published now; duplicate: published by an earlier delivery of the same event; ignored: not consumed. */
  readonly outcome: 'published' | 'duplicate' | 'ignored';
  /** The Junction event's id and type, when one was published. */
  readonly event_id?: string;
  readonly type?: string;
}

export interface ReceivedWebhook {
  readonly provider: WebhookProviderName;
  /** The provider's id of the delivery's (first) event. */
  readonly event_id: string;
  readonly events: readonly EventOutcome[];
}

export interface WebhookReceiverDependencies {
  readonly publisher: EventPublisher;
  readonly persistenceStore: BasePersistenceLayer;
  readonly secrets: SigningSecretSource;
  readonly now?: () => Date;
  /** @default SIGNATURE_TOLERANCE_SECONDS (300) */
  readonly toleranceSeconds?: number;
  /** How long a provider event id is remembered; longer than any provider retries. @default 7 days */
  readonly keyLifetimeSeconds?: number;
}

/** What the idempotent step receives; only `key` is hashed. */
interface IdempotentPayload {
  readonly key: string;
  readonly envelope: Envelope;
  readonly run: { executed: boolean };
}

type Published = { readonly event_id: string; readonly type: string };

function parseJson(rawBody: Buffer): unknown {
  if (rawBody.length === 0) throw new InvalidWebhookBodyError('The body is empty');
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'unreadable';
    throw new InvalidWebhookBodyError(`The body is not valid JSON: ${reason}`);
  }
}

/**
 * Receives a provider's webhook delivery: checks the signature over the raw body with the
 * provider's current or previous secret, reads and normalises its events, and publishes each
 * consumed event once per provider event id (a redelivery publishes nothing new). Nothing reaches
 * the bus before the signature is verified and the whole body is read.
 */
export class WebhookReceiver {
  private readonly config: IdempotencyConfig;
  private readonly publishOnce: (payload: IdempotentPayload) => Promise<Published>;
  private readonly now: () => Date;

  constructor(private readonly deps: WebhookReceiverDependencies) {
    this.now = deps.now ?? (() => new Date());
    this.config = new IdempotencyConfig({
      eventKeyJmesPath: 'key',
      expiresAfterSeconds: deps.keyLifetimeSeconds ?? 7 * 24 * 60 * 60,
      throwOnNoIdempotencyKey: true,
    });
    this.publishOnce = makeIdempotent((payload: IdempotentPayload) => this.publish(payload), {
      persistenceStore: deps.persistenceStore,
      config: this.config,
    });
  }

  async receive(delivery: WebhookDelivery, context: Context): Promise<ReceivedWebhook> {
    const provider = webhookProvider(delivery.provider);
    const secrets = await this.deps.secrets.secretsFor(provider.name);
    provider.verify(delivery, secrets, { now: this.now, toleranceSeconds: this.deps.toleranceSeconds });
    const events = provider.read(parseJson(delivery.rawBody), this.now);
    this.config.registerLambdaContext(context);
    const outcomes: EventOutcome[] = [];
    // One at a time, in the provider's order: a failure stops here, and the provider's retry
    // finds the events before it already done.
    for (const event of events) outcomes.push(await this.handle(provider.name, event));
    return { provider: provider.name, event_id: events[0]?.providerEventId ?? '', events: outcomes };
  }

  private async handle(provider: WebhookProviderName, event: ReceivedEvent): Promise<EventOutcome> {
    const received = { provider_event_id: event.providerEventId, provider_type: event.providerType };
    if (!event.envelope) {
      logger.info('Webhook event ignored: Junction does not consume this type', {
        provider,
        ...received,
      });
      return { ...received, outcome: 'ignored' };
    }
    const run = { executed: false };
    try {
      const published = await this.publishOnce({
        key: `${provider}#${event.providerEventId}`,
        envelope: event.envelope,
        run,
      });
      return { ...received, outcome: run.executed ? 'published' : 'duplicate', ...published };
    } catch (error) {
      if (error instanceof IdempotencyAlreadyInProgressError) throw new RequestInProgressError();
      throw error;
    }
  }

  private async publish(payload: IdempotentPayload): Promise<Published> {
    payload.run.executed = true;
    await this.deps.publisher.publish(payload.envelope);
    return { event_id: payload.envelope.id, type: payload.envelope.type };
  }
}

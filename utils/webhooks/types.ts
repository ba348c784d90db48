import type { Envelope } from '../events/envelope';

/** One event of a provider's delivery, read and normalised. */
export interface ReceivedEvent {
  /** The provider's event id: the idempotency key, and the causation id of what Junction publishes. */
  readonly providerEventId: string;
  /** The provider's event type (`charge.succeeded`, `bounce`). */
  readonly providerType: string;
  /** The Junction event to publish; absent for a type Junction does not consume. */
  readonly envelope?: Envelope;
}

/** The providers Junction receives webhooks from, as named in `POST /v1/webhooks/{provider}`. */
export const WEBHOOK_PROVIDERS = ['payment', 'email'] as const;
export type WebhookProviderName = (typeof WEBHOOK_PROVIDERS)[number];

/** Where a provider's signing secrets come from: the current one first, then the previous during a rotation. */
export interface SigningSecretSource {
  secretsFor(provider: WebhookProviderName): Promise<readonly string[]>;
}

import { header } from '../http/request';
import {
  type SignatureCheckOptions,
  verifySendGridSignature,
  verifyStripeSignature,
} from '../security/webhook-signature';
import { readEmailEvents } from './email';
import { UnknownProviderError } from './errors';
import { readPaymentEvents } from './payment';
import { type ReceivedEvent, WEBHOOK_PROVIDERS, type WebhookProviderName } from './types';

/** A delivery as it arrived: the raw bytes are what the provider signed. */
export interface SignedDelivery {
  readonly headers?: Readonly<Record<string, string | undefined>> | null;
  readonly rawBody: Buffer;
}

/** How Junction receives one provider's webhooks: its signature scheme and its event format. */
export interface WebhookProvider {
  readonly name: WebhookProviderName;
  /** Throws InvalidSignatureError or StaleSignatureTimestampError. */
  verify(delivery: SignedDelivery, secrets: readonly string[], options: SignatureCheckOptions): void;
  /** The events of a parsed body, normalised; throws InvalidWebhookBodyError. */
  read(body: unknown, now: () => Date): ReceivedEvent[];
}

const PROVIDERS: Readonly<Record<WebhookProviderName, WebhookProvider>> = {
  payment: {
    name: 'payment',
    verify: (delivery, secrets, options) =>
      verifyStripeSignature(delivery.rawBody, header(delivery, 'Stripe-Signature'), secrets, options),
    read: readPaymentEvents,
  },
  email: {
    name: 'email',
    verify: (delivery, secrets, options) =>
      verifySendGridSignature(
        delivery.rawBody,
        {
          signature: header(delivery, 'X-Twilio-Email-Event-Webhook-Signature'),
          timestamp: header(delivery, 'X-Twilio-Email-Event-Webhook-Timestamp'),
        },
        secrets,
        options,
      ),
    read: readEmailEvents,
  },
};

/** The provider named in the path, exactly; any other name is UNKNOWN_PROVIDER. */
export function webhookProvider(name: string | undefined): WebhookProvider {
  const known = WEBHOOK_PROVIDERS as readonly string[];
  if (name === undefined || !known.includes(name)) throw new UnknownProviderError(String(name), known);
  return PROVIDERS[name as WebhookProviderName];
}

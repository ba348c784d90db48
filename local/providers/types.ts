/** Public types of the third-party sandboxes (payment, email, CRM, analytics) of the local cloud. */

export type ProviderName = 'payment' | 'email' | 'crm' | 'analytics';

export interface ProviderFaults {
  /** 0..1: share of requests answered with `errorStatus`. */
  readonly errorRate: number;
  /** The status of an injected error. @default 503 */
  readonly errorStatus: number;
  /** Added before answering. @default 0 */
  readonly latencyMs: number;
  /** 0..1: share of requests never answered (the socket stays open until the client gives up or the server stops). */
  readonly timeoutRate: number;
}

/** One problem the analytics validation found (the GA4 validation server's shape). */
export interface AnalyticsValidationMessage {
  readonly fieldPath: string;
  readonly description: string;
  readonly validationCode: string;
}

export interface SandboxCall {
  readonly id: string;
  readonly provider: ProviderName;
  readonly method: string;
  /** Path and query; the value of `api_secret` is replaced by `redacted`. */
  readonly path: string;
  readonly status: number | 'timeout';
  readonly durationMs: number;
  readonly at: string;
  readonly idempotencyKey?: string;
  /** The caller's `X-Correlation-Id`, to follow one request into the provider's calls. */
  readonly correlationId?: string;
  readonly fault?: 'error' | 'timeout' | 'latency';
  /** Parsed JSON (the raw text when it is not JSON); secrets (Authorization, api_secret) never recorded. */
  readonly requestBody: unknown;
  readonly responseBody: unknown;
  /** Payment: the answer is a stored one, replayed for a repeated Idempotency-Key. */
  readonly replayed?: boolean;
  /** Analytics: whether the payload was valid, since /mp/collect answers 204 either way. */
  readonly validation?: { readonly valid: boolean; readonly messages: readonly AnalyticsValidationMessage[] };
}

/** One attempt at delivering a webhook event. */
export interface WebhookDelivery {
  readonly id: string;
  /** The event id (`evt_…` for payment, the SendGrid `sg_event_id` of the first event for email). */
  readonly eventId: string;
  readonly type: string;
  readonly url: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** The receiver's status, or 'error' when it could not be reached or did not answer in time. */
  readonly status: number | 'error';
  readonly delivered: boolean;
  readonly error?: string;
  readonly at: string;
  readonly durationMs: number;
  readonly payload: unknown;
}

export interface SandboxProvider {
  readonly name: ProviderName;
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  calls(): readonly SandboxCall[];
  faults(): ProviderFaults;
  /** Throws a RangeError for an invalid value. */
  setFaults(faults: Partial<ProviderFaults>): void;
  /** Clears calls, stored objects (charges, contacts, idempotency keys, webhook deliveries) and faults. */
  reset(): void;
}

/** A sandbox that sends signed webhooks (payment events, email events). */
export interface WebhookSandbox extends SandboxProvider {
  webhookDeliveries(): readonly WebhookDelivery[];
  /** Resolves once no delivery is in flight or waiting for a retry. */
  webhooksIdle(): Promise<void>;
}

export interface PaymentSandbox extends WebhookSandbox {}
export interface EmailSandbox extends WebhookSandbox {}

export interface WebhookTarget {
  readonly url: string;
  readonly secret: string;
}

export interface SandboxProvidersOptions {
  /** Loopback only. @default '127.0.0.1' */
  readonly host?: string;
  /** 0 or absent: a free port. */
  readonly ports?: Partial<Record<ProviderName, number>>;
  /** The API key/secret each sandbox accepts. */
  readonly credentials: Readonly<Record<ProviderName, string>>;
  /**
   * Instead of its credential, the keys a sandbox accepts, read at each request: a rotated key works at
   * once, and the keys still listed (the previous one, during a rotation) keep working.
   */
  readonly keys?: Partial<Record<ProviderName, () => readonly string[]>>;
  readonly webhooks?: { readonly payment?: WebhookTarget; readonly email?: WebhookTarget };
  /** For deterministic fault tests. @default Math.random */
  readonly random?: () => number;
  /** Multiplies webhook retry delays. @default 1 */
  readonly timeScale?: number;
  /** Epoch milliseconds, for timestamps and the 24 h life of idempotency keys. @default Date.now */
  readonly now?: () => number;
}

export interface SandboxProviders {
  readonly payment: PaymentSandbox;
  readonly email: EmailSandbox;
  readonly crm: SandboxProvider;
  readonly analytics: SandboxProvider;
  all(): readonly SandboxProvider[];
  /** Closes servers, including hung sockets, and cancels pending webhook retries. */
  stop(): Promise<void>;
}

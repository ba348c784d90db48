import { createHmac } from 'node:crypto';
import type { WebhookDelivery, WebhookTarget } from './types';

/** Headers that sign one delivery of `rawBody`, made at `timestamp` (unix seconds). */
export type WebhookSigner = (rawBody: string, secret: string, timestamp: number) => Record<string, string>;

/**
 * Stripe's scheme: `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed
 * with the endpoint secret. Each attempt is signed anew, so a retry carries a fresh timestamp.
 */
export const signStripe: WebhookSigner = (rawBody, secret, timestamp) => ({
  'Stripe-Signature': `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`,
});

/**
 * SendGrid's signed event webhook, with a shared secret in place of its key pair: SendGrid signs
 * `<timestamp><raw body>` (no separator) with ECDSA P-256 and sends the base64 signature and the
 * timestamp in the two headers below. Here the same bytes are signed with HMAC-SHA256 keyed with the
 * configured secret, base64-encoded, so a receiver verifies it the way it verifies the payment webhook.
 */
export const signSendGrid: WebhookSigner = (rawBody, secret, timestamp) => ({
  'X-Twilio-Email-Event-Webhook-Timestamp': String(timestamp),
  'X-Twilio-Email-Event-Webhook-Signature': createHmac('sha256', secret)
    .update(`${timestamp}${rawBody}`)
    .digest('base64'),
});

export interface WebhookSenderOptions {
  readonly target: WebhookTarget;
  readonly sign: WebhookSigner;
  readonly userAgent: string;
  /** Multiplies the retry delays. */
  readonly timeScale: number;
  readonly now: () => number;
  /** @default 5 */
  readonly maxAttempts?: number;
  /** The first retry waits this long, each next one twice as long (before timeScale). @default 1000 */
  readonly baseDelayMs?: number;
  /** How long a receiver may take to answer. @default 10000 */
  readonly timeoutMs?: number;
}

interface OutgoingEvent {
  readonly eventId: string;
  readonly type: string;
  readonly payload: unknown;
  readonly rawBody: string;
}

/** Delivers signed events to one endpoint, retrying failures with exponential backoff, and records each attempt. */
export class WebhookSender {
  private readonly records: WebhookDelivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private waiters: (() => void)[] = [];
  private pending = 0;
  private sequence = 0;
  /** Bumped by reset and stop, so that an attempt already in flight does not record into the new state. */
  private generation = 0;
  private aborter = new AbortController();
  private stopped = false;

  constructor(private readonly options: WebhookSenderOptions) {}

  send(eventId: string, type: string, payload: unknown): void {
    if (this.stopped) return;
    this.pending += 1;
    this.schedule({ eventId, type, payload, rawBody: JSON.stringify(payload) }, 1, 0);
  }

  deliveries(): readonly WebhookDelivery[] {
    return [...this.records];
  }

  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Forgets deliveries and cancels every pending one. */
  reset(): void {
    this.generation += 1;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.aborter.abort();
    this.aborter = new AbortController();
    this.records.length = 0;
    this.pending = 0;
    this.wakeWaiters();
  }

  stop(): void {
    this.stopped = true;
    this.reset();
  }

  private schedule(event: OutgoingEvent, attempt: number, delayMs: number): void {
    const generation = this.generation;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(event, attempt, generation);
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(event: OutgoingEvent, attempt: number, generation: number): Promise<void> {
    const { target, sign, now, userAgent } = this.options;
    const at = new Date(now()).toISOString();
    const started = performance.now();
    let status: number | 'error';
    let error: string | undefined;
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': userAgent,
          ...sign(event.rawBody, target.secret, Math.floor(now() / 1000)),
        },
        body: event.rawBody,
        redirect: 'manual',
        signal: AbortSignal.any([this.aborter.signal, AbortSignal.timeout(this.options.timeoutMs ?? 10_000)]),
      });
      await response.arrayBuffer();
      status = response.status;
    } catch (cause) {
      status = 'error';
      error = describeError(cause);
    }
    if (generation !== this.generation) return;
    const delivered = typeof status === 'number' && status >= 200 && status < 300;
    this.sequence += 1;
    this.records.push(
      Object.freeze({
        id: `whd_${this.sequence}`,
        eventId: event.eventId,
        type: event.type,
        url: target.url,
        attempt,
        status,
        delivered,
        ...(error === undefined ? {} : { error }),
        at,
        durationMs: Math.round(performance.now() - started),
        payload: event.payload,
      }),
    );
    if (!delivered && attempt < (this.options.maxAttempts ?? 5)) {
      this.schedule(event, attempt + 1, this.retryDelay(attempt));
      return;
    }
    this.pending -= 1;
    if (this.pending === 0) this.wakeWaiters();
  }

  private retryDelay(attempt: number): number {
    return (this.options.baseDelayMs ?? 1000) * 2 ** (attempt - 1) * this.options.timeScale;
  }

  private wakeWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

function describeError(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  // fetch reports "fetch failed" and keeps the reason (ECONNREFUSED, a timeout) in `cause`.
  const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
  return `${cause.message}${inner}`;
}

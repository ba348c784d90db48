import type { Dispatcher } from 'undici-types';
import type { HttpMethod } from '../contracts/contract';
import { type CircuitBreakerHook, passThroughBreaker, type ResiliencePolicy } from '../resilience/policies';
import { type BodyEncoding, CONTENT_TYPES, codeAt, decodeBody, encodeBody } from './client-body';
import { ProviderError, ProviderNetworkError } from './client-errors';
import { parseRetryAfter } from './client-retry';

/**
 * The one outbound HTTP client of the connectors: Node's fetch (undici), under a resilience policy per
 * endpoint (retries, backoff, timeout, rate limit) and a circuit breaker around the whole retried call.
 * Node's global dispatcher keeps connections alive across calls and across warm invocations; pass a
 * tuned `dispatcher` to change that. Every mutating call carries the caller's Idempotency-Key, the
 * same on every retry, so that a retried charge is never a second charge.
 */

export interface HttpClientOptions {
  /** For errors and messages. */
  readonly provider: string;
  readonly baseUrl: string;
  /** Dotted paths to the provider's error code in its error bodies; the first found wins. */
  readonly errorCodePaths?: readonly string[];
  readonly breaker?: CircuitBreakerHook;
  /** @default 'Junction/1.0' */
  readonly userAgent?: string;
  /** For Retry-After dates. @default Date.now */
  readonly now?: () => number;
  readonly dispatcher?: Dispatcher;
}

export interface HttpRequest {
  readonly method: HttpMethod;
  /** Appended to the base URL, placeholders already filled. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** @default 'json' */
  readonly encoding?: BodyEncoding;
  /** Required for POST, PUT, PATCH and DELETE: stable for one business operation. */
  readonly idempotencyKey?: string;
  /** Sent as X-Correlation-Id, so the provider's logs and Junction's meet. */
  readonly correlationId?: string;
  readonly policy: ResiliencePolicy;
  /** @default any 2xx */
  readonly successStatus?: readonly number[];
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON, text, or undefined when empty. */
  readonly body: unknown;
  /** Which attempt answered (1 for the first). */
  readonly attempts: number;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Failures before a connection opened: the provider never saw the request. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export class HttpClient {
  private readonly baseUrl: string;
  private readonly breaker: CircuitBreakerHook;
  private readonly now: () => number;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.breaker = options.breaker ?? passThroughBreaker;
    this.now = options.now ?? Date.now;
  }

  async request(request: HttpRequest): Promise<HttpResponse> {
    if (MUTATING.has(request.method) && !request.idempotencyKey) {
      throw new TypeError(`${request.method} ${request.path} needs an idempotency key`);
    }
    const url = this.urlOf(request);
    const init = this.initOf(request);
    return this.breaker.execute(() =>
      request.policy.execute(
        ({ attempt, signal }) => this.attempt(url, { ...init, signal }, request, attempt),
        request.signal,
      ),
    );
  }

  private urlOf(request: HttpRequest): string {
    const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : '';
    return `${this.baseUrl}${request.path}${query}`;
  }

  private initOf(request: HttpRequest): RequestInit {
    const encoding = request.encoding ?? 'json';
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.options.userAgent ?? 'Junction/1.0',
      ...request.headers,
    };
    if (request.body !== undefined) headers['content-type'] = CONTENT_TYPES[encoding];
    if (request.idempotencyKey) headers['idempotency-key'] = request.idempotencyKey;
    if (request.correlationId) headers['x-correlation-id'] = request.correlationId;
    return {
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: encodeBody(request.body, encoding) }),
      ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
    } as RequestInit;
  }

  private async attempt(
    url: string,
    init: RequestInit,
    request: HttpRequest,
    attempt: number,
  ): Promise<HttpResponse> {
    let status: number;
    let headers: Headers;
    let text: string;
    try {
      const response = await fetch(url, init);
      ({ status, headers } = response);
      text = await response.text();
    } catch (error) {
      if (init.signal?.aborted) throw error;
      const code = (error as { cause?: { code?: unknown } }).cause?.code;
      throw new ProviderNetworkError(this.options.provider, error, { sent: !NOT_SENT.has(String(code)) });
    }
    const body = decodeBody(text, headers.get('content-type'));
    const success = request.successStatus
      ? request.successStatus.includes(status)
      : status >= 200 && status < 300;
    if (success) return { status, headers, body, attempts: attempt };
    const providerCode = codeAt(body, this.options.errorCodePaths ?? []);
    const retryAfterMs = parseRetryAfter(headers.get('retry-after'), this.now());
    throw new ProviderError(this.options.provider, status, {
      body,
      ...(providerCode === undefined ? {} : { providerCode }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
}

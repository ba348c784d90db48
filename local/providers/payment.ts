import {
  bearerToken,
  canonicalJson,
  headerValue,
  type ProviderReply,
  type ProviderRequest,
  randomAlphanumeric,
} from './http-kit';
import { IdempotencyStore } from './idempotency';
import { type Charge, PaymentLedger } from './payment-ledger';
import { StripeError, type StripeErrorDetail } from './payment-params';
import type { ProviderBehaviour, ProviderOptions } from './sandbox-server';

/** The API version the sandbox's objects and events follow. */
const API_VERSION = '2024-06-20';
const MAX_IDEMPOTENCY_KEY = 255;

interface Outcome {
  readonly reply: ProviderReply;
  /** Whether the endpoint ran, so that Stripe would keep the result for the idempotency key. */
  readonly executed: boolean;
}

/** A Stripe-like payment API: charges, refunds, idempotency keys, signed charge events. */
export function paymentBehaviour(options: ProviderOptions): ProviderBehaviour {
  const ledger = new PaymentLedger(options.now);
  const keys = new IdempotencyStore(options.now);

  const emit = (
    type: 'charge.succeeded' | 'charge.refunded',
    charge: Charge,
    requestId: string,
    key?: string,
  ) => {
    const event = {
      id: `evt_${randomAlphanumeric(24)}`,
      object: 'event',
      api_version: API_VERSION,
      created: Math.floor(options.now() / 1000),
      data: { object: charge },
      livemode: false,
      pending_webhooks: 1,
      request: { id: requestId, idempotency_key: key ?? null },
      type,
    };
    options.webhooks?.send(event.id, type, event);
  };

  const execute = (request: ProviderRequest, route: string, requestId: string, key?: string): Outcome => {
    try {
      if (route === 'POST /v1/charges') {
        const charge = ledger.createCharge(request.body);
        return {
          reply: { status: 200, body: charge, after: () => emit('charge.succeeded', charge, requestId, key) },
          executed: true,
        };
      }
      if (route === 'POST /v1/refunds') {
        const { refund, charge } = ledger.createRefund(request.body);
        return {
          reply: { status: 200, body: refund, after: () => emit('charge.refunded', charge, requestId, key) },
          executed: true,
        };
      }
      const [, kind, id = ''] = route.split(/ \/v1\/(charges|refunds)\//);
      return {
        reply: { status: 200, body: kind === 'charges' ? ledger.getCharge(id) : ledger.getRefund(id) },
        executed: true,
      };
    } catch (error) {
      if (!(error instanceof StripeError)) throw error;
      return { reply: stripeError(error.status, error.detail), executed: error.stage === 'execution' };
    }
  };

  const handle = (request: ProviderRequest): ProviderReply => {
    const requestId = `req_${randomAlphanumeric(14)}`;
    const key = headerValue(request.headers, 'idempotency-key');
    const headers = { 'Request-Id': requestId, ...(key === undefined ? {} : { 'Idempotency-Key': key }) };
    const withHeaders = (reply: ProviderReply, extra: Record<string, string> = {}) => ({
      ...reply,
      headers: { ...reply.headers, ...headers, ...extra },
    });
    if (!authorized(request, options.accepts)) {
      return withHeaders(
        stripeError(401, { type: 'invalid_request_error', message: 'Invalid API Key provided' }),
      );
    }
    const route = routeOf(request);
    if (!route) {
      const message = `Unrecognized request URL (${request.method}: ${request.url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`;
      return withHeaders(stripeError(404, { type: 'invalid_request_error', message }));
    }
    // Stripe applies idempotency keys to POST requests only; GET is safe to retry as it is.
    if (key === undefined || request.method !== 'POST')
      return withHeaders(execute(request, route, requestId).reply);
    if (key.length > MAX_IDEMPOTENCY_KEY) {
      const message = `Invalid Idempotency-Key: it must be at most ${MAX_IDEMPOTENCY_KEY} characters long.`;
      return withHeaders(stripeError(400, { type: 'invalid_request_error', message }));
    }
    const endpoint = request.url.pathname;
    const fingerprint = request.body.kind === 'json' ? canonicalJson(request.body.value) : '';
    const seen = keys.lookup(key, endpoint, fingerprint);
    if (seen.kind === 'mismatch')
      return withHeaders(stripeError(400, { type: 'idempotency_error', message: seen.message }));
    if (seen.kind === 'replay')
      return withHeaders({ ...seen.reply, replayed: true }, { 'Idempotent-Replayed': 'true' });
    const outcome = execute(request, route, requestId, key);
    // The stored copy has no `after`: a replay must not send the webhook again.
    if (outcome.executed)
      keys.save(key, endpoint, fingerprint, { status: outcome.reply.status, body: outcome.reply.body });
    return withHeaders(outcome.reply);
  };

  return {
    name: 'payment',
    handle,
    errorReply: paymentFault,
    reset: () => {
      ledger.clear();
      keys.clear();
      options.webhooks?.reset();
    },
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
  };
}

function routeOf(request: ProviderRequest): string | undefined {
  const { method } = request;
  const path = request.url.pathname.replace(/\/+$/, '');
  if (method === 'POST' && (path === '/v1/charges' || path === '/v1/refunds')) return `POST ${path}`;
  if (method === 'GET' && /^\/v1\/(charges|refunds)\/[^/]+$/.test(path))
    return `GET ${decodeURIComponent(path)}`;
  return undefined;
}

/** Stripe takes the secret key as a bearer token or as the user name of basic auth. */
function authorized(request: ProviderRequest, accepts: ProviderOptions['accepts']): boolean {
  const bearer = bearerToken(request.headers);
  if (bearer !== undefined) return accepts(bearer);
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  if (basic === undefined) return false;
  const [user] = Buffer.from(basic, 'base64').toString('utf8').split(':');
  return accepts(user);
}

function stripeError(status: number, detail: StripeErrorDetail): ProviderReply {
  return { status, body: { error: detail } };
}

/** Injected failures in Stripe's shapes: rate limiting, then its generic API error. */
function paymentFault(status: number): ProviderReply {
  if (status === 413) {
    return stripeError(413, {
      type: 'invalid_request_error',
      message: 'Request body too large: the limit is 1 MB.',
    });
  }
  if (status === 429) {
    return stripeError(429, {
      type: 'invalid_request_error',
      code: 'rate_limit',
      message:
        'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.',
    });
  }
  if (status >= 500) {
    return stripeError(status, {
      type: 'api_error',
      message: 'An unexpected error occurred while processing your request (sandbox fault).',
    });
  }
  return stripeError(status, {
    type: 'invalid_request_error',
    message: `The request failed with status ${status} (sandbox fault).`,
  });
}

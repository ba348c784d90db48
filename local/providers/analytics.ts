import { validateCollect } from './analytics-validation';
import type { ProviderReply, ProviderRequest } from './http-kit';
import type { ProviderBehaviour } from './sandbox-server';

export interface AnalyticsOptions {
  /** Whether an api_secret is one of the data stream's. */
  readonly accepts: (key: string | undefined) => boolean;
}

/** Google's canonical status names, for the JSON errors of its front ends. */
const GOOGLE_STATUS: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/**
 * A GA4 Measurement Protocol-like collector. /mp/collect answers 204 whatever it gets, as GA4 does, and
 * the sandbox records whether the payload was valid; /debug/mp/collect answers the validation messages.
 */
export function analyticsBehaviour(options: AnalyticsOptions): ProviderBehaviour {
  const handle = (request: ProviderRequest): ProviderReply => {
    const path = request.url.pathname.replace(/\/+$/, '');
    const debug = path === '/debug/mp/collect';
    if (request.method !== 'POST' || !(debug || path === '/mp/collect')) {
      return googleError(404, `The requested URL ${request.url.pathname} was not found on this server.`);
    }
    const { body } = request;
    if (debug && body.kind === 'malformed') {
      return googleError(400, `Invalid JSON payload received. ${body.message}`);
    }
    const messages =
      body.kind === 'malformed'
        ? [
            {
              fieldPath: '',
              description: `Invalid JSON payload received. ${body.message}`,
              validationCode: 'VALUE_INVALID',
            },
          ]
        : validateCollect(body.kind === 'json' ? body.value : undefined, {
            measurementId: request.url.searchParams.get('measurement_id'),
            apiSecretMatches: options.accepts(request.url.searchParams.get('api_secret') ?? undefined),
            bodyBytes: body.kind === 'json' ? Buffer.byteLength(body.raw) : 0,
          });
    const validation = { valid: messages.length === 0, messages };
    if (debug) return { status: 200, body: { validationMessages: messages }, validation };
    return { status: 204, validation };
  };

  return {
    name: 'analytics',
    handle,
    errorReply: (status) => googleError(status, analyticsFaultMessage(status)),
    reset: () => {},
  };
}

function googleError(status: number, message: string): ProviderReply {
  return { status, body: { error: { code: status, message, status: GOOGLE_STATUS[status] ?? 'UNKNOWN' } } };
}

function analyticsFaultMessage(status: number): string {
  if (status === 413) return 'Request payload size exceeds the limit.';
  if (status === 503) return 'The service is currently unavailable (sandbox fault).';
  return `The request failed with status ${status} (sandbox fault).`;
}

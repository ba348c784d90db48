/**
 * Which errors say that a provider is unwell, and so count towards opening its circuit: a
 * timeout, a network error, a 5xx, or 429 (it sheds load). A provider that answered with any
 * other status is well, even when the answer is bad news (a declined card, a validation error),
 * and an error without a status (a bug in the caller, say) tells nothing about the provider.
 */

const TIMEOUT_NAMES = new Set(['TimeoutError', 'AbortError', 'TaskCancelledError']);

// Node's socket errors and undici's (fetch) transport errors.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

type Inspectable = Record<string, unknown>;

function isInspectable(value: unknown): value is Inspectable {
  return typeof value === 'object' && value !== null;
}

function httpStatus(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599
    ? value
    : undefined;
}

/**
 * The HTTP status an error carries, where the usual clients put it. `providerStatus` first: the
 * HttpClient's errors are JunctionErrors whose `status` is Junction's own answer (a provider's
 * 402 decline is Junction's 502), while `providerStatus` is what the provider said.
 */
function statusOf(error: Inspectable): number | undefined {
  const metadata = isInspectable(error.$metadata) ? error.$metadata : {};
  const response = isInspectable(error.response) ? error.response : {};
  return (
    httpStatus(error.providerStatus) ??
    httpStatus(error.status) ??
    httpStatus(error.statusCode) ??
    httpStatus(metadata.httpStatusCode) ??
    httpStatus(response.status)
  );
}

/** The default `isFailure` of CircuitBreaker. Looks through `cause` (fetch wraps socket errors). */
export function isProviderFailure(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; isInspectable(current) && !seen.has(current); current = current.cause) {
    seen.add(current);
    // An open circuit is our own refusal, not the provider's answer.
    if (current.name === 'CircuitOpenError') return false;
    const status = statusOf(current);
    if (status !== undefined) return status >= 500 || status === 429;
    if (typeof current.name === 'string' && TIMEOUT_NAMES.has(current.name)) return true;
    if (typeof current.code === 'string' && NETWORK_CODES.has(current.code)) return true;
  }
  return false;
}

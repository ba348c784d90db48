import {
  ProviderError,
  ProviderNetworkError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from '../../../utils/http/client-errors';
import { JunctionError } from '../../../utils/http/errors';
import { CircuitOpenError } from '../../../utils/resilience/circuit-breaker';
import { isProviderFailure } from '../../../utils/resilience/circuit-failure';

class HttpStatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

function withCode(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('isProviderFailure', () => {
  it.each([500, 502, 503, 504, 599, 429])(
    'counts HTTP %i: the provider is unwell or shedding load',
    (status) => {
      expect(isProviderFailure(new HttpStatusError(status))).toBe(true);
    },
  );

  it.each([400, 401, 402, 404, 409, 422])('does not count HTTP %i: the provider answered', (status) => {
    expect(isProviderFailure(new HttpStatusError(status))).toBe(false);
  });

  it('reads the status the AWS SDK and other clients put elsewhere', () => {
    expect(isProviderFailure({ statusCode: 503 })).toBe(true);
    expect(isProviderFailure(Object.assign(new Error('x'), { $metadata: { httpStatusCode: 500 } }))).toBe(
      true,
    );
    expect(isProviderFailure({ response: { status: 502 } })).toBe(true);
    expect(isProviderFailure({ statusCode: 402 })).toBe(false);
  });

  it.each(['TimeoutError', 'AbortError', 'TaskCancelledError'])('counts a %s: the call timed out', (name) => {
    const error = new Error('timed out');
    error.name = name;
    expect(isProviderFailure(error)).toBe(true);
  });

  it.each([
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EPIPE',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_SOCKET',
  ])('counts the network error %s', (code) => {
    expect(isProviderFailure(withCode(code))).toBe(true);
  });

  it('finds a network error in the cause, as fetch reports it', () => {
    const fetchFailure = new TypeError('fetch failed', { cause: withCode('ECONNREFUSED') });
    expect(isProviderFailure(fetchFailure)).toBe(true);
  });

  it('reads the errors of Junction’s HttpClient by what the provider said', () => {
    const cause = { attempts: 3 };
    expect(isProviderFailure(new ProviderError('payment', 402, { providerCode: 'card_declined' }))).toBe(
      false,
    );
    expect(isProviderFailure(new ProviderError('payment', 409))).toBe(false);
    expect(isProviderFailure(new ProviderError('payment', 429))).toBe(true);
    expect(isProviderFailure(new ProviderError('payment', 500))).toBe(true);
    expect(
      isProviderFailure(new ProviderNetworkError('payment', withCode('ECONNRESET'), { sent: true })),
    ).toBe(true);
    expect(isProviderFailure(new ProviderUnavailableError('payment', 'still 503', cause))).toBe(true);
    expect(isProviderFailure(new ProviderTimeoutError('payment', 2000, cause))).toBe(true);
  });

  it('counts Junction’s own timeout and upstream failure codes', () => {
    expect(isProviderFailure(new JunctionError('INTEGRATION_TIMEOUT', 'slow'))).toBe(true);
    expect(isProviderFailure(new JunctionError('INTEGRATION_FAILURE', 'bad gateway'))).toBe(true);
  });

  it('does not count business errors, programming errors or a circuit that is already open', () => {
    class PaymentDeclinedError extends Error {
      readonly code = 'card_declined';
    }
    expect(isProviderFailure(new PaymentDeclinedError('declined'))).toBe(false);
    expect(isProviderFailure(new TypeError('x is not a function'))).toBe(false);
    expect(isProviderFailure(new JunctionError('VALIDATION_FAILED', 'bad'))).toBe(false);
    expect(isProviderFailure(new CircuitOpenError('payment', 1000))).toBe(false);
    expect(isProviderFailure(undefined)).toBe(false);
    expect(isProviderFailure('boom')).toBe(false);
  });

  it('stops following a cause chain that loops', () => {
    const looping = new Error('loop') as Error & { cause?: unknown };
    looping.cause = looping;
    expect(isProviderFailure(looping)).toBe(false);
  });
});

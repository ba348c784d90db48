import { type ErrorCode, JunctionError } from './errors';

/**
 * Errors of outbound calls to providers. Each is a JunctionError, so it maps to Junction's own status
 * in one place (a provider's 400 is Junction's 502, never the caller's fault); the provider's own
 * status and error code travel as `providerStatus` and `providerCode`.
 */

/** The provider answered outside the success statuses. */
export class ProviderError extends JunctionError {
  readonly providerStatus: number;
  readonly providerCode?: string;
  /** The provider's error body, for diagnosis: never put in messages or logs whole. */
  readonly body?: unknown;
  /** From `Retry-After`, when the provider sent one. */
  readonly retryAfterMs?: number;

  constructor(
    readonly provider: string,
    status: number,
    details: { providerCode?: string; body?: unknown; retryAfterMs?: number } = {},
  ) {
    const code = details.providerCode === undefined ? '' : ` (${details.providerCode})`;
    super('INTEGRATION_FAILURE', `${provider} answered ${status}${code}`, {
      retryable: status === 429 || status >= 500,
    });
    this.providerStatus = status;
    this.providerCode = details.providerCode;
    this.body = details.body;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** No answer: the connection failed. `sent` is false when it never opened, so the provider cannot have acted. */
export class ProviderNetworkError extends JunctionError {
  readonly sent: boolean;

  constructor(
    readonly provider: string,
    cause: unknown,
    options: { sent: boolean },
  ) {
    super('INTEGRATION_FAILURE', `${provider} could not be reached: ${reasonOf(cause)}`, {
      retryable: true,
      cause,
    });
    this.sent = options.sent;
  }
}

/** The provider is not answering usefully (5xx, 429, no connection), after the retries the contract allows. */
export class ProviderUnavailableError extends JunctionError {
  readonly attempts: number;
  readonly retryAfterMs?: number;

  constructor(
    readonly provider: string,
    message: string,
    options: { attempts: number; cause?: unknown; retryAfterMs?: number },
    code: ErrorCode = 'SERVICE_UNAVAILABLE',
  ) {
    super(code, message, { retryable: true, cause: options.cause });
    this.attempts = options.attempts;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Every attempt ran out of time. A kind of unavailability, so one catch handles both. */
export class ProviderTimeoutError extends ProviderUnavailableError {
  constructor(
    provider: string,
    readonly timeoutMs: number,
    options: { attempts: number; cause?: unknown },
  ) {
    super(provider, `${provider} did not answer within ${timeoutMs} ms`, options, 'INTEGRATION_TIMEOUT');
  }
}

function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Typed errors and the one table that maps error codes to HTTP status codes, for the handlers
 * and for the API Gateway responses alike. `error_code` in the standard error format is the code.
 */
export const ERROR_STATUS = {
  MALFORMED_JSON: 400,
  VALIDATION_FAILED: 400,
  MISSING_IDEMPOTENCY_KEY: 400,
  INVALID_IDEMPOTENCY_KEY: 400,
  INVALID_SIGNATURE: 400,
  STALE_SIGNATURE_TIMESTAMP: 400,
  INVALID_BODY: 400,
  INVALID_AMOUNT: 400,
  INVALID_CURRENCY: 400,
  UNAUTHORIZED: 401,
  TOKEN_EXPIRED: 401,
  PAYMENT_DECLINED: 402,
  FORBIDDEN: 403,
  INVALID_API_KEY: 403,
  REQUEST_BLOCKED: 403,
  ROUTE_NOT_FOUND: 404,
  UNKNOWN_PROVIDER: 404,
  IDEMPOTENCY_KEY_IN_PROGRESS: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  THROTTLED: 429,
  QUOTA_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
  INTEGRATION_FAILURE: 502,
  SERVICE_UNAVAILABLE: 503,
  PROVIDER_UNAVAILABLE: 503,
  EVENT_PUBLISH_FAILED: 503,
  UNHEALTHY: 503,
  INTEGRATION_TIMEOUT: 504,
  PROVIDER_TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** One failing field of a request: its path (`items[0].quantity`) and what is wrong with it. */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

export interface JunctionErrorOptions {
  readonly details?: readonly FieldIssue[];
  /** The client may retry the same request later (it sets `Retry-After`). */
  readonly retryable?: boolean;
  /** When a retryable request may be sent again, for `Retry-After`. @default 1 */
  readonly retryAfterSeconds?: number;
  readonly cause?: unknown;
  /** More fields for the error body, beside the standard ones. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export class JunctionError extends Error {
  readonly details?: readonly FieldIssue[];
  readonly retryable: boolean;
  readonly retryAfterSeconds?: number;
  readonly extra?: Readonly<Record<string, unknown>>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: JunctionErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details;
    this.retryable = options.retryable ?? false;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.extra = options.extra;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export class MalformedJsonError extends JunctionError {
  constructor(message: string) {
    super('MALFORMED_JSON', message);
  }
}

export class RequestValidationError extends JunctionError {
  constructor(issues: readonly FieldIssue[], subject = 'request body') {
    const summary = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
    super('VALIDATION_FAILED', `Invalid ${subject}: ${summary}`, { details: issues });
  }
}

export class PayloadTooLargeError extends JunctionError {
  constructor(actualBytes: number, limitBytes: number) {
    super('PAYLOAD_TOO_LARGE', `Request body is ${actualBytes} bytes; the limit is ${limitBytes} bytes`);
  }
}

export class UnsupportedMediaTypeError extends JunctionError {
  constructor(contentType: string | undefined) {
    super(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type must be application/json, got ${contentType === undefined ? 'none' : `"${contentType}"`}`,
    );
  }
}

export class MissingIdempotencyKeyError extends JunctionError {
  constructor() {
    super('MISSING_IDEMPOTENCY_KEY', 'The Idempotency-Key header is required');
  }
}

export class InvalidIdempotencyKeyError extends JunctionError {
  constructor() {
    super(
      'INVALID_IDEMPOTENCY_KEY',
      'The Idempotency-Key header must be 8 to 255 characters of letters, digits and . _ : - , starting with a letter or digit',
    );
  }
}

export class IdempotencyKeyReusedError extends JunctionError {
  constructor() {
    super(
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used with a different request body; use a new key for a new request',
    );
  }
}

export class RequestInProgressError extends JunctionError {
  constructor() {
    super(
      'IDEMPOTENCY_KEY_IN_PROGRESS',
      'A request with this Idempotency-Key is still being processed; retry shortly',
      { retryable: true },
    );
  }
}

export interface FailedEntry {
  readonly code: string;
  readonly message: string;
}

/** PutEvents accepted the call but rejected entries: the event was not published. */
export class EventPublishError extends JunctionError {
  constructor(
    readonly failedEntries: readonly FailedEntry[],
    options: { cause?: unknown } = {},
  ) {
    const summary = failedEntries.map((entry) => `${entry.code}: ${entry.message}`).join('; ');
    super('EVENT_PUBLISH_FAILED', `The event could not be published (${summary})`, {
      retryable: true,
      cause: options.cause,
    });
  }
}

export class ServiceUnavailableError extends JunctionError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('SERVICE_UNAVAILABLE', message, { retryable: true, cause: options.cause });
  }
}

/** A dependency of the API is down; the body lists every component's state. */
export class UnhealthyError extends JunctionError {
  constructor(downComponents: readonly string[], components: Readonly<Record<string, unknown>>) {
    super('UNHEALTHY', `Unhealthy components: ${downComponents.join(', ')}`, { extra: { components } });
  }
}

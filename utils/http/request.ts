import type { z } from 'zod';
import { fieldPath } from '../validation/issues';
import {
  type FieldIssue,
  InvalidIdempotencyKeyError,
  MalformedJsonError,
  MissingIdempotencyKeyError,
  PayloadTooLargeError,
  RequestValidationError,
  UnsupportedMediaTypeError,
} from './errors';

type Headers = Readonly<Record<string, string | undefined>> | null | undefined;

export interface HasHeaders {
  readonly headers?: Headers;
}

export interface HasBody extends HasHeaders {
  readonly body: string | null;
  readonly isBase64Encoded: boolean;
}

/** A request header by name, whatever case the client sent it in. */
export function header(request: HasHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(request.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

function isJsonMediaType(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json' || (mediaType?.endsWith('+json') ?? false);
}

/** The request body as JSON, after checking its media type and its size in bytes. */
export function readJsonBody(request: HasBody, maxBytes: number): unknown {
  const contentType = header(request, 'Content-Type');
  if (!isJsonMediaType(contentType)) throw new UnsupportedMediaTypeError(contentType);
  if (request.body === null || request.body.length === 0)
    throw new MalformedJsonError('Request body is empty');
  const raw = request.isBase64Encoded
    ? Buffer.from(request.body, 'base64')
    : Buffer.from(request.body, 'utf8');
  if (raw.byteLength > maxBytes) throw new PayloadTooLargeError(raw.byteLength, maxBytes);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'unreadable';
    throw new MalformedJsonError(`Request body is not valid JSON: ${reason}`);
  }
}

/** Parses with a zod schema; a failure names every failing field. */
export function parseWithSchema<T extends z.ZodType>(
  schema: T,
  value: unknown,
  subject = 'request body',
): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((issue) => ({
    field: fieldPath(issue.path),
    message: issue.message,
  }));
  throw new RequestValidationError(issues, subject);
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,254}$/;

/**
 * The `Idempotency-Key` header, bare (`abc`) or as the structured-field string of the IETF
 * draft (`"abc"`).
 */
export function requireIdempotencyKey(request: HasHeaders): string {
  const value = header(request, 'Idempotency-Key')?.trim();
  if (!value) throw new MissingIdempotencyKeyError();
  const unquoted =
    value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  if (!IDEMPOTENCY_KEY.test(unquoted)) throw new InvalidIdempotencyKeyError();
  return unquoted;
}

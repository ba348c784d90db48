import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AnalyticsValidationMessage } from './types';

/** The body limit every sandbox enforces. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Past this much, an oversized upload is cut off instead of drained. */
const MAX_DRAIN_BYTES = 16 * MAX_BODY_BYTES;

export type RequestBody =
  | { readonly kind: 'empty' }
  | { readonly kind: 'json'; readonly value: unknown; readonly raw: string }
  | { readonly kind: 'malformed'; readonly raw: string; readonly message: string }
  | { readonly kind: 'too-large'; readonly bytes: number };

/** A request as a provider sees it: the body is read and parsed up front. */
export interface ProviderRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: RequestBody;
}

/** A provider's answer; `after` runs once the answer is sent (webhooks follow the response, as in life). */
export interface ProviderReply {
  readonly status: number;
  /** JSON; absent for an empty body (202, 204). */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly replayed?: boolean;
  readonly validation?: { readonly valid: boolean; readonly messages: readonly AnalyticsValidationMessage[] };
  readonly after?: () => void;
}

/**
 * Reads the whole body. An oversized body is drained rather than refused mid-upload, so the client
 * gets to read the 413 instead of a reset connection.
 */
export function readBody(req: IncomingMessage): Promise<RequestBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (bytes > MAX_DRAIN_BYTES) req.destroy(new Error('request body far over the limit'));
    });
    req.on('end', () => resolve(bytes > MAX_BODY_BYTES ? { kind: 'too-large', bytes } : parseBody(chunks)));
    req.on('error', reject);
    // A client that leaves mid-upload must not leave the call waiting for ever.
    req.on('close', () => {
      if (!req.complete) reject(new Error('the client closed the request before sending all of it'));
    });
  });
}

function parseBody(chunks: readonly Buffer[]): RequestBody {
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw.trim() === '') return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(raw) as unknown, raw };
  } catch (error) {
    return { kind: 'malformed', raw, message: error instanceof Error ? error.message : String(error) };
  }
}

/** Sends a reply: its body as JSON with its length, or no body at all. */
export function writeReply(
  res: ServerResponse,
  reply: Pick<ProviderReply, 'status' | 'body' | 'headers'>,
): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  const payload = JSON.stringify(reply.body);
  headers['content-type'] = 'application/json; charset=utf-8';
  headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers).end(payload);
}

/** The credential of an `Authorization: Bearer` header. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match?.[1];
}

/** Compares secrets in constant time, so the sandbox does not teach a bad habit. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random letters and digits, the alphabet of Stripe and Salesforce ids. */
export function randomAlphanumeric(length: number): string {
  const bytes = randomBytes(length);
  let text = '';
  // 62 does not divide 256; the slight bias is harmless for ids.
  for (const byte of bytes) text += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return text;
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A deliberately loose address check: one @, no spaces, a dot in the domain. */
export const isEmailAddress = (value: unknown): value is string =>
  typeof value === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);

/** JSON with object keys sorted, so that two requests with the same parameters compare equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    const entries = Object.keys(value)
      .sort()
      .filter((key) => value[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

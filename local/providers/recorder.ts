import type { RequestBody } from './http-kit';
import { isObject } from './http-kit';
import type { ProviderName, SandboxCall } from './types';

/** Query parameters and body fields whose values are secrets: recorded as `redacted`. */
const SECRET_NAMES = new Set(['api_secret', 'authorization', 'password', 'client_secret']);
/** Enough of a malformed body to see what went wrong, not enough to bloat the record. */
const MAX_RAW_CHARS = 2048;
/** A long-running local cloud keeps the newest calls only. */
const MAX_CALLS = 10_000;

export type CallRecord = Omit<SandboxCall, 'id' | 'provider'>;

/** The calls one sandbox received, newest last. Headers are never recorded, so neither is Authorization. */
export class CallRecorder {
  private readonly entries: SandboxCall[] = [];
  private sequence = 0;

  constructor(private readonly provider: ProviderName) {}

  add(record: CallRecord): void {
    this.sequence += 1;
    const call: SandboxCall = { id: `${this.provider}-${this.sequence}`, provider: this.provider, ...record };
    this.entries.push(Object.freeze(call));
    if (this.entries.length > MAX_CALLS) this.entries.shift();
  }

  list(): readonly SandboxCall[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries.length = 0;
  }
}

/** The path and query as recorded: secret parameters keep their name, lose their value. */
export function recordedPath(url: URL): string {
  const pairs = [...url.searchParams].map(
    ([name, value]) =>
      `${encodeURIComponent(name)}=${SECRET_NAMES.has(name.toLowerCase()) ? 'redacted' : encodeURIComponent(value)}`,
  );
  return pairs.length ? `${url.pathname}?${pairs.join('&')}` : url.pathname;
}

/** The request body as recorded: parsed JSON with secrets redacted, or the start of the raw text. */
export function recordedBody(body: RequestBody): unknown {
  switch (body.kind) {
    case 'json':
      return redactSecrets(body.value);
    case 'malformed':
      return body.raw.slice(0, MAX_RAW_CHARS);
    default:
      return null;
  }
}

function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      SECRET_NAMES.has(key.toLowerCase()) ? 'redacted' : redactSecrets(inner),
    ]),
  );
}

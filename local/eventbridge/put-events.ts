import { randomUUID } from 'node:crypto';

/** One entry of a PutEvents request. */
export interface PutEventsEntry {
  readonly Source?: unknown;
  readonly DetailType?: unknown;
  readonly Detail?: unknown;
  readonly EventBusName?: unknown;
  readonly Resources?: unknown;
  readonly Time?: unknown;
  readonly TraceHeader?: unknown;
}

export type EntryResult =
  | { readonly EventId: string }
  | { readonly ErrorCode: string; readonly ErrorMessage: string };

/** EventBridge's size limit for a PutEvents request. */
export const MAX_REQUEST_BYTES = 256 * 1024;
export const MAX_ENTRIES = 10;

/** The size EventBridge counts for an entry (Time counts 14 bytes). */
export function entrySize(entry: PutEventsEntry): number {
  const bytes = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);
  const resources = Array.isArray(entry.Resources)
    ? entry.Resources.reduce((sum: number, resource) => sum + bytes(resource), 0)
    : 0;
  return (
    (entry.Time === undefined ? 0 : 14) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    resources
  );
}

/** `2025-01-15T10:00:00Z`: EventBridge's time has no milliseconds. */
export function eventTime(time: unknown): string | undefined {
  const date =
    time === undefined
      ? new Date()
      : typeof time === 'number'
        ? new Date(time * 1000)
        : new Date(String(time));
  if (Number.isNaN(date.getTime())) return undefined;
  return `${date.toISOString().slice(0, 19)}Z`;
}

export interface EntryContext {
  readonly accountId: string;
  readonly region: string;
  /** The bus named by the entry, when it exists. */
  readonly busExists: (nameOrArn: string) => string | undefined;
}

export type ValidatedEntry =
  | { readonly ok: true; readonly busName: string; readonly event: Record<string, unknown> }
  | { readonly ok: false; readonly error: EntryResult };

const failure = (ErrorCode: string, ErrorMessage: string): ValidatedEntry => ({
  ok: false,
  error: { ErrorCode, ErrorMessage },
});

/** Checks one entry as EventBridge does and builds the event it becomes. */
export function validateEntry(entry: PutEventsEntry, context: EntryContext): ValidatedEntry {
  const missing = (['Source', 'DetailType', 'Detail'] as const).filter(
    (field) => typeof entry[field] !== 'string' || entry[field] === '',
  );
  if (missing.length > 0)
    return failure('InvalidArgument', `Parameter(s) ${missing.join(', ')} could not be empty.`);
  let detail: unknown;
  try {
    detail = JSON.parse(String(entry.Detail));
  } catch {
    return failure('MalformedDetail', 'Detail is malformed.');
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    return failure('MalformedDetail', 'Detail is malformed.');
  }
  const requested =
    typeof entry.EventBusName === 'string' && entry.EventBusName !== '' ? entry.EventBusName : 'default';
  const busName = context.busExists(requested);
  if (!busName) return failure('ResourceNotFoundException', `Event bus ${requested} does not exist.`);
  const time = eventTime(entry.Time);
  if (!time) return failure('InvalidArgument', 'Parameter Time is not valid.');
  if (
    entry.Resources !== undefined &&
    !(Array.isArray(entry.Resources) && entry.Resources.every((item) => typeof item === 'string'))
  ) {
    return failure('InvalidArgument', 'Parameter Resources is not valid.');
  }
  return {
    ok: true,
    busName,
    event: {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: context.accountId,
      time,
      region: context.region,
      resources: (entry.Resources as string[] | undefined) ?? [],
      detail,
    },
  };
}

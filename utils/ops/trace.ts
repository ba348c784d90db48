import {
  type CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';

export interface TimelineEntry {
  readonly timestamp: string;
  /** The function, from its log group (`/aws/lambda/Junction-dev-ChargePayment…`). */
  readonly source: string;
  readonly level?: string;
  readonly message: string;
  /** The fields that tell a step apart: step, status, duration, error. */
  readonly details: Readonly<Record<string, unknown>>;
}

// Junction's stacks are `Junction-<stage>`, and CloudFormation names log groups after their stack.
const DEFAULT_PREFIX = 'Junction-';

const DETAIL_FIELDS = [
  'endpoint',
  'status',
  'step',
  'event_type',
  'order_id',
  'duration_ms',
  'error_code',
  'error_name',
];

/**
 * Every log line that carries the correlation id, in every log group whose name starts with
 * `prefix` (the stack's: its functions' log groups are named after it), oldest first: one
 * request's path across functions.
 */
export async function traceCorrelation(
  logs: CloudWatchLogsClient,
  correlationId: string,
  options: { readonly prefix?: string; readonly sinceMs?: number } = {},
): Promise<TimelineEntry[]> {
  const groups: string[] = [];
  let token: string | undefined;
  do {
    const page = await logs.send(
      new DescribeLogGroupsCommand({
        logGroupNamePrefix: options.prefix ?? DEFAULT_PREFIX,
        nextToken: token,
      }),
    );
    groups.push(...(page.logGroups ?? []).map((group) => group.logGroupName ?? '').filter(Boolean));
    token = page.nextToken;
  } while (token);
  const entries: { at: number; entry: TimelineEntry }[] = [];
  for (const group of groups) {
    let next: string | undefined;
    do {
      const page = await logs.send(
        new FilterLogEventsCommand({
          logGroupName: group,
          filterPattern: `"${correlationId}"`,
          ...(options.sinceMs === undefined ? {} : { startTime: options.sinceMs }),
          nextToken: next,
        }),
      );
      for (const event of page.events ?? []) {
        // Metric records (EMF) may carry the id as a property; they are not steps of the timeline.
        if (event.message?.startsWith('{"_aws"')) continue;
        const entry = timelineEntry(group, event.timestamp ?? 0, event.message ?? '');
        // The line's own time (when it was written), not when the log service took it in.
        entries.push({ at: Date.parse(entry.timestamp) || (event.timestamp ?? 0), entry });
      }
      next = page.nextToken;
    } while (next);
  }
  return entries.sort((a, b) => a.at - b.at).map(({ entry }) => entry);
}

/** One log line as a step of a timeline: its time, the function that wrote it, what it says. */
export function timelineEntry(group: string, timestamp: number, text: string): TimelineEntry {
  // `Junction-dev-ChargePaymentLogs1A2B3C4D-AbCd` → `ChargePayment`.
  const source = group
    .replace(/^\/aws\/lambda\//, '')
    .replace(/^[A-Za-z0-9]+-[a-z0-9]+-/, '')
    .replace(/-[A-Za-z0-9]+$/, '')
    .replace(/[0-9A-F]{8}$/, '')
    .replace(/Logs$/, '');
  let line: Record<string, unknown> = {};
  try {
    line = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { timestamp: new Date(timestamp).toISOString(), source, message: text.trim(), details: {} };
  }
  // An event as the bus's audit rule logged it: the hop between producer and consumers.
  if (typeof line['detail-type'] === 'string') {
    return {
      timestamp: new Date(timestamp).toISOString(),
      source,
      message: `event ${line['detail-type']} on the bus`,
      details: { event_id: (line.detail as Record<string, unknown> | undefined)?.id },
    };
  }
  return {
    timestamp: typeof line.timestamp === 'string' ? line.timestamp : new Date(timestamp).toISOString(),
    source,
    ...(typeof line.level === 'string' ? { level: line.level } : {}),
    message: String(line.message ?? ''),
    details: Object.fromEntries(
      DETAIL_FIELDS.filter((field) => line[field] !== undefined).map((field) => [field, line[field]]),
    ),
  };
}

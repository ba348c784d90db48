import {
  type CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { labelOf } from './labels';

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
  const lines: LogLine[] = [];
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
        lines.push({ group, timestamp: event.timestamp ?? 0, message: event.message ?? '' });
      }
      next = page.nextToken;
    } while (next);
  }
  return timelineOf(lines);
}

/** A log line as CloudWatch Logs (or the local cloud's log store) holds it. */
export interface LogLine {
  readonly group: string;
  readonly timestamp: number;
  readonly message: string;
}

/**
 * Log lines as one timeline, oldest first by the time each line was written (not when the log
 * service took it in). Metric records (EMF) may carry an id as a property; they are not steps.
 */
export function timelineOf(lines: readonly LogLine[]): TimelineEntry[] {
  return lines
    .filter((line) => !line.message.startsWith('{"_aws"'))
    .map((line) => {
      const entry = timelineEntry(line.group, line.timestamp, line.message);
      return { at: Date.parse(entry.timestamp) || line.timestamp, entry };
    })
    .sort((a, b) => a.at - b.at)
    .map(({ entry }) => entry);
}

/** One log line as a step of a timeline: its time, the function that wrote it, what it says. */
function timelineEntry(group: string, timestamp: number, text: string): TimelineEntry {
  const source = labelOf(group);
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

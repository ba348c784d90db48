import { parseArgs } from 'node:util';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { textTable } from '../format/text-table';
import { circuitTable, listCircuits, resetProvider } from './circuits';
import { deadLetterQueues, listQueues, peek, pickQueue, purge, redrive, summarize } from './dlq';
import { explain, OpsError } from './errors';
import { progressBar } from './progress';
import { replay } from './replay';
import { clientConfig, type OpsTarget, resolveTarget } from './target';
import { traceCorrelation } from './trace';

export interface OpsIo {
  out(text: string): void;
  err(text: string): void;
  /** Asks a question on the terminal; undefined when there is no terminal to ask on. */
  ask?(question: string): Promise<string | undefined>;
  env?: NodeJS.ProcessEnv;
}

export const USAGE = `Usage: npm run ops -- <command> [options]

  dlq list                     every dead-letter queue, its depth and its oldest message's age
  dlq peek QUEUE [--limit N]   messages with the reason they were dead-lettered, without taking them
  dlq redrive QUEUE [--to Q]   moves the messages back to the source queue (or Q), with progress
  dlq purge QUEUE [--yes]      deletes every message, after you confirm
  circuit status               every provider's circuit
  circuit reset PROVIDER       closes a provider's circuit
  trace CORRELATION_ID         one request's log lines across every function, oldest first
  replay --from T --to T       replays the bus archive's events of that window, and follows it
         [--pattern TEXT]      only to the rules whose name contains TEXT

Options:
  --local            the local cloud (npm start) instead of AWS
  --endpoint URL     the local cloud at another address
  --region REGION    AWS region (default AWS_REGION)
  --table NAME       the circuit breaker table, when it cannot be found by name
  --since MINUTES    trace: how far back to look (default 60)
  --stack NAME       trace: the stack whose log groups to search (default every Junction-* group)
  --archive NAME     replay: the archive, when there are several
  --json             machine-readable output
`;

const OPTIONS = {
  local: { type: 'boolean' },
  endpoint: { type: 'string' },
  region: { type: 'string' },
  json: { type: 'boolean' },
  yes: { type: 'boolean' },
  limit: { type: 'string' },
  to: { type: 'string' },
  table: { type: 'string' },
  since: { type: 'string' },
  stack: { type: 'string' },
  from: { type: 'string' },
  pattern: { type: 'string' },
  archive: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** Runs one ops command; answers the exit code (0 done, 1 failed, 2 wrong usage). */
export async function runOpsCli(argv: readonly string[], io: OpsIo): Promise<number> {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [group, action, subject] = positionals;
  if (values.help || !group) {
    io.out(USAGE);
    return values.help ? 0 : 2;
  }
  const command = group === 'trace' || group === 'replay' ? group : `${group} ${action ?? ''}`.trim();
  if (!KNOWN.has(command)) {
    io.err(`Unknown command: ${command}\n\n${USAGE}`);
    return 2;
  }
  const needsSubject = ['dlq peek', 'dlq redrive', 'dlq purge', 'circuit reset'].includes(command);
  const traceId = group === 'trace' ? action : undefined;
  if ((needsSubject && !subject) || (group === 'trace' && !traceId)) {
    io.err(
      `${command} needs ${group === 'trace' ? 'a CORRELATION_ID' : command === 'circuit reset' ? 'a PROVIDER' : 'a QUEUE'}\n\n${USAGE}`,
    );
    return 2;
  }
  let target: OpsTarget | undefined;
  try {
    target = await resolveTarget(values, io.env);
    await run(command, { values, subject: subject ?? traceId ?? '', target, io });
    return 0;
  } catch (error) {
    io.err(`${explain(error, target?.endpoint)}\n`);
    return 1;
  }
}

const KNOWN = new Set([
  'dlq list',
  'dlq peek',
  'dlq redrive',
  'dlq purge',
  'circuit status',
  'circuit reset',
  'trace',
  'replay',
]);

interface Run {
  readonly values: Values;
  readonly subject: string;
  readonly target: OpsTarget;
  readonly io: OpsIo;
}

async function run(command: string, context: Run): Promise<void> {
  if (command.startsWith('dlq')) return runDlq(command, context);
  if (command.startsWith('circuit')) return runCircuit(command, context);
  if (command === 'replay') return runReplay(context);
  return runTrace(context);
}

async function runDlq(command: string, { values, subject, target, io }: Run): Promise<void> {
  const sqs = new SQSClient(clientConfig(target));
  const print = (value: unknown, text: () => string) =>
    io.out(values.json ? `${JSON.stringify(value, null, 2)}\n` : text());
  try {
    if (command === 'dlq list') {
      const summaries = await Promise.all(
        (await deadLetterQueues(sqs)).map((queue) => summarize(sqs, queue)),
      );
      print(summaries, () =>
        table(
          ['queue', 'depth', 'in flight', 'oldest'],
          summaries.map((q) => [q.label, q.depth, q.inFlight, age(q.oldestAgeSeconds)]),
        ),
      );
      return;
    }
    const queue = pickQueue(await deadLetterQueues(sqs), subject);
    if (command === 'dlq peek') {
      const messages = await peek(sqs, queue, Number(values.limit ?? 10));
      print(messages, () =>
        messages.length === 0
          ? `${queue.label} is empty.\n`
          : messages
              .map(
                (message) =>
                  `${message.messageId}  received ${message.receiveCount}×  sent ${message.sentAt ?? '?'}\n  reason: ${JSON.stringify(message.reason ?? 'none recorded')}\n  event:  ${JSON.stringify(message.event)}\n`,
              )
              .join('\n'),
      );
      return;
    }
    if (command === 'dlq redrive') {
      const to = values.to ? pickQueue(await listQueues(sqs), values.to) : undefined;
      const result = await redrive(sqs, queue, {
        ...(to ? { to } : {}),
        onProgress: (progress) => {
          if (!values.json)
            io.err(`\r${progressBar(progress.moved, progress.toMove)} ${progress.status.toLowerCase()}`);
        },
      });
      if (!values.json) io.err('\n');
      print(result, () => `Moved ${result.moved} message(s) from ${queue.label} to ${result.destination}.\n`);
      return;
    }
    const { depth } = await summarize(sqs, queue);
    if (!values.yes) {
      const answer = await io.ask?.(
        `Purge ${depth} message(s) from ${queue.label}? Type its name to confirm: `,
      );
      if (answer === undefined)
        throw new OpsError('Refusing to purge without confirmation: run it on a terminal, or pass --yes.');
      if (answer.trim() !== queue.label) throw new OpsError('Not confirmed: nothing was deleted.');
    }
    await purge(sqs, queue);
    print(
      { purged: queue.label, messages: depth },
      () => `Purged ${depth} message(s) from ${queue.label}.\n`,
    );
  } finally {
    sqs.destroy();
  }
}

async function runCircuit(command: string, { values, subject, target, io }: Run): Promise<void> {
  const dynamo = new DynamoDBClient(clientConfig(target));
  try {
    const tableName = await circuitTable(dynamo, values.table);
    if (command === 'circuit status') {
      const circuits = await listCircuits(dynamo, tableName);
      io.out(
        values.json
          ? `${JSON.stringify(circuits, null, 2)}\n`
          : circuits.length === 0
            ? 'Every circuit is closed (none recorded).\n'
            : table(
                ['provider', 'state', 'failures', 'opened at'],
                circuits.map((c) => [c.provider, c.state, c.failures, c.openedAt ?? '—']),
              ),
      );
      return;
    }
    const previous = await resetProvider(dynamo, tableName, subject);
    io.out(
      values.json
        ? `${JSON.stringify({ reset: subject, was: previous }, null, 2)}\n`
        : `Closed the ${subject} circuit (it was ${previous.state}).\n`,
    );
  } finally {
    dynamo.destroy();
  }
}

async function runTrace({ values, subject, target, io }: Run): Promise<void> {
  const logs = new CloudWatchLogsClient(clientConfig(target));
  try {
    const since = Date.now() - Number(values.since ?? 60) * 60_000;
    const entries = await traceCorrelation(logs, subject, {
      sinceMs: since,
      ...(values.stack ? { prefix: `${values.stack}-` } : {}),
    });
    if (values.json) {
      io.out(`${JSON.stringify(entries, null, 2)}\n`);
      return;
    }
    if (entries.length === 0)
      throw new OpsError(`No log line carries ${subject} in the last ${values.since ?? 60} minutes.`);
    io.out(
      table(
        ['time', 'function', 'level', 'message', 'details'],
        entries.map((e) => [
          e.timestamp,
          e.source,
          e.level ?? '',
          e.message,
          Object.entries(e.details)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(' '),
        ]),
      ),
    );
  } finally {
    logs.destroy();
  }
}

async function runReplay({ values, target, io }: Run): Promise<void> {
  const from = timeOption(values.from, '--from');
  const to = timeOption(values.to, '--to');
  const events = new EventBridgeClient(clientConfig(target));
  const span = to.getTime() - from.getTime();
  try {
    const result = await replay(
      events,
      {
        from,
        to,
        ...(values.pattern ? { pattern: values.pattern } : {}),
        ...(values.archive ? { archive: values.archive } : {}),
      },
      {
        onProgress: (progress) => {
          if (values.json) return;
          const done = progress.lastReplayed
            ? Math.round(((progress.lastReplayed.getTime() - from.getTime()) / span) * 100)
            : 0;
          const percent = progress.state === 'COMPLETED' ? 100 : Math.max(0, Math.min(100, done));
          io.err(`\r${progressBar(percent, 100, 'percent')} ${progress.state.toLowerCase()}`);
        },
      },
    );
    if (!values.json) io.err('\n');
    io.out(
      values.json
        ? `${JSON.stringify(result, null, 2)}\n`
        : `Replay ${result.name} ${result.state.toLowerCase()}: events from ${from.toISOString()} to ${to.toISOString()}${result.rules.length > 0 ? ` to ${result.rules.join(', ')}` : ' to every rule'}.\n`,
    );
  } finally {
    events.destroy();
  }
}

/** An ISO 8601 time, or minutes ago (`30m`) for the common "the last half hour". */
function timeOption(value: string | undefined, name: string): Date {
  if (!value)
    throw new OpsError(
      `replay needs ${name} (an ISO time such as 2026-01-15T10:00:00Z, or 30m for 30 minutes ago)`,
    );
  const minutesAgo = /^(\d+)m$/.exec(value);
  const time = minutesAgo ? new Date(Date.now() - Number(minutesAgo[1]) * 60_000) : new Date(value);
  if (Number.isNaN(time.getTime()))
    throw new OpsError(`${name} ${value} is not a time: use ISO 8601 or minutes ago (30m).`);
  return time;
}

function age(seconds: number | undefined): string {
  if (seconds === undefined) return '—';
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/** A table as one block of terminal output. */
const table = (headers: readonly string[], rows: readonly (readonly unknown[])[]) =>
  `${textTable(headers, rows)}\n`;

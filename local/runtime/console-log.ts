import type { Writable } from 'node:stream';

/** `pretty`: one readable line per record; `json`: one JSON object per line; `quiet`: nothing. */
export type LogMode = 'pretty' | 'json' | 'quiet';

const LEVEL_WIDTH = 5;

function clock(timestamp: number): string {
  return new Date(timestamp).toISOString().slice(11, 23);
}

function parseJson(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Keys worth a glance on the console, after the message. */
const HIGHLIGHTED = ['correlation_id', 'error_code', 'error_message', 'order_id', 'message_id'];

/**
 * Writes function logs and the local cloud's own messages to the console: one line per record
 * with the function's name and the correlation id.
 */
export class ConsoleLog {
  private readonly width: number;

  constructor(
    private readonly mode: LogMode,
    private readonly out: Writable = process.stdout,
    functionNames: readonly string[] = [],
  ) {
    this.width = Math.max(12, ...functionNames.map((name) => name.length));
  }

  /** A line a function wrote (Powertools JSON or plain text). EMF metric lines are not shown. */
  functionLine(functionName: string, line: string, timestamp = Date.now()): void {
    if (this.mode === 'quiet' || line.trim() === '') return;
    const record = parseJson(line);
    if (record && '_aws' in record) return;
    if (this.mode === 'json') {
      this.write(
        JSON.stringify({
          time: new Date(timestamp).toISOString(),
          function: functionName,
          ...(record ?? { message: line }),
        }),
      );
      return;
    }
    if (!record) {
      this.write(`${clock(timestamp)} ${functionName.padEnd(this.width)} ${line}`);
      return;
    }
    const level = String(record.level ?? 'INFO').padEnd(LEVEL_WIDTH);
    const details = HIGHLIGHTED.filter((key) => record[key] !== undefined)
      .map((key) => `${key}=${String(record[key])}`)
      .join(' ');
    this.write(
      `${clock(timestamp)} ${functionName.padEnd(this.width)} ${level} ${String(record.message ?? '')} ${details}`.trimEnd(),
    );
  }

  /** A message of the local cloud itself, such as a delivery to a DLQ. */
  system(component: string, message: string, details: Readonly<Record<string, unknown>> = {}): void {
    if (this.mode === 'quiet') return;
    if (this.mode === 'json') {
      this.write(JSON.stringify({ time: new Date().toISOString(), component, message, ...details }));
      return;
    }
    const extra = Object.entries(details)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    this.write(`${clock(Date.now())} ${`[${component}]`.padEnd(this.width)} ${message} ${extra}`.trimEnd());
  }

  private write(line: string): void {
    this.out.write(`${line}\n`);
  }
}

/** One log event, as CloudWatch Logs stores it. */
export interface LogEvent {
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly timestamp: number;
  readonly ingestionTime: number;
  readonly message: string;
}

export interface LogQuery {
  readonly startTime?: number;
  readonly endTime?: number;
  /** Keeps events whose message contains this text. */
  readonly contains?: string;
  readonly limit?: number;
}

/**
 * The local CloudWatch Logs: every log group's events in memory, the newest `maxEventsPerGroup`
 * kept, with listeners for live output.
 */
export class LogStore {
  private readonly groups = new Map<string, LogEvent[]>();
  private readonly listeners = new Set<(event: LogEvent) => void>();

  constructor(private readonly maxEventsPerGroup = 10_000) {}

  ensureGroup(logGroupName: string): void {
    if (!this.groups.has(logGroupName)) this.groups.set(logGroupName, []);
  }

  hasGroup(logGroupName: string): boolean {
    return this.groups.has(logGroupName);
  }

  groupNames(): string[] {
    return [...this.groups.keys()].sort();
  }

  put(logGroupName: string, logStreamName: string, message: string, timestamp = Date.now()): LogEvent {
    this.ensureGroup(logGroupName);
    const events = this.groups.get(logGroupName) ?? [];
    const event = { logGroupName, logStreamName, timestamp, ingestionTime: Date.now(), message };
    events.push(event);
    if (events.length > this.maxEventsPerGroup) events.splice(0, events.length - this.maxEventsPerGroup);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  events(logGroupName: string, query: LogQuery = {}): LogEvent[] {
    const matching = (this.groups.get(logGroupName) ?? []).filter(
      (event) =>
        (query.startTime === undefined || event.timestamp >= query.startTime) &&
        (query.endTime === undefined || event.timestamp <= query.endTime) &&
        (query.contains === undefined || event.message.includes(query.contains)),
    );
    return query.limit === undefined ? matching : matching.slice(0, query.limit);
  }

  /** Calls `listener` for every event put from now on; returns the unsubscribe function. */
  subscribe(listener: (event: LogEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

import { randomUUID } from 'node:crypto';

export type ReplayState = 'STARTING' | 'RUNNING' | 'CANCELLING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';

export interface Replay {
  readonly name: string;
  readonly arn: string;
  readonly archiveArn: string;
  readonly destinationArn: string;
  readonly filterArns: readonly string[];
  readonly eventStartTime: number;
  readonly eventEndTime: number;
  state: ReplayState;
  stateReason?: string;
  readonly replayStartTime: number;
  replayEndTime?: number;
  eventLastReplayedTime?: number;
  replayed: number;
}

/** The events an archive keeps; replays read them back by event time. */
export class ArchiveStore {
  private readonly events: Readonly<Record<string, unknown>>[] = [];
  /** Kept as events arrive: DescribeArchive and ListArchives read it often. */
  private bytes = 0;

  constructor(
    readonly name: string,
    readonly arn: string,
    readonly sourceArn: string,
    readonly pattern: Readonly<Record<string, unknown>> | undefined,
    readonly retentionDays: number | undefined,
  ) {}

  add(event: Readonly<Record<string, unknown>>): void {
    this.events.push(event);
    this.bytes += Buffer.byteLength(JSON.stringify(event));
  }

  get count(): number {
    return this.events.length;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  /** Events whose `time` falls in [start, end), oldest first. */
  between(startMs: number, endMs: number): Readonly<Record<string, unknown>>[] {
    return this.events.filter((event) => {
      const time = Date.parse(String(event.time));
      return time >= startMs && time < endMs;
    });
  }
}

export function newReplay(
  fields: Omit<Replay, 'arn' | 'state' | 'replayStartTime' | 'replayed'> & {
    readonly region: string;
    readonly accountId: string;
  },
): Replay {
  const { region, accountId, ...rest } = fields;
  return {
    ...rest,
    arn: `arn:aws:events:${region}:${accountId}:replay/${fields.name || randomUUID()}`,
    state: 'STARTING',
    replayStartTime: Date.now(),
    replayed: 0,
  };
}

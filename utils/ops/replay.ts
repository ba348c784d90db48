import {
  DescribeArchiveCommand,
  DescribeReplayCommand,
  type EventBridgeClient,
  ListArchivesCommand,
  ListRulesCommand,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import { OpsError } from './errors';

export interface ReplayRequest {
  readonly from: Date;
  readonly to: Date;
  /** Only rules whose name contains this text receive the replayed events (EventBridge's FilterArns). */
  readonly pattern?: string;
  /** @default the one archive there is */
  readonly archive?: string;
}

export interface ReplayProgress {
  readonly name: string;
  readonly state: string;
  /** The time of the last event replayed, between `from` and `to`. */
  readonly lastReplayed?: Date;
  readonly rules: readonly string[];
}

/**
 * Replays the bus archive's events of a time window to the bus (all its rules, or those the
 * pattern names) and follows the replay until EventBridge says it is done.
 */
export async function replay(
  events: EventBridgeClient,
  request: ReplayRequest,
  options: { readonly onProgress?: (progress: ReplayProgress) => void; readonly pollMs?: number } = {},
): Promise<ReplayProgress> {
  if (!(request.from < request.to)) throw new OpsError('--from must be before --to.');
  const { Archives = [] } = await events.send(new ListArchivesCommand({}));
  const candidates = Archives.filter(
    (archive) => !request.archive || archive.ArchiveName === request.archive,
  );
  const archive = candidates[0];
  if (candidates.length !== 1 || !archive?.ArchiveName || !archive.EventSourceArn) {
    throw new OpsError(
      candidates.length === 0
        ? `No archive${request.archive ? ` named ${request.archive}` : ''}: the bus keeps none to replay.`
        : `Several archives (${candidates.map((candidate) => candidate.ArchiveName).join(', ')}): pass --archive NAME.`,
    );
  }
  const busArn = archive.EventSourceArn;
  const rules = request.pattern ? await rulesMatching(events, busArn, request.pattern) : [];
  const name = `ops-replay-${Date.now()}`;
  // ListArchives does not give the archive's own ARN; DescribeArchive does.
  const { ArchiveArn: archiveArn } = await events.send(
    new DescribeArchiveCommand({ ArchiveName: archive.ArchiveName }),
  );
  await events.send(
    new StartReplayCommand({
      ReplayName: name,
      EventSourceArn: archiveArn,
      EventStartTime: request.from,
      EventEndTime: request.to,
      Destination: {
        Arn: busArn,
        ...(rules.length > 0 ? { FilterArns: rules.map((rule) => rule.arn) } : {}),
      },
    }),
  );
  for (;;) {
    const described = await events.send(new DescribeReplayCommand({ ReplayName: name }));
    const progress: ReplayProgress = {
      name,
      state: described.State ?? 'UNKNOWN',
      ...(described.EventLastReplayedTime ? { lastReplayed: described.EventLastReplayedTime } : {}),
      rules: rules.map((rule) => rule.name),
    };
    options.onProgress?.(progress);
    if (progress.state === 'FAILED')
      throw new OpsError(`The replay failed: ${described.StateReason ?? 'no reason given'}`);
    if (['COMPLETED', 'CANCELLED'].includes(progress.state)) return progress;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
  }
}

async function rulesMatching(
  events: EventBridgeClient,
  busArn: string,
  pattern: string,
): Promise<{ name: string; arn: string }[]> {
  const busName = busArn.slice(busArn.lastIndexOf('/') + 1);
  const { Rules = [] } = await events.send(new ListRulesCommand({ EventBusName: busName }));
  const matching = Rules.filter(
    (rule) => rule.Name?.toLowerCase().includes(pattern.toLowerCase()) && rule.Arn,
  );
  if (matching.length === 0) {
    throw new OpsError(
      `No rule on ${busName} matches "${pattern}". Rules: ${Rules.map((rule) => rule.Name).join(', ')}.`,
    );
  }
  return matching.map((rule) => ({ name: rule.Name as string, arn: rule.Arn as string }));
}

import { AwsError, jsonService, type ServiceHandler } from '../services/aws-protocol';
import type { RuleSpec } from '../template/topology-types';
import type { ArchiveStore, Replay } from './archive';
import type { EventBridge } from './event-bridge';
import { InvalidEventPatternError, matchesEventPattern, validateEventPattern } from './patterns';
import { entrySize, MAX_ENTRIES, MAX_REQUEST_BYTES, type PutEventsEntry } from './put-events';
import { DeliveryError } from './targets';

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

function ruleView(rule: RuleSpec, accountId: string) {
  return {
    Name: rule.name,
    Arn: rule.arn,
    EventPattern: rule.pattern ? JSON.stringify(rule.pattern) : undefined,
    ScheduleExpression: rule.scheduleExpression,
    State: rule.enabled ? 'ENABLED' : 'DISABLED',
    Description: rule.description,
    EventBusName: rule.busName,
    CreatedBy: accountId,
  };
}

function archiveView(archive: ArchiveStore) {
  return {
    ArchiveArn: archive.arn,
    ArchiveName: archive.name,
    EventSourceArn: archive.sourceArn,
    EventPattern: archive.pattern ? JSON.stringify(archive.pattern) : undefined,
    State: 'ENABLED',
    RetentionDays: archive.retentionDays,
    SizeBytes: archive.sizeBytes,
    EventCount: archive.count,
  };
}

function replayView(replay: Replay) {
  return {
    ReplayName: replay.name,
    ReplayArn: replay.arn,
    EventSourceArn: replay.archiveArn,
    Destination: {
      Arn: replay.destinationArn,
      FilterArns: replay.filterArns.length > 0 ? replay.filterArns : undefined,
    },
    State: replay.state,
    StateReason: replay.stateReason,
    EventStartTime: seconds(replay.eventStartTime),
    EventEndTime: seconds(replay.eventEndTime),
    EventLastReplayedTime: seconds(replay.eventLastReplayedTime),
    ReplayStartTime: seconds(replay.replayStartTime),
    ReplayEndTime: seconds(replay.replayEndTime),
  };
}

function putEvents(bridge: EventBridge, input: Record<string, unknown>) {
  const entries = input.Entries;
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}`,
    );
  }
  const size = (entries as PutEventsEntry[]).reduce((total, entry) => total + entrySize(entry), 0);
  if (size > MAX_REQUEST_BYTES) {
    throw new AwsError('ValidationException', 'Total size of the entries in the request is over the limit.');
  }
  const results = bridge.putEvents(entries as PutEventsEntry[]);
  return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
}

function findRule(bridge: EventBridge, input: Record<string, unknown>, nameField: string): RuleSpec {
  const busName = bridge.resolveBus(String(input.EventBusName ?? 'default')) ?? String(input.EventBusName);
  const name = String(input[nameField] ?? '');
  const rule = bridge.rules.find((candidate) => candidate.name === name && candidate.busName === busName);
  if (!rule)
    throw new AwsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${busName}.`);
  return rule;
}

function findArchive(bridge: EventBridge, name: string): ArchiveStore {
  const archive = bridge.archiveStores.find((candidate) => candidate.name === name);
  if (!archive) throw new AwsError('ResourceNotFoundException', `Archive ${name} does not exist.`);
  return archive;
}

function testEventPattern(input: Record<string, unknown>) {
  let pattern: unknown;
  let event: unknown;
  try {
    pattern = JSON.parse(String(input.EventPattern));
  } catch {
    throw new AwsError('InvalidEventPatternException', 'Event pattern is not valid JSON.');
  }
  try {
    event = JSON.parse(String(input.Event));
  } catch {
    throw new AwsError('ValidationException', 'Parameter Event is not valid.');
  }
  try {
    validateEventPattern(pattern);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) throw new AwsError(error.code, error.message);
    throw error;
  }
  const required = ['id', 'account', 'source', 'time', 'region', 'resources', 'detail-type'];
  const fields = typeof event === 'object' && event !== null ? (event as Record<string, unknown>) : {};
  const missing = required.filter((field) => fields[field] === undefined);
  if (missing.length > 0)
    throw new AwsError('ValidationException', `Parameter Event is not valid: missing ${missing.join(', ')}.`);
  return { Result: matchesEventPattern(pattern, fields) };
}

/** The EventBridge API on the wire (JSON 1.1, `AWSEvents.*`). */
export function eventBridgeApi(bridge: EventBridge, accountId: string): ServiceHandler {
  return jsonService({
    PutEvents: (input) => putEvents(bridge, input),
    TestEventPattern: (input) => testEventPattern(input),
    ListEventBuses: () => ({
      EventBuses: bridge.buses.map((name) => ({ Name: name, Arn: bridge.busArn(name) })),
    }),
    DescribeEventBus: (input) => {
      const name = bridge.resolveBus(String(input.Name ?? 'default'));
      if (!name)
        throw new AwsError('ResourceNotFoundException', `Event bus ${String(input.Name)} does not exist.`);
      return { Name: name, Arn: bridge.busArn(name) };
    },
    ListRules: (input) => {
      const busName = bridge.resolveBus(String(input.EventBusName ?? 'default'));
      const prefix = String(input.NamePrefix ?? '');
      return {
        Rules: bridge.rules
          .filter((rule) => rule.busName === busName && rule.name.startsWith(prefix))
          .map((rule) => ruleView(rule, accountId)),
      };
    },
    DescribeRule: (input) => ruleView(findRule(bridge, input, 'Name'), accountId),
    ListTargetsByRule: (input) => ({
      Targets: findRule(bridge, input, 'Rule').targets.map((target) => ({
        Id: target.id,
        Arn: target.arn,
        Input: target.input,
        InputPath: target.inputPath,
        InputTransformer: target.inputTransformer,
        DeadLetterConfig: target.deadLetterArn ? { Arn: target.deadLetterArn } : undefined,
        RetryPolicy: {
          MaximumRetryAttempts: target.retryPolicy.maximumRetryAttempts,
          MaximumEventAgeInSeconds: target.retryPolicy.maximumEventAgeSeconds,
        },
        SqsParameters: target.messageGroupId ? { MessageGroupId: target.messageGroupId } : undefined,
      })),
    }),
    ListArchives: () => ({ Archives: bridge.archiveStores.map(archiveView) }),
    DescribeArchive: (input) => archiveView(findArchive(bridge, String(input.ArchiveName))),
    StartReplay: (input) => {
      const name = String(input.ReplayName ?? '');
      if (!/^[.\-_A-Za-z0-9]{1,64}$/.test(name))
        throw new AwsError('ValidationException', 'ReplayName is not valid.');
      if (bridge.replay(name))
        throw new AwsError('ResourceAlreadyExistsException', `Replay ${name} already exists.`);
      const destination = (input.Destination ?? {}) as { Arn?: string; FilterArns?: string[] };
      const startMs = Number(input.EventStartTime) * 1000;
      const endMs = Number(input.EventEndTime) * 1000;
      if (!(startMs < endMs))
        throw new AwsError('InvalidEventPatternException', 'EventStartTime must be before EventEndTime.');
      try {
        const replay = bridge.startReplay({
          name,
          archiveArn: String(input.EventSourceArn),
          destinationArn: String(destination.Arn),
          filterArns: destination.FilterArns ?? [],
          startMs,
          endMs,
        });
        return {
          ReplayArn: replay.arn,
          State: replay.state,
          ReplayStartTime: seconds(replay.replayStartTime),
        };
      } catch (error) {
        if (error instanceof DeliveryError) throw new AwsError(error.code, error.message);
        throw error;
      }
    },
    DescribeReplay: (input) => {
      const replay = bridge.replay(String(input.ReplayName));
      if (!replay)
        throw new AwsError('ResourceNotFoundException', `Replay ${String(input.ReplayName)} does not exist.`);
      return replayView(replay);
    },
    ListReplays: () => ({ Replays: bridge.allReplays().map(replayView) }),
  });
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { ConsoleLog } from '../runtime/console-log';
import type { ArchiveSpec, BusSpec, RuleSpec, RuleTargetSpec } from '../template/topology-types';
import { ArchiveStore, newReplay, type Replay } from './archive';
import { type EventPattern, flattenEvent, matchesFlatEvent, validateEventPattern } from './patterns';
import { type EntryResult, type PutEventsEntry, validateEntry } from './put-events';
import { DeliveryError, type TargetDispatcher } from './targets';
import { compileTargetInput, type TargetInput, type TargetInputRenderer } from './transform';

export type DeliveryStatus = 'pending' | 'delivered' | 'retrying' | 'dead-lettered' | 'dropped';

export interface DeliveryRecord {
  readonly rule: string;
  readonly targetId: string;
  readonly targetArn: string;
  status: DeliveryStatus;
  attempts: number;
  error?: { readonly code: string; readonly message: string };
}

export interface RecentEvent {
  readonly event: Readonly<Record<string, unknown>>;
  readonly busName: string;
  readonly receivedAt: string;
  readonly deliveries: DeliveryRecord[];
}

export interface EventBridgeOptions {
  readonly accountId: string;
  readonly region: string;
  readonly buses: readonly BusSpec[];
  readonly rules: readonly RuleSpec[];
  readonly archives: readonly ArchiveSpec[];
  readonly dispatcher: TargetDispatcher;
  /** Sends a failed event to a target DLQ (an SQS queue ARN) with EventBridge's attributes. */
  readonly deadLetter: (queueArn: string, body: string, attributes: Record<string, string>) => Promise<void>;
  readonly console: ConsoleLog;
  /** Multiplies retry back-off and event-age limits. */
  readonly timeScale: number;
  readonly random?: () => number;
  readonly recentLimit?: number;
}

interface InjectedFault {
  remaining: number;
  readonly code: string;
  readonly retryable: boolean;
}

const BASE_RETRY_DELAY_MS = 1000;
const MAX_RETRY_DELAY_MS = 5 * 60 * 1000;

/**
 * The local EventBridge: buses, rules matched with the documented pattern semantics, targets with
 * input transformation, retries with back-off and jitter under each target's retry policy, target
 * DLQs, archives and replays.
 */
export class EventBridge {
  private readonly busNames: Set<string>;
  private readonly archives: ArchiveStore[];
  private readonly replays = new Map<string, Replay>();
  private readonly recentEvents: RecentEvent[] = [];
  private readonly faults = new Map<string, InjectedFault>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Aborted by stop(): cancels retries sleeping out their back-off. */
  private readonly stopping = new AbortController();
  /** Each target's input, parsed once: rendering is all a delivery does. */
  private readonly renderers = new Map<RuleTargetSpec, TargetInputRenderer>();

  constructor(private readonly options: EventBridgeOptions) {
    this.busNames = new Set(['default', ...options.buses.map((bus) => bus.name)]);
    for (const rule of options.rules) {
      if (rule.pattern) validateEventPattern(rule.pattern);
      for (const target of rule.targets) this.renderers.set(target, compileTargetInput(inputOf(target)));
    }
    this.archives = options.archives.map(
      (archive) =>
        new ArchiveStore(
          archive.name,
          archive.arn,
          archive.sourceArn,
          archive.pattern,
          archive.retentionDays,
        ),
    );
  }

  get rules(): readonly RuleSpec[] {
    return this.options.rules;
  }

  get buses(): readonly string[] {
    return [...this.busNames];
  }

  get archiveStores(): readonly ArchiveStore[] {
    return this.archives;
  }

  busArn(name: string): string {
    return `arn:aws:events:${this.options.region}:${this.options.accountId}:event-bus/${name}`;
  }

  /** A bus by name or ARN, when it exists. */
  resolveBus(nameOrArn: string): string | undefined {
    const name = nameOrArn.startsWith('arn:') ? (nameOrArn.split('/').pop() ?? '') : nameOrArn;
    return this.busNames.has(name) ? name : undefined;
  }

  /** PutEvents: validates each entry, answers per entry, then routes the accepted events. */
  putEvents(entries: readonly PutEventsEntry[]): EntryResult[] {
    return entries.map((entry) => {
      const validated = validateEntry(entry, {
        accountId: this.options.accountId,
        region: this.options.region,
        busExists: (name) => this.resolveBus(name),
      });
      if (!validated.ok) return validated.error;
      this.ingest(validated.busName, validated.event);
      return { EventId: String(validated.event.id) };
    });
  }

  /** Takes an accepted event: archives it, then delivers it to every matching rule's targets. */
  ingest(busName: string, event: Record<string, unknown>, replay?: Replay): void {
    // Flattened once, for every archive and rule pattern.
    const flat = flattenEvent(event);
    if (!replay) {
      const busArn = this.busArn(busName);
      for (const archive of this.archives) {
        if (archive.sourceArn === busArn && (!archive.pattern || matchesFlatEvent(archive.pattern, flat)))
          archive.add(event);
      }
    }
    const recent: RecentEvent = { event, busName, receivedAt: new Date().toISOString(), deliveries: [] };
    this.remember(recent);
    for (const rule of this.options.rules) {
      if (rule.busName !== busName || !rule.enabled || !rule.pattern) continue;
      if (replay && replay.filterArns.length > 0 && !replay.filterArns.includes(rule.arn)) continue;
      if (!matchesFlatEvent(rule.pattern as EventPattern, flat)) continue;
      for (const target of rule.targets) {
        const record: DeliveryRecord = {
          rule: rule.name,
          targetId: target.id,
          targetArn: target.arn,
          status: 'pending',
          attempts: 0,
        };
        recent.deliveries.push(record);
        this.track(this.deliverWithRetries(rule, target, event, record));
      }
    }
  }

  /** Fails the next `count` deliveries to a target (for tests and the ops console). */
  injectFault(targetArn: string, fault: { count: number; code?: string; retryable?: boolean }): void {
    this.faults.set(targetArn, {
      remaining: fault.count,
      code: fault.code ?? 'ThrottlingException',
      retryable: fault.retryable ?? true,
    });
  }

  recent(limit = 100): readonly RecentEvent[] {
    return limit > 0 ? this.recentEvents.slice(-limit) : [];
  }

  /** Resolves once every delivery started so far has settled. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  stop(): void {
    this.stopping.abort();
  }

  startReplay(input: {
    name: string;
    archiveArn: string;
    destinationArn: string;
    filterArns: readonly string[];
    startMs: number;
    endMs: number;
  }): Replay {
    const archive = this.archives.find((candidate) => candidate.arn === input.archiveArn);
    if (!archive)
      throw new DeliveryError(
        'ResourceNotFoundException',
        `Archive ${input.archiveArn} does not exist.`,
        false,
      );
    const busName = this.resolveBus(input.destinationArn);
    if (!busName)
      throw new DeliveryError(
        'ResourceNotFoundException',
        `Event bus ${input.destinationArn} does not exist.`,
        false,
      );
    const replay = newReplay({
      name: input.name,
      archiveArn: input.archiveArn,
      destinationArn: input.destinationArn,
      filterArns: input.filterArns,
      eventStartTime: input.startMs,
      eventEndTime: input.endMs,
      region: this.options.region,
      accountId: this.options.accountId,
    });
    this.replays.set(input.name, replay);
    this.track(this.runReplay(replay, archive, busName));
    return replay;
  }

  replay(name: string): Replay | undefined {
    return this.replays.get(name);
  }

  allReplays(): Replay[] {
    return [...this.replays.values()];
  }

  private async runReplay(replay: Replay, archive: ArchiveStore, busName: string): Promise<void> {
    // StartReplay answers STARTING, as EventBridge does; the replay runs from the next turn.
    await new Promise((resolve) => setImmediate(resolve));
    replay.state = 'RUNNING';
    for (const event of archive.between(replay.eventStartTime, replay.eventEndTime)) {
      this.ingest(busName, { ...event, 'replay-name': replay.name }, replay);
      replay.replayed += 1;
      replay.eventLastReplayedTime = Date.parse(String(event.time));
      await Promise.resolve();
    }
    replay.state = 'COMPLETED';
    replay.replayEndTime = Date.now();
  }

  private remember(recent: RecentEvent): void {
    this.recentEvents.push(recent);
    const limit = this.options.recentLimit ?? 500;
    if (this.recentEvents.length > limit) this.recentEvents.splice(0, this.recentEvents.length - limit);
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async deliverWithRetries(
    rule: RuleSpec,
    target: RuleTargetSpec,
    event: Record<string, unknown>,
    record: DeliveryRecord,
  ): Promise<void> {
    const startedAt = Date.now();
    const maxAgeMs = target.retryPolicy.maximumEventAgeSeconds * 1000 * this.options.timeScale;
    const input = this.render(rule, target, event, startedAt);
    for (;;) {
      record.attempts += 1;
      try {
        if (!input.ok) throw input.failure;
        this.failIfInjected(target.arn);
        await this.options.dispatcher.deliver({
          targetArn: target.arn,
          input: input.text,
          event,
          messageGroupId: target.messageGroupId,
        });
        record.status = 'delivered';
        return;
      } catch (caught) {
        const error =
          caught instanceof DeliveryError
            ? caught
            : new DeliveryError('InternalException', String(caught), true);
        record.error = { code: error.code, message: error.message };
        const retriesLeft = record.attempts <= target.retryPolicy.maximumRetryAttempts;
        const delay = this.backoff(record.attempts);
        const youngEnough = Date.now() + delay - startedAt <= maxAgeMs;
        const { signal } = this.stopping;
        if (!signal.aborted && error.retryable && retriesLeft && youngEnough) {
          record.status = 'retrying';
          try {
            await sleep(delay, undefined, { signal });
          } catch {
            return; // stop() during the back-off ends the delivery: shutting down is not a failure.
          }
          continue;
        }
        const condition = !error.retryable
          ? 'NonRetryableError'
          : retriesLeft
            ? 'MaximumEventAgeInSeconds'
            : 'MaximumRetryAttempts';
        await this.giveUp(rule, target, event, record, error, condition);
        return;
      }
    }
  }

  /** The target's input for this event, rendered before the first attempt; a failure fails every attempt. */
  private render(
    rule: RuleSpec,
    target: RuleTargetSpec,
    event: Record<string, unknown>,
    startedAt: number,
  ): { ok: true; text: string } | { ok: false; failure: unknown } {
    const render = this.renderers.get(target) ?? compileTargetInput(inputOf(target));
    try {
      const context = {
        ruleArn: rule.arn,
        ruleName: rule.name,
        ingestionTime: new Date(startedAt).toISOString(),
      };
      return { ok: true, text: render(event, context) };
    } catch (failure) {
      return { ok: false, failure };
    }
  }

  /** Exponential back-off with full jitter, scaled. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(MAX_RETRY_DELAY_MS, BASE_RETRY_DELAY_MS * 2 ** (attempt - 1));
    return ceiling * (this.options.random ?? Math.random)() * this.options.timeScale;
  }

  private failIfInjected(targetArn: string): void {
    const fault = this.faults.get(targetArn);
    if (!fault || fault.remaining <= 0) return;
    fault.remaining -= 1;
    throw new DeliveryError(fault.code, `Injected failure delivering to ${targetArn}`, fault.retryable);
  }

  private async giveUp(
    rule: RuleSpec,
    target: RuleTargetSpec,
    event: Record<string, unknown>,
    record: DeliveryRecord,
    error: DeliveryError,
    exhaustedCondition: string,
  ): Promise<void> {
    if (!target.deadLetterArn) {
      record.status = 'dropped';
      this.options.console.system('events', 'Event dropped: delivery failed and the target has no DLQ', {
        rule: rule.name,
        target: target.arn,
        error: error.code,
      });
      return;
    }
    await this.options.deadLetter(target.deadLetterArn, JSON.stringify(event), {
      RULE_ARN: rule.arn,
      TARGET_ARN: target.arn,
      ERROR_CODE: error.code,
      ERROR_MESSAGE: error.message,
      EXHAUSTED_RETRY_CONDITION: exhaustedCondition,
      RETRY_ATTEMPTS: String(record.attempts - 1),
    });
    record.status = 'dead-lettered';
    this.options.console.system('events', 'Event sent to the target DLQ', {
      rule: rule.name,
      target: target.arn,
      error: error.code,
    });
  }
}

function inputOf(target: RuleTargetSpec): TargetInput {
  if (target.input !== undefined) return { kind: 'constant', input: target.input };
  if (target.inputPath !== undefined) return { kind: 'path', inputPath: target.inputPath };
  if (target.inputTransformer) return { kind: 'transformer', transformer: target.inputTransformer };
  return { kind: 'event' };
}

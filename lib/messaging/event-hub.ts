import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { type Archive, EventBus, type EventPattern } from 'aws-cdk-lib/aws-events';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { EventRoute } from './event-route';

export interface EventHubProps {
  /** How long the archive keeps events for replay; whole days. */
  readonly archiveRetention: Duration;
  /** Retention of the audit log group. @default RetentionDays.ONE_MONTH */
  readonly auditLogRetention?: RetentionDays;
  /**
   * What happens to the audit log group, and to the audit route's DLQ and key, when the stack is
   * deleted. @default the log group is retained; the route's DLQ and key are destroyed
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The custom bus every Junction event travels on: an archive for replay and an audit rule that
 * writes every event to a log group. No bus policy: only principals of this account with
 * `events:PutEvents` on the bus can publish.
 */
export class EventHub extends Construct {
  readonly bus: EventBus;
  readonly archive: Archive;
  readonly auditLogGroup: LogGroup;
  readonly audit: EventRoute;

  constructor(scope: Construct, id: string, props: EventHubProps) {
    super(scope, id);
    const days = props.archiveRetention.toHours() / 24;
    if (!Number.isInteger(days) || days < 1) {
      throw new Error(
        `archiveRetention must be a whole number of days, at least 1, got ${props.archiveRetention.toHumanString()}`,
      );
    }
    this.bus = new EventBus(this, 'Bus', { description: 'Junction integration events' });
    const everyEvent: EventPattern = { account: [Stack.of(this).account] };
    this.archive = this.bus.archive('Archive', {
      description: 'Every event on the Junction bus, for replay',
      eventPattern: everyEvent,
      retention: Duration.days(days),
    });
    this.auditLogGroup = new LogGroup(this, 'AuditLogs', {
      retention: props.auditLogRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.audit = new EventRoute(this, 'Audit', {
      bus: this.bus,
      description: 'Writes every event on the bus to the audit log group',
      eventPattern: everyEvent,
      target: { logGroup: this.auditLogGroup },
      removalPolicy: props.removalPolicy,
    });
  }
}

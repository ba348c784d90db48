import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { runbookLink } from '../observability/runbook';

export interface DeadLetterQueueProps {
  /** Key for server-side encryption. @default a new customer-managed key with rotation */
  readonly encryptionKey?: IKey;
  /** What happens to the queue when the stack is deleted. @default RemovalPolicy.DESTROY */
  readonly removalPolicy?: RemovalPolicy;
  /** What feeds this DLQ, for the alarm description. @default the construct path */
  readonly purpose?: string;
}

/** Maximum SQS retention: an operator has two weeks to inspect and redrive. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/** A DLQ: 14-day retention, KMS encryption, TLS only, and an alarm on its first message. */
export class DeadLetterQueue extends Construct {
  readonly queue: Queue;
  readonly encryptionKey: IKey;
  readonly depthAlarm: Alarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps = {}) {
    super(scope, id);
    this.encryptionKey =
      props.encryptionKey ??
      new Key(this, 'Key', {
        enableKeyRotation: true,
        description: `Encrypts ${this.node.path}`,
        removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
      });
    this.queue = new Queue(this, 'Resource', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.encryptionKey,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.depthAlarm = new Alarm(this, 'DepthAlarm', {
      alarmDescription: `A message reached the dead-letter queue of ${props.purpose ?? this.node.path}. Each one was accepted and then failed for good: inspect its reason, fix the cause, then redrive it. ${runbookLink('dead-letters')}`,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}

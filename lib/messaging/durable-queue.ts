import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { IntegrationFunction } from '../compute/integration-function';
import { runbookLink } from '../observability/runbook';
import { DeadLetterQueue } from './dead-letter-queue';

export interface DurableQueueProps {
  /**
   * How long a received message stays hidden. Must be at least 6 × the consumer's timeout
   * (plus its batching window), as AWS advises for Lambda event sources.
   * @default 3 minutes
   */
  readonly visibilityTimeout?: Duration;
  /** Receives before a message moves to the DLQ. @default 5 */
  readonly maxReceiveCount?: number;
  /** How long the queue keeps a message. @default 4 days */
  readonly retentionPeriod?: Duration;
  /** Age of the oldest message above which the age alarm fires. @default 5 minutes */
  readonly maxMessageAge?: Duration;
  /** Key for the queue and its DLQ. @default a new customer-managed key with rotation */
  readonly encryptionKey?: IKey;
  /** What happens to the queues and key when the stack is deleted. @default RemovalPolicy.DESTROY */
  readonly removalPolicy?: RemovalPolicy;
}

export interface ConsumerOptions {
  /** Records per invocation. @default 10 */
  readonly batchSize?: number;
  /** How long Lambda gathers records before invoking. @default no window */
  readonly maxBatchingWindow?: Duration;
  /** Concurrent invocations the event source may use. @default no limit */
  readonly maxConcurrency?: number;
}

/** The props with every default applied. */
type ResolvedProps = Required<Omit<DurableQueueProps, 'encryptionKey'>>;

function validate(props: ResolvedProps): void {
  const { maxReceiveCount, visibilityTimeout, retentionPeriod, maxMessageAge } = props;
  if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
    throw new Error(`maxReceiveCount must be a whole number from 1 to 1000, got ${maxReceiveCount}`);
  }
  const visibility = visibilityTimeout.toSeconds();
  if (visibility < 1 || visibility > 43_200) {
    throw new Error(
      `visibilityTimeout must be from 1 second to 12 hours, got ${visibilityTimeout.toHumanString()}`,
    );
  }
  if (retentionPeriod.toSeconds() <= maxMessageAge.toSeconds()) {
    throw new Error(
      `retentionPeriod (${retentionPeriod.toHumanString()}) must be longer than maxMessageAge (${maxMessageAge.toHumanString()})`,
    );
  }
}

/**
 * An SQS queue that never loses what it accepted: a DLQ after `maxReceiveCount` receives,
 * KMS encryption with a rotating customer key, TLS only, alarms on the DLQ and on message age,
 * and consumers checked against the visibility-timeout rule.
 */
export class DurableQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetters: DeadLetterQueue;
  readonly encryptionKey: IKey;
  readonly maxReceiveCount: number;
  readonly visibilityTimeout: Duration;
  readonly messageAgeAlarm: Alarm;

  constructor(scope: Construct, id: string, props: DurableQueueProps = {}) {
    super(scope, id);
    const resolved: ResolvedProps = {
      visibilityTimeout: props.visibilityTimeout ?? Duration.minutes(3),
      maxReceiveCount: props.maxReceiveCount ?? 5,
      retentionPeriod: props.retentionPeriod ?? Duration.days(4),
      maxMessageAge: props.maxMessageAge ?? Duration.minutes(5),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    };
    validate(resolved);
    const { removalPolicy, retentionPeriod, maxMessageAge: maxAge } = resolved;
    this.maxReceiveCount = resolved.maxReceiveCount;
    this.visibilityTimeout = resolved.visibilityTimeout;
    this.encryptionKey =
      props.encryptionKey ??
      new Key(this, 'Key', {
        enableKeyRotation: true,
        description: `Encrypts ${this.node.path}`,
        removalPolicy,
      });
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      encryptionKey: this.encryptionKey,
      removalPolicy,
      purpose: this.node.path,
    });
    this.queue = new Queue(this, 'Resource', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.encryptionKey,
      enforceSSL: true,
      visibilityTimeout: this.visibilityTimeout,
      retentionPeriod,
      deadLetterQueue: { queue: this.deadLetters.queue, maxReceiveCount: this.maxReceiveCount },
      removalPolicy,
    });
    this.messageAgeAlarm = new Alarm(this, 'MessageAgeAlarm', {
      alarmDescription: `The oldest message in ${this.node.path} is older than ${maxAge.toHumanString()}: its consumer is failing, throttled or too slow. ${runbookLink('message-age')}`,
      metric: this.queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: maxAge.toSeconds(),
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  /**
   * Makes `consumer` process this queue in batches with partial batch failure reporting, and
   * hands it the DLQ (`DEAD_LETTER_QUEUE_URL`, `MAX_RECEIVE_COUNT`) to dead-letter with a reason.
   */
  addConsumer(consumer: IntegrationFunction, options: ConsumerOptions = {}): void {
    this.checkVisibilityTimeout(consumer, options.maxBatchingWindow);
    consumer.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: options.batchSize ?? 10,
        maxBatchingWindow: options.maxBatchingWindow,
        maxConcurrency: options.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    consumer.bindQueue('DEAD_LETTER_QUEUE_URL', this.deadLetters.queue, 'send');
    consumer.setVariable('MAX_RECEIVE_COUNT', String(this.maxReceiveCount));
  }

  private checkVisibilityTimeout(consumer: IntegrationFunction, batchingWindow: Duration | undefined): void {
    const visibility = this.visibilityTimeout.toSeconds();
    const timeout = (consumer.timeout ?? Duration.seconds(3)).toSeconds();
    const window = batchingWindow?.toSeconds() ?? 0;
    const required = 6 * timeout + window;
    if (visibility >= required) return;
    const rule =
      window > 0
        ? `6 × the consumer timeout plus the batching window (6 × ${timeout} s + ${window} s = ${required} s)`
        : `6 × the consumer timeout (6 × ${timeout} s = ${required} s)`;
    throw new Error(`Queue visibility timeout (${visibility} s) must be at least ${rule}`);
  }
}

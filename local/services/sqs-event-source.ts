import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import type { ConsoleLog } from '../runtime/console-log';
import type { LambdaRuntime } from '../runtime/lambda-runtime';
import type { EventSourceMappingSpec, QueueSpec } from '../template/topology-types';

export interface EventSourceStats {
  readonly functionName: string;
  readonly queueName: string;
  readonly batches: number;
  readonly records: number;
  readonly failedRecords: number;
}

/** "Lambda starts processing five batches at a time with five concurrent invocations" (SQS scaling). */
const LAMBDA_INITIAL_POLLERS = 5;

export interface SqsEventSourceOptions {
  readonly mapping: EventSourceMappingSpec;
  readonly queue: QueueSpec;
  readonly sqs: SQSClient;
  readonly runtime: LambdaRuntime;
  readonly console: ConsoleLog;
  readonly region: string;
  /** Pollers working at once when the mapping sets no maximum concurrency; Lambda starts with five. */
  readonly defaultConcurrency?: number;
  readonly timeScale: number;
}

/** An SQS message as Lambda hands it to the function. */
export function toSqsRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: String(message.MessageId),
    receiptHandle: String(message.ReceiptHandle),
    body: String(message.Body ?? ''),
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'LOCAL',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        {
          dataType: String(value.DataType),
          stringValue: value.StringValue,
          binaryValue: value.BinaryValue ? Buffer.from(value.BinaryValue).toString('base64') : undefined,
          stringListValues: [],
          binaryListValues: [],
        },
      ]),
    ),
    md5OfBody: String(message.MD5OfBody ?? ''),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/** The ids of the records a function reported as failed; a malformed answer fails them all. */
export function failedMessageIds(payload: unknown, records: readonly SQSRecord[]): Set<string> {
  const all = new Set(records.map((record) => record.messageId));
  if (payload === null || payload === undefined) return new Set();
  const failures = (payload as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined) return new Set();
  if (!Array.isArray(failures)) return all;
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown })?.itemIdentifier;
    if (typeof id !== 'string' || !all.has(id)) return all;
    failed.add(id);
  }
  return failed;
}

/**
 * An SQS event source mapping: pollers that receive batches (batch size, batching window),
 * invoke the function synchronously, and delete what succeeded. Failed records stay on the queue
 * and come back after the visibility timeout; the queue's redrive policy moves them to its DLQ
 * after maxReceiveCount receives.
 */
export class SqsEventSource {
  private running = true;
  private readonly abort = new AbortController();
  private readonly pollers: Promise<void>[] = [];
  private counters = { batches: 0, records: 0, failedRecords: 0 };

  constructor(private readonly options: SqsEventSourceOptions) {
    if (!options.mapping.enabled) return;
    const concurrency = Math.max(
      1,
      Math.min(
        options.mapping.maximumConcurrency ?? options.defaultConcurrency ?? LAMBDA_INITIAL_POLLERS,
        10,
      ),
    );
    for (let index = 0; index < concurrency; index += 1) this.pollers.push(this.poll());
  }

  stats(): EventSourceStats {
    return {
      functionName: this.options.mapping.functionName,
      queueName: this.options.queue.name,
      ...this.counters,
    };
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await Promise.allSettled(this.pollers);
  }

  private async poll(): Promise<void> {
    while (this.running) {
      try {
        const messages = await this.gather();
        if (messages.length > 0) await this.process(messages);
      } catch (error) {
        if (!this.running) return;
        this.options.console.system('sqs-esm', 'Polling failed; retrying', {
          queue: this.options.queue.name,
          error: String(error),
        });
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  /** Receives up to the batch size, waiting at most the batching window once a message is in hand. */
  private async gather(): Promise<Message[]> {
    const { batchSize, maxBatchingWindowSeconds } = this.options.mapping;
    const windowMs = maxBatchingWindowSeconds * 1000 * this.options.timeScale;
    const messages: Message[] = [];
    let deadline = Number.POSITIVE_INFINITY;
    while (this.running && messages.length < batchSize) {
      const remainingMs = deadline - Date.now();
      if (messages.length > 0 && (windowMs === 0 || remainingMs <= 0)) break;
      const waitSeconds = messages.length === 0 ? 2 : Math.min(20, Math.ceil(remainingMs / 1000));
      const { Messages = [] } = await this.options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.options.queue.url,
          MaxNumberOfMessages: Math.min(10, batchSize - messages.length),
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: this.abort.signal },
      );
      if (Messages.length > 0 && messages.length === 0) deadline = Date.now() + windowMs;
      messages.push(...Messages);
      if (Messages.length === 0 && messages.length > 0) break;
    }
    return messages;
  }

  private async process(messages: Message[]): Promise<void> {
    const { mapping, queue, region } = this.options;
    const records = messages.map((message) => toSqsRecord(message, queue.arn, region));
    this.counters.batches += 1;
    this.counters.records += records.length;
    let failed: Set<string>;
    try {
      const outcome = await this.options.runtime.invoke(mapping.functionName, { Records: records });
      if (outcome.error) failed = new Set(records.map((record) => record.messageId));
      else failed = mapping.reportBatchItemFailures ? failedMessageIds(outcome.payload, records) : new Set();
    } catch {
      // Throttled: the whole batch returns to the queue after its visibility timeout.
      failed = new Set(records.map((record) => record.messageId));
    }
    this.counters.failedRecords += failed.size;
    const succeeded = records.filter((record) => !failed.has(record.messageId));
    for (let start = 0; start < succeeded.length; start += 10) {
      await this.options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: succeeded
            .slice(start, start + 10)
            .map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
        }),
      );
    }
  }
}

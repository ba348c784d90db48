import {
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { OpsError } from './errors';
import { labelOf } from './labels';

export interface QueueRef {
  readonly name: string;
  /** The name without stack prefix, hash and suffix: `AnalyticsQueueDeadLetters`. */
  readonly label: string;
  readonly url: string;
}

export interface DeadLetterSummary extends QueueRef {
  readonly depth: number;
  readonly inFlight: number;
  /** Seconds since the oldest of the first messages seen was sent; undefined when empty. */
  readonly oldestAgeSeconds?: number;
}

export interface DeadLetter {
  readonly messageId: string;
  readonly receiveCount: number;
  readonly sentAt?: string;
  /** Why it was dead-lettered: Junction's reason, or EventBridge's error for a route's DLQ. */
  readonly reason?: unknown;
  /** The original event (parsed JSON), or the body as text. */
  readonly event: unknown;
}

// Every dead-letter queue Junction makes is a DeadLetterQueue construct with `DeadLetters` in its id.
const DEAD_LETTER_NAME = /DeadLetters/;

export async function listQueues(sqs: SQSClient): Promise<QueueRef[]> {
  const urls: string[] = [];
  let token: string | undefined;
  do {
    const page = await sqs.send(new ListQueuesCommand({ MaxResults: 1000, NextToken: token }));
    urls.push(...(page.QueueUrls ?? []));
    token = page.NextToken;
  } while (token);
  return urls.map((url) => {
    const name = url.slice(url.lastIndexOf('/') + 1);
    return { name, label: labelOf(name), url };
  });
}

export async function deadLetterQueues(sqs: SQSClient): Promise<QueueRef[]> {
  return (await listQueues(sqs)).filter((queue) => DEAD_LETTER_NAME.test(queue.name));
}

/** The one queue a name (full, or any part of its label, in any case) points at. */
export function pickQueue(queues: readonly QueueRef[], wanted: string): QueueRef {
  const exact = queues.find((queue) => queue.name === wanted || queue.label === wanted);
  if (exact) return exact;
  const matches = queues.filter((queue) => queue.name.toLowerCase().includes(wanted.toLowerCase()));
  if (matches.length === 1 && matches[0]) return matches[0];
  const known = queues.map((queue) => queue.label).join(', ') || 'none';
  throw new OpsError(
    matches.length === 0
      ? `No queue matches "${wanted}". Known: ${known}.`
      : `"${wanted}" matches ${matches.length} queues (${matches.map((queue) => queue.label).join(', ')}): be more precise.`,
  );
}

/** Reads up to `limit` messages without hiding them from consumers (visibility timeout 0). */
export async function peek(sqs: SQSClient, queue: QueueRef, limit = 10): Promise<DeadLetter[]> {
  const answer = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queue.url,
      MaxNumberOfMessages: Math.min(10, Math.max(1, limit)),
      VisibilityTimeout: 0,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
  );
  return (answer.Messages ?? []).map((message) => {
    const attributes = message.MessageAttributes ?? {};
    const text = (name: string) => attributes[name]?.StringValue;
    const junctionReason = text('junction.dead_letter_reason');
    const reason = junctionReason
      ? parseOr(junctionReason)
      : text('ERROR_CODE')
        ? { error_code: text('ERROR_CODE'), error_message: text('ERROR_MESSAGE'), rule: text('RULE_ARN') }
        : undefined;
    const sent = Number(message.Attributes?.SentTimestamp);
    return {
      messageId: message.MessageId ?? '',
      receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
      ...(Number.isFinite(sent) ? { sentAt: new Date(sent).toISOString() } : {}),
      ...(reason === undefined ? {} : { reason }),
      event: parseOr(message.Body ?? ''),
    };
  });
}

function parseOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function summarize(
  sqs: SQSClient,
  queue: QueueRef,
  now = Date.now(),
): Promise<DeadLetterSummary> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queue.url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  const depth = Number(Attributes.ApproximateNumberOfMessages ?? 0);
  const sent = depth > 0 ? (await peek(sqs, queue)).map((message) => Date.parse(message.sentAt ?? '')) : [];
  const oldest = Math.min(...sent.filter(Number.isFinite));
  return {
    ...queue,
    depth,
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    ...(Number.isFinite(oldest) ? { oldestAgeSeconds: Math.max(0, Math.round((now - oldest) / 1000)) } : {}),
  };
}

async function arnOf(sqs: SQSClient, url: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (!arn) throw new OpsError(`No ARN for ${url}`);
  return arn;
}

export interface RedriveProgress {
  readonly moved: number;
  readonly toMove: number;
  readonly status: string;
}

/**
 * Moves a DLQ's messages back to the queue whose redrive policy names it (or to `to`) with an SQS
 * message move task, and follows the task to its end. A route's DLQ has no source queue: its
 * messages are events EventBridge could not deliver, so it needs `to`.
 */
export async function redrive(
  sqs: SQSClient,
  queue: QueueRef,
  options: {
    readonly to?: QueueRef;
    readonly onProgress?: (progress: RedriveProgress) => void;
    readonly pollMs?: number;
  },
): Promise<RedriveProgress & { readonly destination: string }> {
  let destinationUrl = options.to?.url;
  if (!destinationUrl) {
    const { queueUrls = [] } = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: queue.url }));
    if (queueUrls.length !== 1) {
      throw new OpsError(
        `${queue.label} has ${queueUrls.length === 0 ? "no source queue (it is a route's DLQ)" : 'several source queues'}: say where its messages go with --to QUEUE.`,
      );
    }
    destinationUrl = queueUrls[0] as string;
  }
  const sourceArn = await arnOf(sqs, queue.url);
  const { TaskHandle } = await sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: sourceArn,
      DestinationArn: await arnOf(sqs, destinationUrl),
    }),
  );
  for (;;) {
    const { Results = [] } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn }));
    const task = Results.find((candidate) => candidate.TaskHandle === TaskHandle) ?? Results[0];
    const progress = {
      moved: task?.ApproximateNumberOfMessagesMoved ?? 0,
      toMove: task?.ApproximateNumberOfMessagesToMove ?? 0,
      status: task?.Status ?? 'UNKNOWN',
    };
    options.onProgress?.(progress);
    if (progress.status === 'FAILED')
      throw new OpsError(`The move task failed: ${task?.FailureReason ?? 'no reason given'}`);
    if (progress.status !== 'RUNNING' && progress.status !== 'CANCELLING') {
      return { ...progress, destination: labelOf(destinationUrl.slice(destinationUrl.lastIndexOf('/') + 1)) };
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
  }
}

export async function purge(sqs: SQSClient, queue: QueueRef): Promise<void> {
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queue.url }));
}

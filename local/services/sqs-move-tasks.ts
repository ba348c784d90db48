import { randomUUID } from 'node:crypto';
import type { QueueSpec } from '../template/topology-types';
import { AwsError, jsonService, type ServiceHandler } from './aws-protocol';

/** Calls an SQS operation of the local service itself, as a client would. */
export type SqsCall = (operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

interface MoveTask {
  readonly TaskHandle: string;
  Status: 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';
  readonly SourceArn: string;
  readonly DestinationArn: string;
  ApproximateNumberOfMessagesMoved: number;
  readonly ApproximateNumberOfMessagesToMove: number;
  readonly StartedTimestamp: number;
  FailureReason?: string;
}

// SQS lists the most recent tasks of a source queue, at most 10.
const LISTED_TASKS = 10;

/**
 * SQS's message move tasks (dead-letter queue redrive), which fauxqs lacks: each task receives a
 * DLQ's messages and sends them, body and attributes, to the source queue (the one queue whose
 * redrive policy names the DLQ) or to `DestinationArn`, deleting each once sent. Written by hand
 * because no emulator has them; the operations follow SQS's API.
 */
export class MessageMoveTasks {
  private readonly tasks: MoveTask[] = [];

  constructor(
    private readonly queues: readonly QueueSpec[],
    private readonly sqs: SqsCall,
  ) {}

  readonly handler: ServiceHandler = jsonService(
    {
      StartMessageMoveTask: (input) => this.start(input),
      ListMessageMoveTasks: (input) => ({
        Results: this.tasks
          .filter((task) => task.SourceArn === input.SourceArn)
          .slice(-Number(input.MaxResults ?? LISTED_TASKS))
          .reverse()
          .map((task) => ({ ...task })),
      }),
      // fauxqs does not answer it either; the redrive policies are known here.
      ListDeadLetterSourceQueues: (input) => {
        const dlq = this.queues.find((candidate) => candidate.url === input.QueueUrl);
        return {
          queueUrls: dlq
            ? this.queues
                .filter((queue) => queue.redrive?.deadLetterArn === dlq.arn)
                .map((queue) => queue.url)
            : [],
        };
      },
      CancelMessageMoveTask: (input) => {
        const task = this.tasks.find((candidate) => candidate.TaskHandle === input.TaskHandle);
        if (task?.Status !== 'RUNNING') {
          throw new AwsError('ResourceNotFoundException', 'The task handle does not name a running task.');
        }
        task.Status = 'CANCELLING';
        return { ApproximateNumberOfMessagesMoved: task.ApproximateNumberOfMessagesMoved };
      },
    },
    'application/x-amz-json-1.0',
  );

  static handles(target: string | undefined): boolean {
    return /^AmazonSQS\.((Start|List|Cancel)MessageMoveTasks?|ListDeadLetterSourceQueues)$/.test(
      target ?? '',
    );
  }

  /** Starts a task, as StartMessageMoveTask does (the console's redrive button uses it too). */
  async start(input: Record<string, unknown>): Promise<{ TaskHandle: string }> {
    const source = this.queues.find((queue) => queue.arn === input.SourceArn);
    if (!source)
      throw new AwsError('ResourceNotFoundException', `No queue has the ARN ${String(input.SourceArn)}.`);
    const destination = this.destinationOf(source, input.DestinationArn);
    if (this.tasks.some((task) => task.SourceArn === source.arn && task.Status === 'RUNNING')) {
      throw new AwsError('UnsupportedOperation', 'A move task is already running for this queue.');
    }
    const { Attributes } = await this.sqs('GetQueueAttributes', {
      QueueUrl: source.url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    });
    const task: MoveTask = {
      TaskHandle: Buffer.from(JSON.stringify({ id: randomUUID(), source: source.arn })).toString('base64'),
      Status: 'RUNNING',
      SourceArn: source.arn,
      DestinationArn: destination.arn,
      ApproximateNumberOfMessagesMoved: 0,
      // Messages just peeked at (visibility 0) may still count as in flight; they move too.
      ApproximateNumberOfMessagesToMove:
        Number((Attributes as Record<string, string>).ApproximateNumberOfMessages) +
        Number((Attributes as Record<string, string>).ApproximateNumberOfMessagesNotVisible),
      StartedTimestamp: Date.now(),
    };
    this.tasks.push(task);
    void this.run(task, source, destination).catch((error: unknown) => {
      task.Status = 'FAILED';
      task.FailureReason = error instanceof Error ? error.message : String(error);
    });
    return { TaskHandle: task.TaskHandle };
  }

  private destinationOf(source: QueueSpec, destinationArn: unknown): QueueSpec {
    if (destinationArn !== undefined) {
      const given = this.queues.find((queue) => queue.arn === destinationArn);
      if (!given)
        throw new AwsError('ResourceNotFoundException', `No queue has the ARN ${String(destinationArn)}.`);
      return given;
    }
    const sources = this.queues.filter((queue) => queue.redrive?.deadLetterArn === source.arn);
    if (sources.length !== 1) {
      throw new AwsError(
        'InvalidParameterValue',
        `${source.name} has ${sources.length === 0 ? 'no source queue' : 'several source queues'}: give a DestinationArn.`,
      );
    }
    return sources[0] as QueueSpec;
  }

  private async run(task: MoveTask, source: QueueSpec, destination: QueueSpec): Promise<void> {
    while (task.Status === 'RUNNING') {
      const { Messages } = await this.sqs('ReceiveMessage', {
        QueueUrl: source.url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 30,
        MessageAttributeNames: ['All'],
      });
      const messages = (Messages ?? []) as {
        Body: string;
        ReceiptHandle: string;
        MessageAttributes?: unknown;
      }[];
      if (messages.length === 0) break;
      for (const message of messages) {
        await this.sqs('SendMessage', {
          QueueUrl: destination.url,
          MessageBody: message.Body,
          ...(message.MessageAttributes ? { MessageAttributes: message.MessageAttributes } : {}),
        });
        await this.sqs('DeleteMessage', { QueueUrl: source.url, ReceiptHandle: message.ReceiptHandle });
        task.ApproximateNumberOfMessagesMoved += 1;
      }
    }
    task.Status = task.Status === 'CANCELLING' ? 'CANCELLED' : 'COMPLETED';
  }
}

import type { FauxqsServer, MessageAttributeValue } from 'fauxqs';
import type { QueueSpec } from '../template/topology-types';
import type { AwsRequest, AwsResponse, ServiceHandler } from './aws-protocol';
import { forward } from './forward';
import { MessageMoveTasks } from './sqs-move-tasks';

export interface QueueState {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
  readonly deadLetterQueue?: string;
}

export interface QueueMessage {
  readonly messageId: string;
  readonly body: string;
  readonly receiveCount: number;
  readonly attributes: Readonly<Record<string, string | undefined>>;
}

/** A JSON object body, or undefined for anything else (SNS's query protocol, errors in XML). */
function parseObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The answers that carry queue URLs, which must point at the local endpoint rather than fauxqs. */
const URL_ANSWERS = new Set(
  ['CreateQueue', 'GetQueueUrl', 'ListQueues', 'ListDeadLetterSourceQueues'].map(
    (name) => `AmazonSQS.${name}`,
  ),
);

/** Scales a duration in whole seconds, never below one second (SQS's granularity). */
export function scaleSeconds(seconds: string | undefined, timeScale: number): string | undefined {
  if (seconds === undefined || timeScale === 1) return seconds;
  const value = Number(seconds);
  return value === 0 ? '0' : String(Math.max(1, Math.round(value * timeScale)));
}

/**
 * SQS and SNS, served by fauxqs behind the local endpoint. Queue URLs handed out point at the local
 * endpoint (`http://127.0.0.1:4566/<account>/<name>`) so handlers reach them unchanged; requests
 * and answers are rewritten to and from fauxqs's own URLs.
 */
export class SqsService {
  private readonly moveTasks: MessageMoveTasks;

  private constructor(
    private readonly fauxqs: FauxqsServer,
    private readonly publicBase: string,
    private readonly queues: readonly QueueSpec[],
    private readonly region: string,
  ) {
    this.moveTasks = new MessageMoveTasks(queues, (operation, input) => this.callSelf(operation, input));
  }

  /** An SQS operation made through this service's own handler, for the move tasks. */
  private async callSelf(
    operation: string,
    input: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const answer = await this.handler({
      method: 'POST',
      path: '/',
      query: new URLSearchParams(),
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${operation}` },
      body: Buffer.from(JSON.stringify(input)),
      service: 'sqs',
      target: `AmazonSQS.${operation}`,
      region: this.region,
    });
    const output = parseObject(Buffer.from(answer.body ?? '')) ?? {};
    if (answer.status !== 200)
      throw new Error(`${operation} failed: ${String(output.message ?? answer.status)}`);
    return output;
  }

  static async start(options: {
    readonly region: string;
    readonly publicBase: string;
    readonly queues: readonly QueueSpec[];
    readonly timeScale: number;
    /**
     * Per queue name, the shortest visibility timeout scaling may give it: its consumer's timeout.
     * A shorter one would hand a message to a second consumer while the first still works on it.
     */
    readonly minimumVisibility?: ReadonlyMap<string, number>;
  }): Promise<SqsService> {
    // fauxqs is ESM only and exports no `require` entry: load it with import().
    const { startFauxqs } = await import('fauxqs');
    const fauxqs = await startFauxqs({
      port: 0,
      logger: false,
      host: 'localhost',
      defaultRegion: options.region,
    });
    // DLQs first: a redrive policy must point at an existing queue.
    const ordered = [...options.queues].sort(
      (a, b) => Number(Boolean(a.redrive)) - Number(Boolean(b.redrive)),
    );
    for (const queue of ordered) {
      const attributes: Record<string, string> = { ...queue.attributes };
      const scaled = Number(scaleSeconds(attributes.VisibilityTimeout ?? '30', options.timeScale));
      const floor = Math.min(
        Number(attributes.VisibilityTimeout ?? '30'),
        options.minimumVisibility?.get(queue.name) ?? 0,
      );
      attributes.VisibilityTimeout = String(Math.max(scaled, floor));
      if (queue.redrive) {
        attributes.RedrivePolicy = JSON.stringify({
          deadLetterTargetArn: queue.redrive.deadLetterArn,
          maxReceiveCount: String(queue.redrive.maxReceiveCount),
        });
      }
      fauxqs.createQueue(queue.name, { region: options.region, attributes });
    }
    return new SqsService(fauxqs, options.publicBase, options.queues, options.region);
  }

  private fauxqsBase(region: string): string {
    return `http://sqs.${region}.localhost:${this.fauxqs.port}`;
  }

  /** The endpoint handler for `sqs` and `sns` requests. */
  readonly handler: ServiceHandler = async (request: AwsRequest): Promise<AwsResponse> => {
    if (MessageMoveTasks.handles(request.target)) return this.moveTasks.handler(request);
    const base = this.fauxqsBase(request.region);
    const input = parseObject(request.body);
    // Only queue URLs change: message bodies and attributes travel untouched.
    const forwarded =
      input && typeof input.QueueUrl === 'string'
        ? {
            ...input,
            QueueUrl: input.QueueUrl.replace(/^https?:\/\/[^/]+\/(\d{12})\/([^/?]+)$/, `${base}/$1/$2`),
          }
        : input;
    const body = forwarded === input ? request.body : Buffer.from(JSON.stringify(forwarded));
    const answer = await this.receiveOrForward(request, forwarded, body);
    if (!URL_ANSWERS.has(request.target ?? '')) return answer;
    const output = answer.body ? parseObject(Buffer.from(answer.body)) : undefined;
    if (!output) return answer;
    const toPublic = (url: unknown) => (typeof url === 'string' ? url.replace(base, this.publicBase) : url);
    if ('QueueUrl' in output) output.QueueUrl = toPublic(output.QueueUrl);
    for (const field of ['QueueUrls', 'queueUrls']) {
      if (Array.isArray(output[field])) output[field] = (output[field] as unknown[]).map(toPublic);
    }
    return { ...answer, body: JSON.stringify(output) };
  };

  /**
   * fauxqs wakes every long poll of a queue when a message arrives, and those that miss it answer
   * empty at once; SQS answers empty only when the wait time is up, so the poll is made again.
   */
  private async receiveOrForward(
    request: AwsRequest,
    input: Record<string, unknown> | undefined,
    body: Buffer,
  ): Promise<AwsResponse> {
    const waitSeconds = Number(input?.WaitTimeSeconds ?? 0);
    const isLongPoll = request.target === 'AmazonSQS.ReceiveMessage' && waitSeconds > 0 && waitSeconds <= 20;
    let answer = await forward(this.fauxqs.port, request, body);
    if (!isLongPoll) return answer;
    const deadline = Date.now() + waitSeconds * 1000;
    for (;;) {
      const remainingSeconds = Math.round((deadline - Date.now()) / 1000);
      const received = answer.status === 200 ? parseObject(Buffer.from(answer.body ?? '')) : undefined;
      const empty =
        received !== undefined && !(Array.isArray(received.Messages) && received.Messages.length > 0);
      if (!empty || remainingSeconds < 1) return answer;
      const again = Buffer.from(JSON.stringify({ ...input, WaitTimeSeconds: remainingSeconds }));
      answer = await forward(this.fauxqs.port, request, again);
    }
  }

  states(): QueueState[] {
    return this.queues.map((queue) => {
      const state = this.fauxqs.inspectQueue(queue.name);
      return {
        name: queue.name,
        url: queue.url,
        arn: queue.arn,
        visible: state?.messages.ready.length ?? 0,
        inFlight: state?.messages.inflight.length ?? 0,
        delayed: state?.messages.delayed.length ?? 0,
        deadLetterQueue: this.queues.find((candidate) => candidate.arn === queue.redrive?.deadLetterArn)
          ?.name,
      };
    });
  }

  /** Every message of a queue (ready, in flight, delayed), without receiving it. */
  peek(queueName: string): QueueMessage[] {
    const state = this.fauxqs.inspectQueue(queueName);
    if (!state) return [];
    const all = [
      ...state.messages.ready,
      ...state.messages.delayed,
      ...state.messages.inflight.map((entry) => entry.message),
    ];
    return all.map((message) => ({
      messageId: message.messageId,
      body: message.body,
      receiveCount: message.approximateReceiveCount,
      attributes: Object.fromEntries(
        Object.entries(message.messageAttributes).map(([name, value]) => [name, value.StringValue]),
      ),
    }));
  }

  /** Sends a message without going through HTTP (EventBridge targets, Step Functions tasks). */
  send(
    queueName: string,
    body: string,
    options: { messageAttributes?: Record<string, MessageAttributeValue>; messageGroupId?: string } = {},
  ) {
    return this.fauxqs.sendMessage(queueName, body, { ...options, region: this.region });
  }

  /** Moves a DLQ's messages back to its source queue, as `StartMessageMoveTask` would. */
  redrive(queueName: string): Promise<{ TaskHandle: string }> {
    const queue = this.queues.find((candidate) => candidate.name === queueName);
    if (!queue) return Promise.reject(new Error(`No queue named ${queueName}`));
    return this.moveTasks.start({ SourceArn: queue.arn });
  }

  queueByArn(arn: string): QueueSpec | undefined {
    return this.queues.find((queue) => queue.arn === arn);
  }

  queueByUrl(url: string): QueueSpec | undefined {
    return this.queues.find((queue) => queue.url === url);
  }

  stop(): Promise<void> {
    return this.fauxqs.stop();
  }
}

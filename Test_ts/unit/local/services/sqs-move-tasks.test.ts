import { SqsService } from '../../../../local/services/sqs-service';
import type { QueueSpec } from '../../../../local/template/topology-types';
import { jsonOf, jsonProtocolRequest } from '../../../fixtures/local-services/aws-request';
import { waitFor } from '../../../support/wait';

// StartMessageMoveTask, ListMessageMoveTasks and CancelMessageMoveTask, which fauxqs lacks: the local
// SQS moves a dead-letter queue's messages back to its source queue, or to a queue it is given.

const REGION = 'us-east-1';
const BASE = 'http://127.0.0.1:4566';
const url = (name: string) => `${BASE}/000000000000/${name}`;
const arn = (name: string) => `arn:aws:sqs:${REGION}:000000000000:${name}`;
const queue = (name: string, redrive?: QueueSpec['redrive']): QueueSpec => ({
  logicalId: name.replace(/\W/g, ''),
  name,
  url: url(name),
  arn: arn(name),
  attributes: {},
  ...(redrive ? { redrive } : {}),
});

let service: SqsService;
beforeAll(async () => {
  service = await SqsService.start({
    region: REGION,
    publicBase: BASE,
    timeScale: 1,
    queues: [
      queue('orders', { deadLetterArn: arn('orders-dlq'), maxReceiveCount: 3 }),
      queue('orders-dlq'),
      queue('route-dlq'),
      queue('replay-target'),
    ],
  });
});
afterAll(() => service.stop());

async function call(operation: string, input: unknown) {
  const answer = await service.handler(
    jsonProtocolRequest({
      service: 'sqs',
      target: `AmazonSQS.${operation}`,
      input,
      contentType: 'application/x-amz-json-1.0',
      region: REGION,
    }),
  );
  return { status: answer.status, body: jsonOf(answer) };
}

async function fill(name: string, count: number) {
  for (let index = 0; index < count; index += 1) {
    await call('SendMessage', {
      QueueUrl: url(name),
      MessageBody: `message ${index}`,
      MessageAttributes: { 'junction.error_code': { DataType: 'String', StringValue: 'TIMEOUT' } },
    });
  }
}

async function tasksOf(name: string) {
  const { body } = await call('ListMessageMoveTasks', { SourceArn: arn(name) });
  return body.Results as {
    Status: string;
    ApproximateNumberOfMessagesMoved: number;
    ApproximateNumberOfMessagesToMove: number;
    DestinationArn?: string;
  }[];
}

describe('message move tasks on the local SQS', () => {
  it('moves every message of a DLQ back to its source queue, attributes kept, and reports the task', async () => {
    await fill('orders-dlq', 3);
    const started = await call('StartMessageMoveTask', { SourceArn: arn('orders-dlq') });
    expect(started.status).toBe(200);
    expect(started.body.TaskHandle).toEqual(expect.any(String));
    const [task] = await waitFor(async () => {
      const tasks = await tasksOf('orders-dlq');
      return tasks[0]?.Status === 'COMPLETED' ? tasks : undefined;
    }, 'the move task to complete');
    expect(task).toMatchObject({
      ApproximateNumberOfMessagesMoved: 3,
      ApproximateNumberOfMessagesToMove: 3,
      DestinationArn: arn('orders'),
    });
    expect(service.peek('orders-dlq')).toEqual([]);
    const moved = service.peek('orders');
    expect(moved.map((message) => message.body).sort()).toEqual(['message 0', 'message 1', 'message 2']);
    expect(moved[0]?.attributes['junction.error_code']).toBe('TIMEOUT');
  });

  it('moves to the queue it is given', async () => {
    await fill('route-dlq', 2);
    await call('StartMessageMoveTask', { SourceArn: arn('route-dlq'), DestinationArn: arn('replay-target') });
    await waitFor(
      async () => ((await tasksOf('route-dlq'))[0]?.Status === 'COMPLETED' ? true : undefined),
      'done',
    );
    expect(service.peek('replay-target')).toHaveLength(2);
  });

  it('refuses a DLQ with no source queue and no destination, and a queue it does not know', async () => {
    const orphan = await call('StartMessageMoveTask', { SourceArn: arn('route-dlq') });
    expect(orphan.status).toBe(400);
    expect(String(orphan.body.message)).toContain('no source queue');
    const unknown = await call('StartMessageMoveTask', { SourceArn: arn('nowhere') });
    expect(unknown.status).toBe(400);
    expect(String(unknown.body.__type)).toContain('ResourceNotFoundException');
  });

  it('lists the source queues of a DLQ from the redrive policies', async () => {
    expect((await call('ListDeadLetterSourceQueues', { QueueUrl: url('orders-dlq') })).body).toEqual({
      queueUrls: [url('orders')],
    });
    expect((await call('ListDeadLetterSourceQueues', { QueueUrl: url('route-dlq') })).body).toEqual({
      queueUrls: [],
    });
  });
});

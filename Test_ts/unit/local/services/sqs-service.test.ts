import { createHash } from 'node:crypto';
import { SqsService, scaleSeconds } from '../../../../local/services/sqs-service';
import type { QueueSpec } from '../../../../local/template/topology-types';
import { jsonOf, jsonProtocolRequest } from '../../../fixtures/local-services/aws-request';

/** The queue names in the order the service creates them in fauxqs. */
const mockCreatedQueues: string[] = [];

jest.mock('fauxqs', () => {
  const actual = jest.requireActual<typeof import('fauxqs')>('fauxqs');
  return {
    ...actual,
    startFauxqs: async (options: Parameters<typeof actual.startFauxqs>[0]) => {
      const server = await actual.startFauxqs(options);
      const createQueue = server.createQueue.bind(server);
      return Object.assign(server, {
        createQueue: (name: string, queueOptions: Parameters<typeof createQueue>[1]) => {
          mockCreatedQueues.push(name);
          return createQueue(name, queueOptions);
        },
      });
    },
  };
});

const REGION = 'us-east-1';
const PUBLIC_BASE = 'http://127.0.0.1:4566';
const publicUrl = (name: string) => `${PUBLIC_BASE}/000000000000/${name}`;
const arnOf = (name: string) => `arn:aws:sqs:${REGION}:000000000000:${name}`;

function queue(
  name: string,
  attributes: Record<string, string> = {},
  redrive?: QueueSpec['redrive'],
): QueueSpec {
  return {
    logicalId: `${name.replace(/\W/g, '')}Queue`,
    name,
    url: publicUrl(name),
    arn: arnOf(name),
    attributes: Object.freeze({ ...attributes }),
    ...(redrive ? { redrive } : {}),
  };
}

const QUEUES: readonly QueueSpec[] = [
  queue('orders', { VisibilityTimeout: '60' }, { deadLetterArn: arnOf('orders-dlq'), maxReceiveCount: 2 }),
  queue('orders-dlq', { VisibilityTimeout: '300', MessageRetentionPeriod: '1209600' }),
  queue('quick', { VisibilityTimeout: '60' }),
  queue('defaulted'),
  queue('capped', { VisibilityTimeout: '20' }),
  queue('tiny', { VisibilityTimeout: '5' }),
  queue('instant', { VisibilityTimeout: '0' }),
  queue('counted'),
  queue('peeked'),
  queue('polled'),
  queue('jobs.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' }),
];

let service: SqsService;

beforeAll(async () => {
  service = await SqsService.start({
    region: REGION,
    publicBase: PUBLIC_BASE,
    queues: QUEUES,
    timeScale: 0.1,
    minimumVisibility: new Map([
      ['orders', 30],
      ['defaulted', 10],
      ['capped', 45],
    ]),
  });
});

afterAll(() => service.stop());

const call = (operation: string, input: unknown, region = REGION) =>
  service.handler(
    jsonProtocolRequest({
      service: 'sqs',
      target: `AmazonSQS.${operation}`,
      input,
      contentType: 'application/x-amz-json-1.0',
      region,
    }),
  );

async function attributesOf(name: string): Promise<Record<string, string>> {
  const answer = await call('GetQueueAttributes', { QueueUrl: publicUrl(name), AttributeNames: ['All'] });
  return jsonOf(answer).Attributes as Record<string, string>;
}

type Received = { MessageId: string; Body: string; ReceiptHandle: string };

async function receive(name: string, input: Record<string, unknown> = {}): Promise<Received[]> {
  const answer = await call('ReceiveMessage', { QueueUrl: publicUrl(name), ...input });
  return (jsonOf(answer).Messages ?? []) as Received[];
}

describe('scaleSeconds', () => {
  it('leaves an absent duration absent and any duration unchanged at scale 1', () => {
    expect(scaleSeconds(undefined, 0.1)).toBeUndefined();
    expect(scaleSeconds('45', 1)).toBe('45');
  });

  it('scales whole seconds, rounding to the nearest second', () => {
    expect(scaleSeconds('30', 0.1)).toBe('3');
    expect(scaleSeconds('45', 0.5)).toBe('23');
    expect(scaleSeconds('20', 3)).toBe('60');
  });

  it('never scales a non-zero duration below one second, and keeps zero at zero', () => {
    expect(scaleSeconds('5', 0.01)).toBe('1');
    expect(scaleSeconds('0', 0.01)).toBe('0');
  });
});

describe('SqsService queue creation', () => {
  it('creates every queue, each dead-letter queue before the queues that redrive to it', () => {
    expect([...mockCreatedQueues].sort()).toEqual(QUEUES.map((spec) => spec.name).sort());
    expect(mockCreatedQueues.indexOf('orders-dlq')).toBeLessThan(mockCreatedQueues.indexOf('orders'));
  });

  it('gives the source queue its redrive policy', async () => {
    const attributes = await attributesOf('orders');
    const policy = JSON.parse(attributes.RedrivePolicy ?? '{}') as Record<string, unknown>;
    expect(policy.deadLetterTargetArn).toBe(arnOf('orders-dlq'));
    expect(Number(policy.maxReceiveCount)).toBe(2);
    expect((await attributesOf('quick')).RedrivePolicy).toBeUndefined();
  });

  it.each([
    ['quick', '6', 'scaled by the time scale'],
    ['orders-dlq', '30', 'scaled by the time scale'],
    ['orders', '30', 'raised to its consumer’s timeout'],
    ['defaulted', '10', 'the 30 s default scaled, then raised to its consumer’s timeout'],
    ['capped', '20', 'raised no higher than the template’s value'],
    ['tiny', '1', 'never below one second'],
    ['instant', '0', 'zero kept at zero'],
  ])('sets the visibility timeout of %s to %s s: %s', async (name, expected) => {
    expect((await attributesOf(name)).VisibilityTimeout).toBe(expected);
  });

  it('passes other attributes through unscaled', async () => {
    expect((await attributesOf('orders-dlq')).MessageRetentionPeriod).toBe('1209600');
    expect((await attributesOf('jobs.fifo')).FifoQueue).toBe('true');
  });
});

describe('SqsService.handler', () => {
  it('answers GetQueueUrl and ListQueues with the public queue URLs', async () => {
    const found = await call('GetQueueUrl', { QueueName: 'quick' });
    expect(found.status).toBe(200);
    expect(jsonOf(found)).toEqual({ QueueUrl: publicUrl('quick') });
    const listed = jsonOf(await call('ListQueues', {}));
    expect(listed.QueueUrls).toEqual(expect.arrayContaining(QUEUES.map((spec) => spec.url)));
    expect(listed.QueueUrls).toHaveLength(QUEUES.length);
  });

  it('sends to and receives from a queue addressed by its public URL', async () => {
    const sent = await call('SendMessage', {
      QueueUrl: publicUrl('quick'),
      MessageBody: 'hello',
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' } },
    });
    expect(sent.status).toBe(200);
    const { MessageId } = jsonOf(sent);
    const [message, ...rest] = await receive('quick', { MessageAttributeNames: ['All'] });
    expect(rest).toEqual([]);
    expect(message).toMatchObject({
      MessageId,
      Body: 'hello',
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' } },
    });
    const deleted = await call('DeleteMessage', {
      QueueUrl: publicUrl('quick'),
      ReceiptHandle: message?.ReceiptHandle,
    });
    expect(deleted.status).toBe(200);
    expect(service.peek('quick')).toEqual([]);
  });

  it('answers an unknown queue with QueueDoesNotExist', async () => {
    const answer = await call('SendMessage', { QueueUrl: publicUrl('nope'), MessageBody: 'x' });
    expect(answer.status).toBe(400);
    expect(jsonOf(answer).__type).toContain('QueueDoesNotExist');
  });

  it('addresses the queue in the region the request is signed for', async () => {
    const elsewhere = await call(
      'SendMessage',
      { QueueUrl: publicUrl('quick'), MessageBody: 'x' },
      'eu-west-1',
    );
    expect(elsewhere.status).toBe(400);
    expect(service.peek('quick')).toEqual([]);
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives', async () => {
    await call('SendMessage', { QueueUrl: publicUrl('orders'), MessageBody: 'poison' });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect(await receive('orders', { VisibilityTimeout: 0 })).toHaveLength(1);
    }
    expect(await receive('orders', { VisibilityTimeout: 0 })).toEqual([]);
    expect(service.peek('orders-dlq').map((message) => message.body)).toEqual(['poison']);
  });
});

describe('SqsService long polling', () => {
  it('answers a long poll empty only when its wait time is up, even when another poller took the message', async () => {
    const began = performance.now();
    const timed = (poll: Promise<Received[]>) =>
      poll.then((messages) => ({ messages, afterMs: performance.now() - began }));
    const polls = [
      timed(receive('polled', { WaitTimeSeconds: 2 })),
      timed(receive('polled', { WaitTimeSeconds: 2 })),
    ];
    await new Promise((resolve) => setTimeout(resolve, 100));
    await call('SendMessage', { QueueUrl: publicUrl('polled'), MessageBody: 'one' });
    const [first, second] = await Promise.all(polls);
    const [winner, loser] = first?.messages.length ? [first, second] : [second, first];
    expect(winner?.messages.map((message) => message.Body)).toEqual(['one']);
    expect(winner?.afterMs).toBeLessThan(1000);
    expect(loser?.messages).toEqual([]);
    expect(loser?.afterMs).toBeGreaterThanOrEqual(1500);
  });
});

describe('SqsService.states', () => {
  it('counts visible, in-flight and delayed messages and names the dead-letter queue', async () => {
    for (const body of ['one', 'two'])
      await call('SendMessage', { QueueUrl: publicUrl('counted'), MessageBody: body });
    await call('SendMessage', { QueueUrl: publicUrl('counted'), MessageBody: 'later', DelaySeconds: 60 });
    await receive('counted', { MaxNumberOfMessages: 1 });

    const states = service.states();
    expect(states.map((state) => state.name)).toEqual(QUEUES.map((spec) => spec.name));
    expect(states.find((state) => state.name === 'counted')).toEqual({
      name: 'counted',
      url: publicUrl('counted'),
      arn: arnOf('counted'),
      visible: 1,
      inFlight: 1,
      delayed: 1,
      deadLetterQueue: undefined,
    });
    expect(states.find((state) => state.name === 'orders')?.deadLetterQueue).toBe('orders-dlq');
  });
});

describe('SqsService.peek and send', () => {
  it('shows a sent message with its attributes without receiving it', async () => {
    const sent = service.send('peeked', '{"id":1}', {
      messageAttributes: { trace: { DataType: 'String', StringValue: 't-1' } },
    });
    const peeked = service.peek('peeked');
    expect(peeked).toEqual([
      { messageId: sent.messageId, body: '{"id":1}', receiveCount: 0, attributes: { trace: 't-1' } },
    ]);
    expect(service.peek('peeked')).toEqual(peeked);
    expect(service.states().find((state) => state.name === 'peeked')).toMatchObject({
      visible: 1,
      inFlight: 0,
    });
  });

  it('includes in-flight messages with their receive count', async () => {
    await receive('peeked');
    expect(service.peek('peeked')).toEqual([expect.objectContaining({ body: '{"id":1}', receiveCount: 1 })]);
  });

  it('sends to a FIFO queue with a message group', () => {
    service.send('jobs.fifo', 'job-1', { messageGroupId: 'group-a' });
    expect(service.peek('jobs.fifo').map((message) => message.body)).toEqual(['job-1']);
  });

  it('shows nothing for a queue it does not know', () => {
    expect(service.peek('nope')).toEqual([]);
  });
});

describe('SqsService queue lookups', () => {
  it('finds a queue spec by ARN and by public URL', () => {
    const orders = QUEUES[0];
    expect(service.queueByArn(arnOf('orders'))).toBe(orders);
    expect(service.queueByUrl(publicUrl('orders'))).toBe(orders);
  });

  it('finds nothing for an unknown ARN or URL', () => {
    expect(service.queueByArn(arnOf('nope'))).toBeUndefined();
    expect(service.queueByUrl(publicUrl('nope'))).toBeUndefined();
    expect(service.queueByUrl('http://sqs.us-east-1.localhost:1/000000000000/orders')).toBeUndefined();
  });
});

describe('SqsService leaves message bodies alone', () => {
  it('stores and returns a body that happens to contain a URL unchanged, with a matching MD5', async () => {
    const queue = QUEUES[0]?.name ?? '';
    const body = 'see https://cdn.example/202501151000/a.png';
    const sent = jsonOf(await call('SendMessage', { QueueUrl: publicUrl(queue), MessageBody: body }));
    const received = jsonOf(
      await call('ReceiveMessage', {
        QueueUrl: publicUrl(queue),
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
      }),
    );
    const message = (received.Messages as { Body: string; MD5OfBody: string }[] | undefined)?.find(
      (candidate) => candidate.Body.includes('cdn.example'),
    );
    expect(message?.Body).toBe(body);
    expect(sent.MD5OfMessageBody).toBe(createHash('md5').update(body).digest('hex'));
  });
});

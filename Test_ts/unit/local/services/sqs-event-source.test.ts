import { PassThrough } from 'node:stream';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { ConsoleLog } from '../../../../local/runtime/console-log';
import type { LambdaRuntime } from '../../../../local/runtime/lambda-runtime';
import { failedMessageIds, SqsEventSource, toSqsRecord } from '../../../../local/services/sqs-event-source';
import type { EventSourceMappingSpec, QueueSpec } from '../../../../local/template/topology-types';

const ARN = 'arn:aws:sqs:us-east-1:000000000000:orders';

describe('toSqsRecord', () => {
  it('shapes a received message as Lambda hands it to the function', () => {
    const record = toSqsRecord(
      {
        MessageId: 'm-1',
        ReceiptHandle: 'rh-1',
        Body: 'hello',
        MD5OfBody: 'md5',
        Attributes: { ApproximateReceiveCount: '3', SentTimestamp: '1736935200000' },
        MessageAttributes: { 'junction.error_code': { DataType: 'String', StringValue: 'X' } },
      },
      ARN,
      'us-east-1',
    );
    expect(record).toMatchObject({
      messageId: 'm-1',
      receiptHandle: 'rh-1',
      body: 'hello',
      attributes: { ApproximateReceiveCount: '3', SentTimestamp: '1736935200000' },
      messageAttributes: { 'junction.error_code': { dataType: 'String', stringValue: 'X' } },
      eventSource: 'aws:sqs',
      eventSourceARN: ARN,
      awsRegion: 'us-east-1',
    });
  });
});

describe('failedMessageIds', () => {
  const records = ['a', 'b', 'c'].map((id) =>
    toSqsRecord({ MessageId: id, ReceiptHandle: id, Body: '' }, ARN, 'us-east-1'),
  );

  it('takes the reported failures', () => {
    expect([...failedMessageIds({ batchItemFailures: [{ itemIdentifier: 'b' }] }, records)]).toEqual(['b']);
  });

  it('treats an empty report or no report as all succeeded', () => {
    expect(failedMessageIds({ batchItemFailures: [] }, records).size).toBe(0);
    expect(failedMessageIds(null, records).size).toBe(0);
    expect(failedMessageIds({}, records).size).toBe(0);
  });

  it.each([
    ['an unknown id', { batchItemFailures: [{ itemIdentifier: 'zzz' }] }],
    ['a missing id', { batchItemFailures: [{}] }],
    ['a report that is not a list', { batchItemFailures: 'b' }],
  ])('fails the whole batch for a malformed report: %s', (_, payload) => {
    expect(failedMessageIds(payload, records).size).toBe(3);
  });
});

describe('SqsEventSource pollers', () => {
  const sqsMock = mockClient(SQSClient);
  afterEach(() => sqsMock.reset());

  /** Starts a mapping over a queue that answers every receive after a while, and counts receives in flight. */
  async function pollersInFlight(mapping: Partial<EventSourceMappingSpec>, defaultConcurrency?: number) {
    let inFlight = 0;
    let most = 0;
    sqsMock.on(ReceiveMessageCommand).callsFake(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight -= 1;
      return { Messages: [] };
    });
    const source = new SqsEventSource({
      mapping: {
        logicalId: 'Mapping',
        functionName: 'consumer',
        eventSourceArn: ARN,
        batchSize: 10,
        maxBatchingWindowSeconds: 0,
        reportBatchItemFailures: true,
        maximumConcurrency: undefined,
        enabled: true,
        ...mapping,
      },
      queue: { url: 'http://127.0.0.1:4566/000000000000/orders', arn: ARN, name: 'orders' } as QueueSpec,
      sqs: new SQSClient({ region: 'us-east-1' }),
      runtime: {} as LambdaRuntime,
      console: new ConsoleLog('quiet', new PassThrough()),
      region: 'us-east-1',
      ...(defaultConcurrency === undefined ? {} : { defaultConcurrency }),
      timeScale: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await source.stop();
    return most;
  }

  it('polls with five concurrent batches by default, as Lambda starts an SQS mapping', async () => {
    expect(await pollersInFlight({})).toBe(5);
  });

  it('polls with the mapping’s maximum concurrency when it sets one', async () => {
    expect(await pollersInFlight({ maximumConcurrency: 2 })).toBe(2);
  });

  it('never polls with more than ten concurrent batches locally', async () => {
    expect(await pollersInFlight({ maximumConcurrency: 50 })).toBe(10);
  });
});

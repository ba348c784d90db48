import { LogStore } from '../../../../local/runtime/log-store';
import { logsApi } from '../../../../local/services/logs-service';
import { jsonOf, jsonProtocolRequest } from '../../../fixtures/local-services/aws-request';

const T0 = Date.UTC(2025, 0, 15, 10, 0, 0);

const logs = new LogStore();
logs.ensureGroup('/junction/audit');
logs.put('/aws/lambda/ingest', 'stream-a', '{"message":"order accepted","order_id":"ord-42"}', T0);
logs.put('/aws/lambda/ingest', 'stream-a', 'START RequestId: r-1', T0 + 1000);
logs.put('/aws/lambda/ingest', 'stream-b', '{"message":"order rejected","order_id":"ord-43"}', T0 + 2000);
logs.put('/aws/lambda/ingest', 'stream-b', '{"message":"order shipped","order_id":"ord-42"}', T0 + 3000);
logs.put('/aws/lambda/invoice', 'stream-c', 'invoice created', T0 + 500);

const handler = logsApi(logs);

const call = (operation: string, input: unknown) =>
  handler(jsonProtocolRequest({ service: 'logs', target: `Logs_20140328.${operation}`, input }));

interface FilteredEvent {
  readonly logStreamName: string;
  readonly timestamp: number;
  readonly ingestionTime: number;
  readonly message: string;
  readonly eventId: string;
}

async function filter(input: Record<string, unknown>): Promise<FilteredEvent[]> {
  const answer = await call('FilterLogEvents', { logGroupName: '/aws/lambda/ingest', ...input });
  expect(answer.status).toBe(200);
  return jsonOf(answer).events as FilteredEvent[];
}

describe('logsApi DescribeLogGroups', () => {
  it('lists every log group, sorted, with its ARN', async () => {
    const answer = await call('DescribeLogGroups', {});
    expect(answer.status).toBe(200);
    expect(answer.headers?.['Content-Type']).toBe('application/x-amz-json-1.1');
    expect(jsonOf(answer)).toEqual({
      logGroups: [
        {
          logGroupName: '/aws/lambda/ingest',
          arn: 'arn:aws:logs:local:000000000000:log-group:/aws/lambda/ingest:*',
        },
        {
          logGroupName: '/aws/lambda/invoice',
          arn: 'arn:aws:logs:local:000000000000:log-group:/aws/lambda/invoice:*',
        },
        {
          logGroupName: '/junction/audit',
          arn: 'arn:aws:logs:local:000000000000:log-group:/junction/audit:*',
        },
      ],
    });
  });

  it('keeps the groups whose name starts with logGroupNamePrefix', async () => {
    const names = async (prefix: string) =>
      (
        (jsonOf(await call('DescribeLogGroups', { logGroupNamePrefix: prefix })).logGroups ?? []) as {
          logGroupName: string;
        }[]
      ).map((group) => group.logGroupName);
    expect(await names('/aws/lambda/')).toEqual(['/aws/lambda/ingest', '/aws/lambda/invoice']);
    expect(await names('/aws/lambda/inv')).toEqual(['/aws/lambda/invoice']);
    expect(await names('lambda')).toEqual([]);
  });
});

describe('logsApi FilterLogEvents', () => {
  it('returns every event of the group in order, with stream, times and an event id', async () => {
    const events = await filter({});
    expect(events.map((event) => event.timestamp)).toEqual([T0, T0 + 1000, T0 + 2000, T0 + 3000]);
    expect(events[0]).toEqual({
      logStreamName: 'stream-a',
      timestamp: T0,
      ingestionTime: expect.any(Number),
      message: '{"message":"order accepted","order_id":"ord-42"}',
      eventId: `${T0}-0`,
    });
    expect(events[2]?.logStreamName).toBe('stream-b');
  });

  it('answers searchedLogStreams as an empty list', async () => {
    const answer = await call('FilterLogEvents', { logGroupName: '/aws/lambda/ingest' });
    expect(jsonOf(answer).searchedLogStreams).toEqual([]);
  });

  it('keeps the events containing a quoted filter pattern', async () => {
    const events = await filter({ filterPattern: '"ord-42"' });
    expect(events.map((event) => event.message)).toEqual([
      '{"message":"order accepted","order_id":"ord-42"}',
      '{"message":"order shipped","order_id":"ord-42"}',
    ]);
  });

  it('matches an unquoted pattern as the same term', async () => {
    expect((await filter({ filterPattern: 'START' })).map((event) => event.timestamp)).toEqual([T0 + 1000]);
  });

  it('treats an empty pattern as no filter', async () => {
    expect(await filter({ filterPattern: '' })).toHaveLength(4);
    expect(await filter({ filterPattern: '""' })).toHaveLength(4);
  });

  it('keeps the events within the time window, both ends included', async () => {
    const events = await filter({ startTime: T0 + 1000, endTime: T0 + 2000 });
    expect(events.map((event) => event.timestamp)).toEqual([T0 + 1000, T0 + 2000]);
    expect(await filter({ startTime: T0 + 3001 })).toEqual([]);
    expect((await filter({ endTime: T0 })).map((event) => event.timestamp)).toEqual([T0]);
  });

  it('returns at most limit events, the oldest first', async () => {
    const events = await filter({ limit: 2 });
    expect(events.map((event) => event.timestamp)).toEqual([T0, T0 + 1000]);
  });

  it('combines the pattern, the window and the limit', async () => {
    const events = await filter({ filterPattern: '"order"', startTime: T0 + 1, limit: 1 });
    expect(events.map((event) => event.message)).toEqual([
      '{"message":"order rejected","order_id":"ord-43"}',
    ]);
  });

  it('returns no events for an existing group without any', async () => {
    const answer = await call('FilterLogEvents', { logGroupName: '/junction/audit' });
    expect(jsonOf(answer).events).toEqual([]);
  });

  it.each([
    ['an unknown group', { logGroupName: '/aws/lambda/nope' }],
    ['no group', {}],
  ])('answers %s with ResourceNotFoundException', async (_, input) => {
    const answer = await call('FilterLogEvents', input);
    expect(answer.status).toBe(400);
    expect(answer.headers?.['x-amzn-ErrorType']).toBe('ResourceNotFoundException');
    expect(jsonOf(answer)).toEqual({
      __type: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
  });
});

describe('logsApi other operations', () => {
  it('answers an operation it does not serve with UnknownOperationException', async () => {
    const answer = await call('PutLogEvents', { logGroupName: '/aws/lambda/ingest' });
    expect(answer.status).toBe(400);
    expect(jsonOf(answer).__type).toBe('UnknownOperationException');
  });
});

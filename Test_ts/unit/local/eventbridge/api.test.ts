import { PassThrough } from 'node:stream';
import { eventBridgeApi } from '../../../../local/eventbridge/api';
import { EventBridge } from '../../../../local/eventbridge/event-bridge';
import { type Delivery, TargetDispatcher } from '../../../../local/eventbridge/targets';
import { ConsoleLog } from '../../../../local/runtime/console-log';
import type { AwsRequest, ServiceHandler } from '../../../../local/services/aws-protocol';
import type { RuleSpec } from '../../../../local/template/topology-types';

const ACCOUNT = '000000000000';
const BUS = 'junction-bus';
const BUS_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/${BUS}`;
const DEFAULT_BUS_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`;
const QUEUE_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}:analytics`;
const DLQ_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}:route-dlq`;
const FUNCTION_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:audit`;
const ARCHIVE_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:archive/orders-archive`;
const ROUTE_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:rule/${BUS}/orders-route`;
const AUDIT_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:rule/${BUS}/orders-audit`;
/** 2025-01-15T10:00:00Z in epoch seconds. */
const T0 = 1_736_935_200;

const RULES: RuleSpec[] = [
  {
    logicalId: 'OrdersRoute',
    name: 'orders-route',
    arn: ROUTE_ARN,
    busName: BUS,
    pattern: { source: ['junction.orders'] },
    enabled: true,
    description: 'Orders to analytics',
    targets: [
      {
        id: 'Queue',
        arn: QUEUE_ARN,
        deadLetterArn: DLQ_ARN,
        retryPolicy: { maximumEventAgeSeconds: 3600, maximumRetryAttempts: 3 },
        messageGroupId: 'orders',
      },
      {
        id: 'Transform',
        arn: FUNCTION_ARN,
        inputTransformer: { InputPathsMap: { id: '$.detail.id' }, InputTemplate: '{"orderId": <id>}' },
        retryPolicy: { maximumEventAgeSeconds: 60, maximumRetryAttempts: 0 },
      },
    ],
  },
  {
    logicalId: 'OrdersAudit',
    name: 'orders-audit',
    arn: AUDIT_ARN,
    busName: BUS,
    pattern: { source: ['junction.orders'], 'detail-type': ['order.created'] },
    enabled: false,
    targets: [
      {
        id: 'Path',
        arn: FUNCTION_ARN,
        inputPath: '$.detail',
        retryPolicy: { maximumEventAgeSeconds: 86400, maximumRetryAttempts: 185 },
      },
      {
        id: 'Constant',
        arn: QUEUE_ARN,
        input: '{"fixed":true}',
        retryPolicy: { maximumEventAgeSeconds: 86400, maximumRetryAttempts: 185 },
      },
    ],
  },
  {
    logicalId: 'Cleanup',
    name: 'cleanup',
    arn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/cleanup`,
    busName: 'default',
    scheduleExpression: 'rate(1 hour)',
    enabled: true,
    targets: [],
  },
];

function api() {
  const delivered: { service: string; name: string; delivery: Delivery }[] = [];
  const dispatcher = new TargetDispatcher();
  for (const service of ['sqs', 'lambda']) {
    dispatcher.register({
      service,
      deliver: async (name, delivery) => {
        delivered.push({ service, name, delivery });
      },
    });
  }
  const bridge = new EventBridge({
    accountId: ACCOUNT,
    region: 'us-east-1',
    buses: [{ logicalId: 'Bus', name: BUS, arn: BUS_ARN }],
    rules: RULES,
    archives: [
      {
        logicalId: 'Archive',
        name: 'orders-archive',
        arn: ARCHIVE_ARN,
        sourceArn: BUS_ARN,
        pattern: { source: ['junction.orders'] },
        retentionDays: 7,
      },
    ],
    dispatcher,
    deadLetter: async () => undefined,
    console: new ConsoleLog('quiet', new PassThrough()),
    timeScale: 0.001,
    random: () => 0.5,
  });
  return { bridge, delivered, handler: eventBridgeApi(bridge, ACCOUNT) };
}

function request(operation: string, body: unknown): AwsRequest {
  return {
    method: 'POST',
    path: '/',
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: Buffer.from(JSON.stringify(body)),
    service: 'events',
    target: `AWSEvents.${operation}`,
    region: 'us-east-1',
  };
}

async function call(handler: ServiceHandler, operation: string, body: unknown = {}) {
  const response = await handler(request(operation, body));
  return {
    status: response.status,
    headers: response.headers ?? {},
    body: JSON.parse(String(response.body)) as Record<string, unknown>,
  };
}

const entry = (overrides: Record<string, unknown> = {}) => ({
  Source: 'junction.orders',
  DetailType: 'order.created',
  Detail: '{"id":"o-1"}',
  EventBusName: BUS,
  Time: T0,
  ...overrides,
});

/** Expects a JSON-protocol error with this code. */
function expectError(response: Awaited<ReturnType<typeof call>>, code: string) {
  expect(response.status).toBe(400);
  expect(response.body.__type).toBe(code);
  expect(response.headers['x-amzn-ErrorType']).toBe(code);
  expect(typeof response.body.message).toBe('string');
}

describe('eventBridgeApi PutEvents', () => {
  it('accepts entries, answering an event id each and no failures', async () => {
    const { handler } = api();
    const response = await call(handler, 'PutEvents', {
      Entries: [entry(), entry({ Detail: '{"id":"o-2"}' })],
    });
    expect(response.status).toBe(200);
    expect(response.headers['Content-Type']).toBe('application/x-amz-json-1.1');
    expect(response.body).toEqual({
      FailedEntryCount: 0,
      Entries: [{ EventId: expect.any(String) }, { EventId: expect.any(String) }],
    });
  });

  it('delivers an accepted event to the targets of the enabled rules that match', async () => {
    const { handler, bridge, delivered } = api();
    await call(handler, 'PutEvents', { Entries: [entry()] });
    await bridge.idle();
    expect(delivered.map(({ service, name }) => `${service}:${name}`).sort()).toEqual([
      'lambda:audit',
      'sqs:analytics',
    ]);
    const transformed = delivered.find((entry) => entry.service === 'lambda');
    expect(JSON.parse(transformed?.delivery.input ?? '')).toEqual({ orderId: 'o-1' });
  });

  it('accepts 10 entries', async () => {
    const { handler } = api();
    const response = await call(handler, 'PutEvents', { Entries: Array.from({ length: 10 }, () => entry()) });
    expect(response.body.FailedEntryCount).toBe(0);
  });

  it.each([
    ['no entries', { Entries: [] }],
    ['11 entries', { Entries: Array.from({ length: 11 }, () => entry()) }],
    ['no Entries field', {}],
    ['Entries that are not a list', { Entries: 'entry' }],
  ])('refuses %s with ValidationException', async (_, body) => {
    const { handler } = api();
    const response = await call(handler, 'PutEvents', body);
    expectError(response, 'ValidationException');
    expect(response.body.message).toContain('between 1 and 10');
  });

  it('refuses a request whose entries total over 256 KB, counting all entries', async () => {
    const { handler } = api();
    const half = JSON.stringify({ data: 'x'.repeat(130 * 1024) });
    const response = await call(handler, 'PutEvents', {
      Entries: [entry({ Detail: half }), entry({ Detail: half })],
    });
    expectError(response, 'ValidationException');
    expect(response.body.message).toBe('Total size of the entries in the request is over the limit.');
  });

  it('accepts a request just under 256 KB', async () => {
    const { handler } = api();
    const overhead = 'junction.orders'.length + 'order.created'.length + 14 + '{"data":""}'.length;
    const detail = JSON.stringify({ data: 'x'.repeat(256 * 1024 - overhead - 1) });
    const response = await call(handler, 'PutEvents', { Entries: [entry({ Detail: detail })] });
    expect(response.status).toBe(200);
    expect(response.body.FailedEntryCount).toBe(0);
  });

  it('answers each rejected entry with its error in place and counts the failures', async () => {
    const { handler } = api();
    const response = await call(handler, 'PutEvents', {
      Entries: [entry({ Detail: 'not json' }), entry(), entry({ EventBusName: 'nope' })],
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      FailedEntryCount: 2,
      Entries: [
        { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
        { EventId: expect.any(String) },
        { ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus nope does not exist.' },
      ],
    });
  });
});

const TEST_EVENT = {
  id: 'evt-1',
  account: ACCOUNT,
  source: 'junction.orders',
  time: '2025-01-15T10:00:00Z',
  region: 'us-east-1',
  resources: [],
  'detail-type': 'order.created',
  detail: { amount: 150 },
};

describe('eventBridgeApi TestEventPattern', () => {
  it.each([
    ['matches', { source: ['junction.orders'], detail: { amount: [{ numeric: ['>', 100] }] } }, true],
    ['does not match', { source: ['junction.payments'] }, false],
  ])('answers whether the event %s the pattern', async (_, pattern, result) => {
    const { handler } = api();
    const response = await call(handler, 'TestEventPattern', {
      EventPattern: JSON.stringify(pattern),
      Event: JSON.stringify(TEST_EVENT),
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ Result: result });
  });

  it.each([
    ['text that is not JSON', '{source'],
    ['a value that is not a list', JSON.stringify({ source: 'junction.orders' })],
  ])('refuses a pattern that is %s with InvalidEventPatternException', async (_, pattern) => {
    const { handler } = api();
    const response = await call(handler, 'TestEventPattern', {
      EventPattern: pattern,
      Event: JSON.stringify(TEST_EVENT),
    });
    expectError(response, 'InvalidEventPatternException');
  });

  it('refuses an event that is not JSON with ValidationException', async () => {
    const { handler } = api();
    const response = await call(handler, 'TestEventPattern', { EventPattern: '{}', Event: 'nope' });
    expectError(response, 'ValidationException');
  });

  it('refuses an event missing required fields, naming them', async () => {
    const { handler } = api();
    const { id: _id, region: _region, ...partial } = TEST_EVENT;
    const response = await call(handler, 'TestEventPattern', {
      EventPattern: JSON.stringify({ source: ['junction.orders'] }),
      Event: JSON.stringify(partial),
    });
    expectError(response, 'ValidationException');
    expect(response.body.message).toBe('Parameter Event is not valid: missing id, region.');
  });

  it('refuses an event without resources, as EventBridge does', async () => {
    const { handler } = api();
    const { resources: _resources, ...partial } = TEST_EVENT;
    const response = await call(handler, 'TestEventPattern', {
      EventPattern: JSON.stringify({ source: ['junction.orders'] }),
      Event: JSON.stringify(partial),
    });
    expectError(response, 'ValidationException');
    expect(response.body.message).toBe('Parameter Event is not valid: missing resources.');
  });
});

describe('eventBridgeApi event buses', () => {
  it('lists the default bus and the stack buses with their ARNs', async () => {
    const { handler } = api();
    const response = await call(handler, 'ListEventBuses');
    expect(response.body).toEqual({
      EventBuses: [
        { Name: 'default', Arn: DEFAULT_BUS_ARN },
        { Name: BUS, Arn: BUS_ARN },
      ],
    });
  });

  it.each([
    ['its name', { Name: BUS }, { Name: BUS, Arn: BUS_ARN }],
    ['its ARN', { Name: BUS_ARN }, { Name: BUS, Arn: BUS_ARN }],
    ['no name, as the default bus', {}, { Name: 'default', Arn: DEFAULT_BUS_ARN }],
  ])('describes a bus given by %s', async (_, body, expected) => {
    const { handler } = api();
    expect((await call(handler, 'DescribeEventBus', body)).body).toEqual(expected);
  });

  it('answers ResourceNotFoundException for an unknown bus', async () => {
    const { handler } = api();
    const response = await call(handler, 'DescribeEventBus', { Name: 'nope' });
    expectError(response, 'ResourceNotFoundException');
    expect(response.body.message).toBe('Event bus nope does not exist.');
  });
});

describe('eventBridgeApi rules', () => {
  const names = async (handler: ServiceHandler, body: Record<string, unknown>) =>
    ((await call(handler, 'ListRules', body)).body.Rules as { Name: string }[]).map((rule) => rule.Name);

  it('lists the rules of the default bus when no bus is named', async () => {
    const { handler } = api();
    expect(await names(handler, {})).toEqual(['cleanup']);
  });

  it('lists the rules of a bus given by name or ARN', async () => {
    const { handler } = api();
    expect(await names(handler, { EventBusName: BUS })).toEqual(['orders-route', 'orders-audit']);
    expect(await names(handler, { EventBusName: BUS_ARN })).toEqual(['orders-route', 'orders-audit']);
  });

  it('lists only the rules whose name starts with the prefix', async () => {
    const { handler } = api();
    expect(await names(handler, { EventBusName: BUS, NamePrefix: 'orders-a' })).toEqual(['orders-audit']);
    expect(await names(handler, { EventBusName: BUS, NamePrefix: 'zzz' })).toEqual([]);
  });

  it('describes a rule with its pattern as JSON text, state, bus and creator', async () => {
    const { handler } = api();
    const response = await call(handler, 'DescribeRule', { Name: 'orders-route', EventBusName: BUS });
    expect(response.body).toEqual({
      Name: 'orders-route',
      Arn: ROUTE_ARN,
      EventPattern: '{"source":["junction.orders"]}',
      State: 'ENABLED',
      Description: 'Orders to analytics',
      EventBusName: BUS,
      CreatedBy: ACCOUNT,
    });
  });

  it('describes a disabled rule as DISABLED and a scheduled rule with its schedule', async () => {
    const { handler } = api();
    const audit = await call(handler, 'DescribeRule', { Name: 'orders-audit', EventBusName: BUS });
    const cleanup = await call(handler, 'DescribeRule', { Name: 'cleanup' });
    expect(audit.body.State).toBe('DISABLED');
    expect(cleanup.body).toMatchObject({ ScheduleExpression: 'rate(1 hour)', EventBusName: 'default' });
    expect(cleanup.body).not.toHaveProperty('EventPattern');
  });

  it.each([
    ['an unknown rule', { Name: 'nope', EventBusName: BUS }, `Rule nope does not exist on EventBus ${BUS}.`],
    [
      'a rule of another bus',
      { Name: 'orders-route' },
      'Rule orders-route does not exist on EventBus default.',
    ],
    [
      'a rule on an unknown bus',
      { Name: 'orders-route', EventBusName: 'nope' },
      'Rule orders-route does not exist on EventBus nope.',
    ],
  ])('answers ResourceNotFoundException for %s', async (_, body, message) => {
    const { handler } = api();
    const response = await call(handler, 'DescribeRule', body);
    expectError(response, 'ResourceNotFoundException');
    expect(response.body.message).toBe(message);
  });
});

describe('eventBridgeApi ListTargetsByRule', () => {
  it('lists the targets with their DLQ, retry policy and SQS message group', async () => {
    const { handler } = api();
    const response = await call(handler, 'ListTargetsByRule', { Rule: 'orders-route', EventBusName: BUS });
    expect(response.body).toEqual({
      Targets: [
        {
          Id: 'Queue',
          Arn: QUEUE_ARN,
          DeadLetterConfig: { Arn: DLQ_ARN },
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
          SqsParameters: { MessageGroupId: 'orders' },
        },
        {
          Id: 'Transform',
          Arn: FUNCTION_ARN,
          InputTransformer: { InputPathsMap: { id: '$.detail.id' }, InputTemplate: '{"orderId": <id>}' },
          RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
        },
      ],
    });
  });

  it('lists the input path and constant input of targets', async () => {
    const { handler } = api();
    const response = await call(handler, 'ListTargetsByRule', { Rule: 'orders-audit', EventBusName: BUS });
    const targets = response.body.Targets as Record<string, unknown>[];
    expect(targets[0]).toMatchObject({ Id: 'Path', InputPath: '$.detail' });
    expect(targets[1]).toMatchObject({ Id: 'Constant', Input: '{"fixed":true}' });
    expect(targets[0]).not.toHaveProperty('DeadLetterConfig');
  });

  it('answers ResourceNotFoundException for an unknown rule', async () => {
    const { handler } = api();
    expectError(
      await call(handler, 'ListTargetsByRule', { Rule: 'nope', EventBusName: BUS }),
      'ResourceNotFoundException',
    );
  });
});

describe('eventBridgeApi archives', () => {
  it('counts the archived events that match the archive pattern, and their size', async () => {
    const { handler, bridge } = api();
    await call(handler, 'PutEvents', {
      Entries: [entry(), entry({ Source: 'junction.payments' }), entry({ EventBusName: 'default' })],
    });
    const response = await call(handler, 'DescribeArchive', { ArchiveName: 'orders-archive' });
    expect(response.body).toEqual({
      ArchiveArn: ARCHIVE_ARN,
      ArchiveName: 'orders-archive',
      EventSourceArn: BUS_ARN,
      EventPattern: '{"source":["junction.orders"]}',
      State: 'ENABLED',
      RetentionDays: 7,
      SizeBytes: bridge.archiveStores[0]?.sizeBytes,
      EventCount: 1,
    });
    expect(response.body.SizeBytes).toBeGreaterThan(100);
  });

  it('lists the archives', async () => {
    const { handler } = api();
    const response = await call(handler, 'ListArchives');
    expect(response.body.Archives).toEqual([
      expect.objectContaining({ ArchiveName: 'orders-archive', EventCount: 0, SizeBytes: 0 }),
    ]);
  });

  it('answers ResourceNotFoundException for an unknown archive', async () => {
    const { handler } = api();
    const response = await call(handler, 'DescribeArchive', { ArchiveName: 'nope' });
    expectError(response, 'ResourceNotFoundException');
    expect(response.body.message).toBe('Archive nope does not exist.');
  });
});

const replayRequest = (overrides: Record<string, unknown> = {}) => ({
  ReplayName: 'replay-1',
  EventSourceArn: ARCHIVE_ARN,
  EventStartTime: T0 - 60,
  EventEndTime: T0 + 60,
  Destination: { Arn: BUS_ARN },
  ...overrides,
});

describe('eventBridgeApi StartReplay validation', () => {
  it.each([
    ['an empty name', { ReplayName: '' }, 'ValidationException'],
    ['a name with a slash', { ReplayName: 'a/b' }, 'ValidationException'],
    ['a name of 65 characters', { ReplayName: 'r'.repeat(65) }, 'ValidationException'],
    ['a start after the end', { EventStartTime: T0 + 60, EventEndTime: T0 }, 'InvalidEventPatternException'],
    ['a start equal to the end', { EventStartTime: T0, EventEndTime: T0 }, 'InvalidEventPatternException'],
    ['no times', { EventStartTime: undefined, EventEndTime: undefined }, 'InvalidEventPatternException'],
    ['an unknown archive', { EventSourceArn: `${ARCHIVE_ARN}-nope` }, 'ResourceNotFoundException'],
    ['an unknown destination bus', { Destination: { Arn: `${BUS_ARN}-nope` } }, 'ResourceNotFoundException'],
  ])('refuses %s', async (_, overrides, code) => {
    const { handler } = api();
    expectError(await call(handler, 'StartReplay', replayRequest(overrides)), code);
  });

  it('refuses a name already used with ResourceAlreadyExistsException', async () => {
    const { handler, bridge } = api();
    await call(handler, 'StartReplay', replayRequest());
    await bridge.idle();
    const response = await call(handler, 'StartReplay', replayRequest());
    expectError(response, 'ResourceAlreadyExistsException');
    expect(response.body.message).toBe('Replay replay-1 already exists.');
  });

  it('accepts a name of 64 letters, digits, dots, dashes and underscores', async () => {
    const { handler, bridge } = api();
    const name = `a.b-c_1${'z'.repeat(57)}`;
    expect(name).toHaveLength(64);
    expect((await call(handler, 'StartReplay', replayRequest({ ReplayName: name }))).status).toBe(200);
    await bridge.idle();
  });
});

describe('eventBridgeApi replays', () => {
  it('starts a replay, answering its ARN and start time in epoch seconds', async () => {
    const { handler, bridge } = api();
    const before = Date.now() / 1000;
    const response = await call(handler, 'StartReplay', replayRequest());
    expect(response.status).toBe(200);
    expect(response.body.ReplayArn).toBe(`arn:aws:events:us-east-1:${ACCOUNT}:replay/replay-1`);
    expect(response.body.State).toBe('STARTING');
    expect(response.body.ReplayStartTime).toBeGreaterThanOrEqual(Math.floor(before));
    expect(response.body.ReplayStartTime).toBeLessThan(before + 60);
    await bridge.idle();
  });

  it('replays the archived events of the window to the rules, marked with the replay name', async () => {
    const { handler, bridge, delivered } = api();
    await call(handler, 'PutEvents', { Entries: [entry(), entry({ Time: T0 + 3600 })] });
    await bridge.idle();
    delivered.length = 0;
    await call(
      handler,
      'StartReplay',
      replayRequest({ Destination: { Arn: BUS_ARN, FilterArns: [ROUTE_ARN] } }),
    );
    await bridge.idle();
    const queued = delivered.filter((entry) => entry.service === 'sqs');
    expect(queued).toHaveLength(1);
    expect(JSON.parse(queued[0]?.delivery.input ?? '')).toMatchObject({
      'replay-name': 'replay-1',
      time: '2025-01-15T10:00:00Z',
    });
    const described = await call(handler, 'DescribeReplay', { ReplayName: 'replay-1' });
    expect(described.body).toEqual({
      ReplayName: 'replay-1',
      ReplayArn: `arn:aws:events:us-east-1:${ACCOUNT}:replay/replay-1`,
      EventSourceArn: ARCHIVE_ARN,
      Destination: { Arn: BUS_ARN, FilterArns: [ROUTE_ARN] },
      State: 'COMPLETED',
      EventStartTime: T0 - 60,
      EventEndTime: T0 + 60,
      EventLastReplayedTime: T0,
      ReplayStartTime: expect.any(Number),
      ReplayEndTime: expect.any(Number),
    });
  });

  it('does not archive replayed events again', async () => {
    const { handler, bridge } = api();
    await call(handler, 'PutEvents', { Entries: [entry()] });
    await call(handler, 'StartReplay', replayRequest());
    await bridge.idle();
    const archive = await call(handler, 'DescribeArchive', { ArchiveName: 'orders-archive' });
    expect(archive.body.EventCount).toBe(1);
  });

  it('answers ResourceNotFoundException for an unknown replay', async () => {
    const { handler } = api();
    const response = await call(handler, 'DescribeReplay', { ReplayName: 'nope' });
    expectError(response, 'ResourceNotFoundException');
    expect(response.body.message).toBe('Replay nope does not exist.');
  });

  it('lists the replays, with no FilterArns when none were given', async () => {
    const { handler, bridge } = api();
    expect((await call(handler, 'ListReplays')).body).toEqual({ Replays: [] });
    await call(handler, 'StartReplay', replayRequest({ ReplayName: 'first' }));
    await call(handler, 'StartReplay', replayRequest({ ReplayName: 'second' }));
    await bridge.idle();
    const replays = (await call(handler, 'ListReplays')).body.Replays as Record<string, unknown>[];
    expect(replays.map((replay) => replay.ReplayName)).toEqual(['first', 'second']);
    expect(replays[0]?.Destination).toEqual({ Arn: BUS_ARN });
  });

  it('answers UnknownOperationException for an operation it does not serve', async () => {
    const { handler } = api();
    expectError(await call(handler, 'PutRule', { Name: 'x' }), 'UnknownOperationException');
  });
});

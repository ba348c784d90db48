import type { ServiceHandler } from '../../../../local/services/aws-protocol';
import {
  ACCOUNT,
  api,
  BUS,
  BUS_ARN,
  call,
  DEFAULT_BUS_ARN,
  DLQ_ARN,
  entry,
  expectError,
  FUNCTION_ARN,
  QUEUE_ARN,
  ROUTE_ARN,
} from '../../../fixtures/local-services/event-bridge-api';

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

import {
  ACCOUNT,
  ARCHIVE_ARN,
  api,
  BUS_ARN,
  call,
  entry,
  expectError,
  ROUTE_ARN,
  T0,
} from '../../../fixtures/local-services/event-bridge-api';

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

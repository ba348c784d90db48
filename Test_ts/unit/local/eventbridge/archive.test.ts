import { ArchiveStore, newReplay } from '../../../../local/eventbridge/archive';

const ARCHIVE_ARN = 'arn:aws:events:us-east-1:000000000000:archive/orders';
const BUS_ARN = 'arn:aws:events:us-east-1:000000000000:event-bus/junction-bus';

const at = (time: string) => Date.parse(time);
const event = (id: string, time: string) => ({ id, time, source: 'junction.orders', detail: { id } });

function store() {
  return new ArchiveStore('orders', ARCHIVE_ARN, BUS_ARN, { source: ['junction.orders'] }, 7);
}

describe('ArchiveStore', () => {
  it('keeps its name, ARN, source, pattern and retention', () => {
    expect(store()).toMatchObject({
      name: 'orders',
      arn: ARCHIVE_ARN,
      sourceArn: BUS_ARN,
      pattern: { source: ['junction.orders'] },
      retentionDays: 7,
    });
  });

  it('starts empty', () => {
    const archive = store();
    expect(archive.count).toBe(0);
    expect(archive.sizeBytes).toBe(0);
    expect(archive.between(0, Number.MAX_SAFE_INTEGER)).toEqual([]);
  });

  it('counts the events added and their size as JSON bytes', () => {
    const archive = store();
    const first = event('é-1', '2025-01-15T10:00:00Z');
    const second = event('e-2', '2025-01-15T10:01:00Z');
    archive.add(first);
    archive.add(second);
    expect(archive.count).toBe(2);
    expect(archive.sizeBytes).toBe(
      Buffer.byteLength(JSON.stringify(first)) + Buffer.byteLength(JSON.stringify(second)),
    );
    expect(archive.sizeBytes).toBeGreaterThan(JSON.stringify(first).length + JSON.stringify(second).length);
  });
});

describe('ArchiveStore.between', () => {
  const archive = store();
  archive.add(event('before', '2025-01-15T09:59:59Z'));
  archive.add(event('start', '2025-01-15T10:00:00Z'));
  archive.add(event('inside', '2025-01-15T10:30:00Z'));
  archive.add(event('end', '2025-01-15T11:00:00Z'));
  archive.add(event('after', '2025-01-15T11:00:01Z'));

  const ids = (startMs: number, endMs: number) => archive.between(startMs, endMs).map((found) => found.id);

  it('includes an event at the start of the window and excludes one at its end', () => {
    expect(ids(at('2025-01-15T10:00:00Z'), at('2025-01-15T11:00:00Z'))).toEqual(['start', 'inside']);
  });

  it('answers the events in the order they were archived', () => {
    expect(ids(0, Number.MAX_SAFE_INTEGER)).toEqual(['before', 'start', 'inside', 'end', 'after']);
  });

  it('answers nothing for an empty window', () => {
    const time = at('2025-01-15T10:00:00Z');
    expect(ids(time, time)).toEqual([]);
  });

  it('reads the event time, not the time it was archived', () => {
    expect(ids(at('2025-01-15T11:00:00Z'), at('2025-01-15T12:00:00Z'))).toEqual(['end', 'after']);
  });

  it('skips an event whose time cannot be read', () => {
    const odd = store();
    odd.add({ id: 'no-time' });
    expect(odd.between(0, Number.MAX_SAFE_INTEGER)).toEqual([]);
  });
});

describe('newReplay', () => {
  const fields = {
    name: 'replay-1',
    archiveArn: ARCHIVE_ARN,
    destinationArn: BUS_ARN,
    filterArns: ['arn:aws:events:us-east-1:000000000000:rule/junction-bus/orders'],
    eventStartTime: at('2025-01-15T10:00:00Z'),
    eventEndTime: at('2025-01-15T11:00:00Z'),
    region: 'eu-west-1',
    accountId: '123456789012',
  };

  it('starts a replay in STARTING with nothing replayed, named in its ARN', () => {
    const before = Date.now();
    const replay = newReplay(fields);
    expect(replay).toEqual({
      name: 'replay-1',
      arn: 'arn:aws:events:eu-west-1:123456789012:replay/replay-1',
      archiveArn: ARCHIVE_ARN,
      destinationArn: BUS_ARN,
      filterArns: fields.filterArns,
      eventStartTime: fields.eventStartTime,
      eventEndTime: fields.eventEndTime,
      state: 'STARTING',
      replayStartTime: expect.any(Number),
      replayed: 0,
    });
    expect(replay.replayStartTime).toBeGreaterThanOrEqual(before);
    expect(replay.replayStartTime).toBeLessThanOrEqual(Date.now());
  });

  it('keeps the region and account in the ARN only', () => {
    const replay = newReplay(fields);
    expect(replay).not.toHaveProperty('region');
    expect(replay).not.toHaveProperty('accountId');
  });

  it('names an unnamed replay with a UUID in its ARN', () => {
    expect(newReplay({ ...fields, name: '' }).arn).toMatch(
      /^arn:aws:events:eu-west-1:123456789012:replay\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });
});

import {
  type EntryContext,
  entrySize,
  eventTime,
  MAX_ENTRIES,
  MAX_REQUEST_BYTES,
  type PutEventsEntry,
  validateEntry,
} from '../../../../local/eventbridge/put-events';

const BUS = 'junction-bus';
const BUS_ARN = `arn:aws:events:us-east-1:000000000000:event-bus/${BUS}`;

const context: EntryContext = {
  accountId: '000000000000',
  region: 'us-east-1',
  busExists: (nameOrArn) => {
    const name = nameOrArn.startsWith('arn:') ? nameOrArn.split('/').pop() : nameOrArn;
    return name === 'default' || name === BUS ? name : undefined;
  },
};

const entry = (overrides: Partial<Record<keyof PutEventsEntry, unknown>> = {}): PutEventsEntry => ({
  Source: 'junction.orders',
  DetailType: 'order.created',
  Detail: '{"id":"evt-1","amount":12.5}',
  EventBusName: BUS,
  ...overrides,
});

describe('PutEvents limits', () => {
  it('allows 10 entries and 256 KB per request, as EventBridge does', () => {
    expect(MAX_ENTRIES).toBe(10);
    expect(MAX_REQUEST_BYTES).toBe(262_144);
  });
});

describe('entrySize', () => {
  it('counts the UTF-8 bytes of Source, DetailType and Detail', () => {
    expect(entrySize({ Source: 'abc', DetailType: 'de', Detail: '{}' })).toBe(7);
  });

  it('counts multi-byte characters by their bytes, not their length', () => {
    expect(entrySize({ Source: 'é', DetailType: '€', Detail: '"😀"' })).toBe(2 + 3 + 6);
  });

  it('counts a Time as 14 bytes, whatever its form', () => {
    const base = { Source: 'a', DetailType: 'b', Detail: '{}' };
    expect(entrySize({ ...base, Time: 1_736_935_200 })).toBe(18);
    expect(entrySize({ ...base, Time: '2025-01-15T10:00:00Z' })).toBe(18);
  });

  it('adds the bytes of each resource', () => {
    expect(entrySize({ Source: 'a', DetailType: 'b', Detail: '{}', Resources: ['arn:1', 'arn:22'] })).toBe(
      15,
    );
  });

  it('counts fields that are not strings as nothing', () => {
    expect(entrySize({ Source: 42, DetailType: null, Detail: { a: 1 }, Resources: 'not-a-list' })).toBe(0);
    expect(entrySize({})).toBe(0);
  });
});

describe('eventTime', () => {
  it('reads epoch seconds, as the SDK sends a Date', () => {
    expect(eventTime(1_736_935_200)).toBe('2025-01-15T10:00:00Z');
  });

  it('reads an ISO date and drops the milliseconds', () => {
    expect(eventTime('2025-01-15T10:00:00.987Z')).toBe('2025-01-15T10:00:00Z');
  });

  it('converts an offset to UTC', () => {
    expect(eventTime('2025-01-15T12:00:00+02:00')).toBe('2025-01-15T10:00:00Z');
  });

  it('uses the current time when no time is given', () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const time = eventTime(undefined);
    expect(time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const parsed = Date.parse(String(time));
    expect(parsed).toBeGreaterThanOrEqual(before);
    expect(parsed).toBeLessThanOrEqual(Date.now());
  });

  it.each(['yesterday', '', 'not-a-date'])('answers undefined for the unreadable time %j', (time) => {
    expect(eventTime(time)).toBeUndefined();
  });
});

describe('validateEntry errors', () => {
  it.each([
    ['an empty Source', { Source: '' }, 'Parameter(s) Source could not be empty.'],
    ['a missing DetailType', { DetailType: undefined }, 'Parameter(s) DetailType could not be empty.'],
    ['a Detail that is not a string', { Detail: { id: 1 } }, 'Parameter(s) Detail could not be empty.'],
    [
      'several missing fields',
      { Source: undefined, DetailType: '', Detail: undefined },
      'Parameter(s) Source, DetailType, Detail could not be empty.',
    ],
  ])('refuses %s as InvalidArgument', (_, overrides, message) => {
    expect(validateEntry(entry(overrides), context)).toEqual({
      ok: false,
      error: { ErrorCode: 'InvalidArgument', ErrorMessage: message },
    });
  });

  it.each([
    ['text that is not JSON', 'not json'],
    ['a JSON array', '[1,2]'],
    ['a JSON string', '"text"'],
    ['a JSON number', '42'],
    ['the JSON null', 'null'],
  ])('refuses a Detail that is %s as MalformedDetail', (_, detail) => {
    expect(validateEntry(entry({ Detail: detail }), context)).toEqual({
      ok: false,
      error: { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
    });
  });

  it('refuses an unknown bus with ResourceNotFoundException', () => {
    expect(validateEntry(entry({ EventBusName: 'nope' }), context)).toEqual({
      ok: false,
      error: { ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus nope does not exist.' },
    });
  });

  it('refuses an unreadable Time as InvalidArgument', () => {
    expect(validateEntry(entry({ Time: 'whenever' }), context)).toEqual({
      ok: false,
      error: { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Time is not valid.' },
    });
  });

  it.each([
    ['a string', 'arn:aws:s3:::bucket'],
    ['a list holding a number', ['arn:aws:s3:::bucket', 7]],
  ])('refuses Resources that are %s', (_, resources) => {
    expect(validateEntry(entry({ Resources: resources }), context)).toEqual({
      ok: false,
      error: { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Resources is not valid.' },
    });
  });

  it('reports missing fields before a malformed detail or an unknown bus', () => {
    const result = validateEntry(entry({ Source: '', Detail: 'nope', EventBusName: 'nope' }), context);
    expect(result).toMatchObject({ ok: false, error: { ErrorCode: 'InvalidArgument' } });
  });

  it('reports a malformed detail before an unknown bus', () => {
    const result = validateEntry(entry({ Detail: 'nope', EventBusName: 'nope' }), context);
    expect(result).toMatchObject({ ok: false, error: { ErrorCode: 'MalformedDetail' } });
  });
});

describe('validateEntry events', () => {
  it('builds the event EventBridge delivers, with the detail parsed', () => {
    const result = validateEntry(
      entry({ Time: 1_736_935_200, Resources: ['arn:aws:s3:::bucket/key'] }),
      context,
    );
    expect(result).toEqual({
      ok: true,
      busName: BUS,
      event: {
        version: '0',
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        'detail-type': 'order.created',
        source: 'junction.orders',
        account: '000000000000',
        time: '2025-01-15T10:00:00Z',
        region: 'us-east-1',
        resources: ['arn:aws:s3:::bucket/key'],
        detail: { id: 'evt-1', amount: 12.5 },
      },
    });
  });

  it('gives every event its own id', () => {
    const ids = [1, 2, 3].map((): unknown => {
      const result = validateEntry(entry(), context);
      return result.ok ? result.event.id : undefined;
    });
    expect(new Set(ids).size).toBe(3);
  });

  it('puts an entry without a bus on the default bus, with no resources', () => {
    const result = validateEntry(entry({ EventBusName: undefined }), context);
    expect(result).toMatchObject({ ok: true, busName: 'default', event: { resources: [] } });
  });

  it('treats an empty bus name as the default bus', () => {
    expect(validateEntry(entry({ EventBusName: '' }), context)).toMatchObject({
      ok: true,
      busName: 'default',
    });
  });

  it('resolves a bus given by ARN to its name', () => {
    expect(validateEntry(entry({ EventBusName: BUS_ARN }), context)).toMatchObject({
      ok: true,
      busName: BUS,
    });
  });

  it('accepts an empty object as the detail', () => {
    expect(validateEntry(entry({ Detail: '{}' }), context)).toMatchObject({
      ok: true,
      event: { detail: {} },
    });
  });
});

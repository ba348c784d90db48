import { type LogEvent, type LogQuery, LogStore } from '../../../../local/runtime/log-store';

const NOW = Date.UTC(2025, 0, 15, 10, 0, 0);
const GROUP = '/aws/lambda/ingest-order';

beforeEach(() => {
  jest.useFakeTimers({ now: NOW });
});

afterEach(() => {
  jest.useRealTimers();
});

const messagesOf = (events: readonly LogEvent[]): string[] => events.map((event) => event.message);

describe('LogStore log groups', () => {
  it('starts with no log groups', () => {
    expect(new LogStore().groupNames()).toEqual([]);
  });

  it('creates an empty group on ensureGroup', () => {
    const store = new LogStore();
    store.ensureGroup(GROUP);
    expect(store.groupNames()).toEqual([GROUP]);
    expect(store.hasGroup(GROUP)).toBe(true);
    expect(store.hasGroup('/aws/lambda/other')).toBe(false);
    expect(store.events(GROUP)).toEqual([]);
  });

  it('keeps the events of a group that is ensured again', () => {
    const store = new LogStore();
    store.put(GROUP, 'stream', 'first');
    store.ensureGroup(GROUP);
    expect(messagesOf(store.events(GROUP))).toEqual(['first']);
  });

  it('creates the group of the first event put into it', () => {
    const store = new LogStore();
    store.put('/aws/lambda/health', 'stream', 'ok');
    expect(store.groupNames()).toEqual(['/aws/lambda/health']);
  });

  it('lists group names sorted, whatever order they were created in', () => {
    const store = new LogStore();
    store.put('orders', 's', 'm');
    store.ensureGroup('audit');
    store.put('/aws/lambda/zeta', 's', 'm');
    store.ensureGroup('/aws/lambda/alpha');
    expect(store.groupNames()).toEqual(['/aws/lambda/alpha', '/aws/lambda/zeta', 'audit', 'orders']);
  });

  it('answers an unknown group with no events, without creating it', () => {
    const store = new LogStore();
    expect(store.events('missing', { contains: 'x', limit: 5 })).toEqual([]);
    expect(store.groupNames()).toEqual([]);
  });

  it('keeps the events of each group apart', () => {
    const store = new LogStore();
    store.put('a', 's', 'in a');
    store.put('b', 's', 'in b');
    store.put('a', 's', 'in a again');
    expect(messagesOf(store.events('a'))).toEqual(['in a', 'in a again']);
    expect(messagesOf(store.events('b'))).toEqual(['in b']);
  });
});

describe('LogStore put', () => {
  it('stores and returns the event with its group, stream, timestamp and ingestion time', () => {
    const store = new LogStore();
    const event = store.put(GROUP, '2025/01/15/[$LATEST]abc', 'hello', NOW - 250);
    expect(event).toEqual({
      logGroupName: GROUP,
      logStreamName: '2025/01/15/[$LATEST]abc',
      timestamp: NOW - 250,
      ingestionTime: NOW,
      message: 'hello',
    });
    expect(store.events(GROUP)).toEqual([event]);
  });

  it('stamps an event with the current time when no timestamp is given', () => {
    const store = new LogStore();
    jest.setSystemTime(NOW + 5_000);
    const event = store.put(GROUP, 'stream', 'now');
    expect(event.timestamp).toBe(NOW + 5_000);
    expect(event.ingestionTime).toBe(NOW + 5_000);
  });

  it('keeps events in the order they were put, not by timestamp', () => {
    const store = new LogStore();
    store.put(GROUP, 's', 'late', NOW + 1_000);
    store.put(GROUP, 's', 'early', NOW - 1_000);
    expect(messagesOf(store.events(GROUP))).toEqual(['late', 'early']);
  });
});

describe('LogStore events queries', () => {
  const store = new LogStore();
  const messages = ['order accepted', 'order charged', 'payment declined', 'order failed', 'retrying'];
  beforeAll(() => {
    messages.forEach((message, index) => {
      store.put(GROUP, 'stream', message, 1_000 * (index + 1));
    });
  });

  it.each<[string, LogQuery, string[]]>([
    ['no filter: every event, oldest first', {}, messages],
    [
      'startTime: events at or after it',
      { startTime: 3_000 },
      ['payment declined', 'order failed', 'retrying'],
    ],
    ['startTime between two events', { startTime: 3_500 }, ['order failed', 'retrying']],
    ['endTime: events at or before it', { endTime: 2_000 }, ['order accepted', 'order charged']],
    [
      'startTime and endTime together',
      { startTime: 2_000, endTime: 4_000 },
      ['order charged', 'payment declined', 'order failed'],
    ],
    ['a window holding no event', { startTime: 1_100, endTime: 1_900 }, []],
    [
      'contains: events whose message has the text',
      { contains: 'order' },
      ['order accepted', 'order charged', 'order failed'],
    ],
    ['contains is case-sensitive', { contains: 'Order' }, []],
    ['contains matches inside words', { contains: 'ing' }, ['retrying']],
    ['limit: the oldest events first', { limit: 2 }, ['order accepted', 'order charged']],
    ['a limit larger than the matches', { limit: 50 }, messages],
    ['a limit of zero', { limit: 0 }, []],
    [
      'limit counts the events left after the filters',
      { contains: 'order', startTime: 2_000, limit: 1 },
      ['order charged'],
    ],
  ])('filters with %s', (_name, query, expected) => {
    expect(messagesOf(store.events(GROUP, query))).toEqual(expected);
  });

  it('returns a copy: changing the answer does not change the store', () => {
    const answer = store.events(GROUP);
    answer.splice(0, answer.length);
    expect(store.events(GROUP)).toHaveLength(messages.length);
  });
});

describe('LogStore retention cap', () => {
  it('keeps only the newest events of a group beyond the cap', () => {
    const store = new LogStore(3);
    for (const message of ['1', '2', '3', '4', '5']) store.put(GROUP, 's', message);
    expect(messagesOf(store.events(GROUP))).toEqual(['3', '4', '5']);
  });

  it('keeps exactly the cap when the group is full', () => {
    const store = new LogStore(2);
    store.put(GROUP, 's', 'a');
    store.put(GROUP, 's', 'b');
    expect(messagesOf(store.events(GROUP))).toEqual(['a', 'b']);
  });

  it('applies the cap to each group on its own', () => {
    const store = new LogStore(2);
    for (const message of ['1', '2', '3']) store.put('busy', 's', message);
    store.put('quiet', 's', 'only');
    expect(messagesOf(store.events('busy'))).toEqual(['2', '3']);
    expect(messagesOf(store.events('quiet'))).toEqual(['only']);
  });

  it('keeps ten thousand events per group by default', () => {
    const store = new LogStore();
    for (let index = 0; index <= 10_000; index += 1) store.put(GROUP, 's', `event ${index}`);
    const events = store.events(GROUP);
    expect(events).toHaveLength(10_000);
    expect(events[0]?.message).toBe('event 1');
    expect(events.at(-1)?.message).toBe('event 10000');
  });
});

describe('LogStore subscriptions', () => {
  it('calls a listener with every event put after it subscribed, from every group', () => {
    const store = new LogStore();
    store.put(GROUP, 's', 'before');
    const seen: LogEvent[] = [];
    store.subscribe((event) => seen.push(event));
    const first = store.put(GROUP, 's', 'after');
    const second = store.put('audit', 's', 'elsewhere');
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(first);
    expect(seen[1]).toBe(second);
  });

  it('stops calling a listener once it unsubscribed', () => {
    const store = new LogStore();
    const seen: string[] = [];
    const unsubscribe = store.subscribe((event) => seen.push(event.message));
    store.put(GROUP, 's', 'one');
    unsubscribe();
    store.put(GROUP, 's', 'two');
    expect(seen).toEqual(['one']);
  });

  it('calls every listener, and unsubscribing one leaves the others', () => {
    const store = new LogStore();
    const left: string[] = [];
    const right: string[] = [];
    const unsubscribeLeft = store.subscribe((event) => left.push(event.message));
    store.subscribe((event) => right.push(event.message));
    store.put(GROUP, 's', 'both');
    unsubscribeLeft();
    store.put(GROUP, 's', 'right only');
    expect(left).toEqual(['both']);
    expect(right).toEqual(['both', 'right only']);
  });

  it('tells a listener of an event the cap drops at once', () => {
    const store = new LogStore(1);
    const seen: string[] = [];
    store.subscribe((event) => seen.push(event.message));
    store.put(GROUP, 's', 'a');
    store.put(GROUP, 's', 'b');
    expect(seen).toEqual(['a', 'b']);
    expect(messagesOf(store.events(GROUP))).toEqual(['b']);
  });

  it('has the event stored by the time a listener hears of it', () => {
    const store = new LogStore();
    const storedWhenHeard: number[] = [];
    store.subscribe((event) => storedWhenHeard.push(store.events(event.logGroupName).length));
    store.put(GROUP, 's', 'a');
    store.put(GROUP, 's', 'b');
    expect(storedWhenHeard).toEqual([1, 2]);
  });
});

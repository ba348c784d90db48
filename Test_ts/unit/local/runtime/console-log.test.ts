import { PassThrough } from 'node:stream';
import { ConsoleLog, type LogMode } from '../../../../local/runtime/console-log';
import { captureStdout } from '../../../support/stdout';

const AT = Date.UTC(2025, 0, 15, 10, 0, 0, 123);
const CLOCK = '10:00:00.123';

/** A console writing into a stream whose lines the test reads back. */
function consoleOf(mode: LogMode, functionNames: readonly string[] = []) {
  const out = new PassThrough();
  const log = new ConsoleLog(mode, out, functionNames);
  const lines = (): string[] => {
    const chunk = out.read() as Buffer | null;
    if (!chunk) return [];
    const text = chunk.toString('utf8');
    expect(text.endsWith('\n')).toBe(true);
    return text.slice(0, -1).split('\n');
  };
  return { log, lines };
}

const powertools = (record: Record<string, unknown>): string =>
  JSON.stringify({ timestamp: '2025-01-15T10:00:00.123Z', service: 'order-intake', ...record });

const EMF_LINE = JSON.stringify({
  _aws: {
    Timestamp: AT,
    CloudWatchMetrics: [{ Namespace: 'Junction', Dimensions: [['service']], Metrics: [{ Name: 'Orders' }] }],
  },
  service: 'order-intake',
  Orders: 1,
});

describe('ConsoleLog pretty lines for Powertools records', () => {
  it('writes the time, the function padded to twelve, the level and the message', () => {
    const { log, lines } = consoleOf('pretty');
    log.functionLine('ingest', powertools({ level: 'INFO', message: 'Order accepted' }), AT);
    expect(lines()).toEqual([`${CLOCK} ingest       INFO  Order accepted`]);
  });

  it('pads the function column to the longest function name it was given', () => {
    const { log, lines } = consoleOf('pretty', ['health', 'analytics-consumer-long']);
    log.functionLine('health', powertools({ level: 'WARN', message: 'slow' }), AT);
    expect(lines()).toEqual([`${CLOCK} ${'health'.padEnd(23)} WARN  slow`]);
  });

  it('does not cut a function name longer than the column', () => {
    const { log, lines } = consoleOf('pretty', ['short']);
    log.functionLine('a-name-longer-than-twelve', powertools({ level: 'ERROR', message: 'boom' }), AT);
    expect(lines()).toEqual([`${CLOCK} a-name-longer-than-twelve ERROR boom`]);
  });

  it('shows the highlighted keys after the message, in a fixed order, and no others', () => {
    const { log, lines } = consoleOf('pretty');
    const record = {
      level: 'ERROR',
      message: 'Payment declined',
      message_id: 'm-9',
      order_id: 'ord-1',
      cold_start: true,
      error_message: 'card expired',
      error_code: 'PAYMENT_DECLINED',
      xray_trace_id: '1-abc',
      correlation_id: 'corr-7',
    };
    log.functionLine('payments', powertools(record), AT);
    expect(lines()).toEqual([
      `${CLOCK} payments     ERROR Payment declined correlation_id=corr-7 error_code=PAYMENT_DECLINED ` +
        'error_message=card expired order_id=ord-1 message_id=m-9',
    ]);
  });

  it('prints highlighted values that are not strings as text', () => {
    const { log, lines } = consoleOf('pretty');
    log.functionLine('ingest', powertools({ level: 'DEBUG', message: 'm', order_id: 42 }), AT);
    expect(lines()).toEqual([`${CLOCK} ingest       DEBUG m order_id=42`]);
  });

  it.each([
    ['no level', { message: 'hello' }, `${CLOCK} ingest       INFO  hello`],
    ['no message', { level: 'WARN' }, `${CLOCK} ingest       WARN`],
    ['no level nor message', { order_id: 'o-1' }, `${CLOCK} ingest       INFO   order_id=o-1`],
  ])('fills in a record with %s', (_name, record, expected) => {
    const { log, lines } = consoleOf('pretty');
    log.functionLine('ingest', JSON.stringify(record), AT);
    expect(lines()).toEqual([expected]);
  });

  it('shows the time of day in UTC with milliseconds', () => {
    const { log, lines } = consoleOf('pretty');
    log.functionLine(
      'ingest',
      powertools({ level: 'INFO', message: 'late' }),
      Date.UTC(2025, 5, 1, 23, 59, 59, 7),
    );
    expect(lines()).toEqual(['23:59:59.007 ingest       INFO  late']);
  });
});

describe('ConsoleLog pretty lines for plain text and blank lines', () => {
  it('writes a plain-text line as it is, after the time and the function, with no level', () => {
    const { log, lines } = consoleOf('pretty');
    log.functionLine('ingest', 'Cold start took 120 ms', AT);
    expect(lines()).toEqual([`${CLOCK} ingest       Cold start took 120 ms`]);
  });

  it.each([
    ['text that starts with a brace but is not JSON', '{not json'],
    ['a JSON array', '[1,2,3]'],
    ['a JSON string', '"quoted"'],
    ['JSON after leading spaces', '  {"level":"INFO","message":"x"}'],
  ])('treats %s as plain text', (_name, line) => {
    const { log, lines } = consoleOf('pretty');
    log.functionLine('ingest', line, AT);
    expect(lines()).toEqual([`${CLOCK} ingest       ${line}`]);
  });

  it.each([
    ['an empty line', ''],
    ['spaces only', '   '],
    ['a tab and a newline', '\t\n'],
  ])('writes nothing for %s', (_name, line) => {
    const { log, lines } = consoleOf('pretty');
    log.functionLine('ingest', line, AT);
    expect(lines()).toEqual([]);
  });

  it('hides EMF metric lines', () => {
    const { log, lines } = consoleOf('pretty');
    log.functionLine('ingest', EMF_LINE, AT);
    log.functionLine('ingest', powertools({ level: 'INFO', message: 'after the metric' }), AT);
    expect(lines()).toEqual([`${CLOCK} ingest       INFO  after the metric`]);
  });

  it('uses the current time when a line comes without one', () => {
    jest.useFakeTimers({ now: Date.UTC(2025, 0, 15, 8, 30, 15, 500) });
    try {
      const { log, lines } = consoleOf('pretty');
      log.functionLine('ingest', 'no time given');
      expect(lines()).toEqual(['08:30:15.500 ingest       no time given']);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('ConsoleLog json mode', () => {
  const parsed = (lines: string[]): unknown[] => lines.map((line) => JSON.parse(line) as unknown);

  it('writes a Powertools record as one JSON object with the time and the function', () => {
    const { log, lines } = consoleOf('json');
    log.functionLine(
      'ingest',
      JSON.stringify({ level: 'INFO', message: 'Order accepted', order_id: 'o-1' }),
      AT,
    );
    const written = lines();
    expect(written).toHaveLength(1);
    expect(parsed(written)).toEqual([
      {
        time: '2025-01-15T10:00:00.123Z',
        function: 'ingest',
        level: 'INFO',
        message: 'Order accepted',
        order_id: 'o-1',
      },
    ]);
  });

  it('wraps a plain-text line as the message', () => {
    const { log, lines } = consoleOf('json');
    log.functionLine('health', 'plain words', AT);
    expect(parsed(lines())).toEqual([
      { time: '2025-01-15T10:00:00.123Z', function: 'health', message: 'plain words' },
    ]);
  });

  it('hides EMF metric lines and blank lines', () => {
    const { log, lines } = consoleOf('json');
    log.functionLine('ingest', EMF_LINE, AT);
    log.functionLine('ingest', '  ', AT);
    expect(lines()).toEqual([]);
  });

  it('writes a system message with the time, the component, the message and the details', () => {
    jest.useFakeTimers({ now: AT });
    try {
      const { log, lines } = consoleOf('json');
      log.system('sqs', 'moved to the dead-letter queue', { queue: 'orders-dlq', receiveCount: 5 });
      expect(parsed(lines())).toEqual([
        {
          time: '2025-01-15T10:00:00.123Z',
          component: 'sqs',
          message: 'moved to the dead-letter queue',
          queue: 'orders-dlq',
          receiveCount: 5,
        },
      ]);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('ConsoleLog quiet mode', () => {
  it('writes nothing at all', () => {
    const { log, lines } = consoleOf('quiet', ['ingest']);
    log.functionLine('ingest', JSON.stringify({ level: 'ERROR', message: 'boom' }), AT);
    log.functionLine('ingest', 'plain text', AT);
    log.system('eventbridge', 'delivery failed', { rule: 'r' });
    expect(lines()).toEqual([]);
  });
});

describe('ConsoleLog system messages in pretty mode', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: AT });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('writes the time, the component in brackets padded like a function, and the message', () => {
    const { log, lines } = consoleOf('pretty');
    log.system('sqs', 'queue created');
    expect(lines()).toEqual([`${CLOCK} [sqs]        queue created`]);
  });

  it('adds details as key=value: strings as they are, everything else as JSON', () => {
    const { log, lines } = consoleOf('pretty');
    log.system('eventbridge', 'retrying', {
      rule: 'orders-to-analytics',
      attempt: 2,
      final: false,
      target: { id: 'Target0' },
      empty: null,
    });
    expect(lines()).toEqual([
      `${CLOCK} [eventbridge] retrying rule=orders-to-analytics attempt=2 final=false target={"id":"Target0"} empty=null`,
    ]);
  });

  it('uses the same column width as the function lines', () => {
    const { log, lines } = consoleOf('pretty', ['analytics-consumer']);
    log.system('sqs', 'ready');
    log.functionLine('analytics-consumer', 'hi', AT);
    expect(lines()).toEqual([`${CLOCK} ${'[sqs]'.padEnd(18)} ready`, `${CLOCK} analytics-consumer hi`]);
  });
});

describe('ConsoleLog default output', () => {
  it('writes to the process stdout when given no stream', () => {
    const capture = captureStdout();
    try {
      new ConsoleLog('pretty').functionLine('ingest', 'to stdout', AT);
    } finally {
      capture.restore();
    }
    expect(capture.lines).toEqual([`${CLOCK} ingest       to stdout`]);
  });
});

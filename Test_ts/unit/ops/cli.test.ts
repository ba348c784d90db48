import { DynamoDBClient, ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { runOpsCli, USAGE } from '../../../utils/ops/cli';

const sqs = mockClient(SQSClient);
const dynamo = mockClient(DynamoDBClient);

const BASE = 'https://sqs.eu-west-1.amazonaws.com/123456789012';
const DLQ = 'Junction-prod-AnalyticsQueueDeadLettersQueue1A2B3C4D-Ab12Cd34Ef56';
const ROUTE_DLQ = 'Junction-prod-OrderEventsToAnalyticsDeadLettersQueue9F8E7D6C-Zz99Yy88Xx77';

async function ops(argv: string[], answer?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runOpsCli(argv, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    ask: async () => answer,
    env: { AWS_REGION: 'eu-west-1' },
  });
  return { code, out: out.join(''), err: err.join('') };
}

beforeEach(() => {
  sqs.reset();
  dynamo.reset();
  sqs.on(ListQueuesCommand).resolves({
    QueueUrls: [
      `${BASE}/Junction-prod-AnalyticsQueue1234ABCD-Qq11Ww22Ee33`,
      `${BASE}/${DLQ}`,
      `${BASE}/${ROUTE_DLQ}`,
    ],
  });
  sqs.on(GetQueueAttributesCommand).resolves({
    Attributes: { ApproximateNumberOfMessages: '2', ApproximateNumberOfMessagesNotVisible: '0' },
  });
  sqs.on(ReceiveMessageCommand).resolves({
    Messages: [
      {
        MessageId: 'm-1',
        Body: JSON.stringify({ 'detail-type': 'order.created', detail: { id: 'evt-1' } }),
        Attributes: { ApproximateReceiveCount: '5', SentTimestamp: String(Date.now() - 90_000) },
        MessageAttributes: {
          'junction.dead_letter_reason': {
            DataType: 'String',
            StringValue: JSON.stringify({ error_code: 'TIMEOUT', error_message: 'analytics timed out' }),
          },
        },
      },
    ],
  });
});

describe('the ops CLI: arguments', () => {
  it('prints its usage and answers 2 when it is given no command, an unknown one or an unknown option', async () => {
    expect(await ops([])).toMatchObject({ code: 2, out: USAGE });
    expect(await ops(['dlq', 'drain'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('Unknown command: dlq drain'),
    });
    expect(await ops(['dlq', 'list', '--force'])).toMatchObject({
      code: 2,
      err: expect.stringContaining("Unknown option '--force'"),
    });
    expect((await ops(['--help'])).code).toBe(0);
  });

  it('says what is missing: a queue, a provider, a correlation id', async () => {
    expect((await ops(['dlq', 'peek'])).err).toContain('dlq peek needs a QUEUE');
    expect((await ops(['circuit', 'reset'])).err).toContain('circuit reset needs a PROVIDER');
    expect((await ops(['trace'])).err).toContain('trace needs a CORRELATION_ID');
  });
});

describe('the ops CLI: dlq', () => {
  it('lists every dead-letter queue with its depth and the age of its oldest message', async () => {
    const { code, out } = await ops(['dlq', 'list', '--json']);
    expect(code).toBe(0);
    const listed = JSON.parse(out) as { label: string; depth: number; oldestAgeSeconds: number }[];
    expect(listed.map((queue) => queue.label)).toEqual([
      'AnalyticsQueueDeadLetters',
      'OrderEventsToAnalyticsDeadLetters',
    ]);
    expect(listed[0]).toMatchObject({ depth: 2 });
    expect(listed[0]?.oldestAgeSeconds).toBeGreaterThanOrEqual(89);
    const text = await ops(['dlq', 'list']);
    expect(text.out).toMatch(/AnalyticsQueueDeadLetters\s+2\s+0\s+(89|90|91) s/);
  });

  it('peeks at messages with the reason, the original event and the receive count, without hiding them', async () => {
    const { code, out } = await ops(['dlq', 'peek', 'analyticsqueue', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual([
      expect.objectContaining({
        messageId: 'm-1',
        receiveCount: 5,
        reason: { error_code: 'TIMEOUT', error_message: 'analytics timed out' },
        event: { 'detail-type': 'order.created', detail: { id: 'evt-1' } },
      }),
    ]);
    expect(sqs).toHaveReceivedCommandWith(ReceiveMessageCommand, { VisibilityTimeout: 0 });
  });

  it('refuses a queue name it cannot find, or one that matches several, listing the known ones', async () => {
    const missing = await ops(['dlq', 'peek', 'payments']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(
      'No queue matches "payments". Known: AnalyticsQueueDeadLetters, OrderEventsToAnalyticsDeadLetters.',
    );
    expect((await ops(['dlq', 'peek', 'analytics'])).err).toContain('matches 2 queues');
  });

  it('purges only once the queue name is typed back, or with --yes; never without a terminal', async () => {
    expect(await ops(['dlq', 'purge', 'AnalyticsQueue'], 'yes')).toMatchObject({
      code: 1,
      err: expect.stringContaining('Not confirmed: nothing was deleted.'),
    });
    const noTerminal = await runOpsCli(['dlq', 'purge', 'AnalyticsQueue'], {
      out: () => {},
      err: () => {},
      env: { AWS_REGION: 'eu-west-1' },
    });
    // No terminal to ask on: refused, whatever the rest.
    expect(noTerminal).toBe(1);
    expect(sqs).toHaveReceivedCommandTimes(PurgeQueueCommand, 0);
    expect((await ops(['dlq', 'purge', 'AnalyticsQueue'], 'AnalyticsQueueDeadLetters')).code).toBe(0);
    expect((await ops(['dlq', 'purge', 'AnalyticsQueue', '--yes'])).code).toBe(0);
    expect(sqs).toHaveReceivedCommandTimes(PurgeQueueCommand, 2);
  });

  it("refuses to redrive a route's DLQ, which has no source queue, unless told where to", async () => {
    sqs.on(ListQueuesCommand).resolves({ QueueUrls: [`${BASE}/${ROUTE_DLQ}`] });
    sqs.on(ListDeadLetterSourceQueuesCommand).resolves({ queueUrls: [] });
    const { code, err } = await ops(['dlq', 'redrive', 'OrderEventsToAnalytics']);
    expect(code).toBe(1);
    expect(err).toContain("no source queue (it is a route's DLQ): say where its messages go with --to QUEUE");
  });
});

describe('the ops CLI: replay', () => {
  it('needs a window: --from and --to as ISO times or minutes ago, --from first', async () => {
    expect((await ops(['replay', '--to', '5m'])).err).toContain('replay needs --from');
    expect((await ops(['replay', '--from', 'yesterday', '--to', '5m'])).err).toContain(
      '--from yesterday is not a time: use ISO 8601 or minutes ago (30m).',
    );
    const backwards = await ops(['replay', '--from', '5m', '--to', '30m']);
    expect(backwards).toMatchObject({ code: 1, err: expect.stringContaining('--from must be before --to.') });
  });
});

describe('the ops CLI: errors from the environment', () => {
  it('says how to give credentials when there are none', async () => {
    sqs
      .on(ListQueuesCommand)
      .rejects(Object.assign(new Error('Could not load credentials'), { name: 'CredentialsProviderError' }));
    const { code, err } = await ops(['dlq', 'list']);
    expect(code).toBe(1);
    expect(err).toContain('No AWS credentials found: set AWS_PROFILE');
  });

  it('says the local cloud is not running when its endpoint does not answer', async () => {
    const { code, err } = await ops(['dlq', 'list', '--endpoint', 'http://127.0.0.1:9']);
    expect(code).toBe(1);
    expect(err).toContain('Cannot reach the local cloud at http://127.0.0.1:9: start it with npm start.');
  });
});

describe('the ops CLI: circuits', () => {
  it("shows every provider's circuit from the table it finds by name", async () => {
    dynamo
      .on(ListTablesCommand)
      .resolves({ TableNames: ['Junction-prod-IdempotencyTable-1', 'Junction-prod-CircuitsTable1A2B-3C4D'] });
    dynamo.on(ScanCommand).resolves({
      Items: [
        {
          provider: { S: 'payment' },
          state: { S: 'open' },
          failure_count: { N: '5' },
          window_started_at: { N: '0' },
          opened_at: { N: String(Date.UTC(2026, 0, 1)) },
          version: { N: '3' },
        },
      ],
    });
    const { code, out } = await ops(['circuit', 'status']);
    expect(code).toBe(0);
    expect(out).toMatch(/payment\s+open\s+5\s+2026-01-01T00:00:00.000Z/);
    expect(dynamo).toHaveReceivedCommandWith(ScanCommand, {
      TableName: 'Junction-prod-CircuitsTable1A2B-3C4D',
    });
  });

  it('asks for --table when no table, or several, look like the circuit table', async () => {
    dynamo.on(ListTablesCommand).resolves({ TableNames: [] });
    expect((await ops(['circuit', 'status'])).err).toContain(
      'No circuit breaker table found: pass --table NAME.',
    );
  });
});

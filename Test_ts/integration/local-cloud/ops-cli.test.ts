import { randomUUID } from 'node:crypto';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { LocalCloud } from '../../../local/cloud';
import { runOpsCli } from '../../../utils/ops/cli';
import { sampleJson } from '../../support/api-events';
import { clientConfig, startTestCloud, waitFor } from '../../support/local-cloud';
import { busEvent, postOrder } from '../../support/order-saga';

// The ops CLI against the local cloud, as `npm run ops -- … --endpoint <url>` runs it: a dead-lettered
// order is redriven and then processed, an order's correlation id is traced across functions.

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
}, 90_000);

afterAll(() => cloud?.stop());

async function ops(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runOpsCli([...argv, '--endpoint', cloud.started.urls.aws], {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
  });
  return { code, out: out.join(''), err: err.join('') };
}

async function consumerLogged(orderId: string): Promise<boolean> {
  const consumer = cloud.started.topology.functions.find((fn) =>
    fn.logicalId.startsWith('AnalyticsConsumer'),
  );
  const logs = new CloudWatchLogsClient(clientConfig(cloud));
  const { events = [] } = await logs.send(
    new FilterLogEventsCommand({ logGroupName: consumer?.logGroupName, filterPattern: `"${orderId}"` }),
  );
  logs.destroy();
  return events.some((event) => event.message?.includes('Order recorded for analytics'));
}

describe('npm run ops on the local cloud', () => {
  it('lists and peeks at a dead-lettered order, redrives it, and the consumer then processes it', async () => {
    const orderId = `ord-${randomUUID()}`;
    const sample = sampleJson<{ id: string; detail: { data: Record<string, unknown> } }>(
      'eventbridge/order-created.json',
    );
    const event = {
      ...sample,
      detail: { ...sample.detail, data: { ...sample.detail.data, order_id: orderId } },
    };
    const dlq = cloud.started.topology.queues.find((queue) =>
      /^AnalyticsQueueDeadLetters/.test(queue.logicalId),
    );
    const sqs = new SQSClient(clientConfig(cloud));
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: dlq?.url,
        MessageBody: JSON.stringify(event),
        MessageAttributes: {
          'junction.dead_letter_reason': {
            DataType: 'String',
            StringValue: JSON.stringify({
              error_code: 'TIMEOUT',
              error_message: 'the analytics provider timed out',
            }),
          },
        },
      }),
    );
    sqs.destroy();

    const listed = await ops('dlq', 'list', '--json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.out)).toContainEqual(
      expect.objectContaining({ label: 'AnalyticsQueueDeadLetters', depth: 1 }),
    );
    const peeked = await ops('dlq', 'peek', 'AnalyticsQueueDeadLetters', '--json');
    expect(JSON.parse(peeked.out)).toEqual([
      expect.objectContaining({
        reason: expect.objectContaining({ error_code: 'TIMEOUT' }),
        event: expect.objectContaining({ id: event.id }),
      }),
    ]);

    const redriven = await ops('dlq', 'redrive', 'AnalyticsQueueDeadLetters');
    expect(redriven).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^Moved 1 message\(s\) from AnalyticsQueueDeadLetters to /),
    });
    expect(redriven.err).toContain('[##############################] 1/1 completed');
    await waitFor(
      async () => ((await consumerLogged(orderId)) ? true : undefined),
      'the consumer to record the order',
      30_000,
    );
    expect(JSON.parse((await ops('dlq', 'list', '--json')).out)).toContainEqual(
      expect.objectContaining({ label: 'AnalyticsQueueDeadLetters', depth: 0 }),
    );
  }, 90_000);

  it("traces an order's correlation id across every function it touched, oldest line first", async () => {
    const correlationId = `corr-${randomUUID()}`;
    const order = await postOrder(cloud, 'tok_visa', correlationId);
    await waitFor(() => busEvent(cloud, 'order.completed', order.orderId), 'order.completed', 60_000);
    await cloud.idle();
    const { code, out } = await ops('trace', correlationId, '--json');
    expect(code).toBe(0);
    const timeline = JSON.parse(out) as { timestamp: string; source: string; message: string }[];
    expect(timeline.map((entry) => entry.message)).toEqual(
      expect.arrayContaining(['Request handled', 'event order.created on the bus', 'Saga step succeeded']),
    );
    expect(timeline.map((entry) => entry.timestamp)).toEqual(
      [...timeline.map((entry) => entry.timestamp)].sort(),
    );
    const sources = new Set(timeline.map((entry) => entry.source));
    for (const fn of ['IngestOrder', 'StartOrderSaga', 'ChargePayment', 'CompleteOrder']) {
      expect([...sources].some((source) => source.includes(fn))).toBe(true);
    }
    const text = await ops('trace', correlationId);
    expect(text.out).toContain('Saga step succeeded');
  }, 90_000);

  it("replays the archive's recent events to the rules named, and follows the replay to its end", async () => {
    const order = await postOrder(cloud, 'tok_visa');
    await waitFor(() => busEvent(cloud, 'order.completed', order.orderId), 'order.completed', 60_000);
    const { code, out, err } = await ops(
      'replay',
      '--from',
      '10m',
      '--to',
      new Date().toISOString(),
      '--pattern',
      'Audit',
    );
    expect(code).toBe(0);
    expect(out).toMatch(/^Replay ops-replay-\d+ completed: .* to .*Audit/);
    expect(err).toContain('100% completed');
    const audit = cloud.started.topology.logGroups.find((group) =>
      group.logicalId.startsWith('EventsAuditLogs'),
    );
    const logs = new CloudWatchLogsClient(clientConfig(cloud));
    // The order.created event itself, not the events it caused (they name it as their causation).
    const copies = await waitFor(async () => {
      const { events = [] } = await logs.send(
        new FilterLogEventsCommand({ logGroupName: audit?.name, filterPattern: `"${order.eventId}"` }),
      );
      const created = events.filter((event) => event.message?.includes('"detail-type":"order.created"'));
      return created.length >= 2 ? created : undefined;
    }, 'the replayed order.created in the audit log');
    logs.destroy();
    expect(copies).toHaveLength(2);
    expect(copies.filter((event) => event.message?.includes('"replay-name"'))).toHaveLength(1);
  }, 90_000);

  it('shows the circuits and refuses to reset one that is not recorded', async () => {
    const status = await ops('circuit', 'status', '--json');
    expect(status.code).toBe(0);
    expect(Array.isArray(JSON.parse(status.out))).toBe(true);
    const reset = await ops('circuit', 'reset', 'nobody');
    expect(reset).toMatchObject({
      code: 1,
      err: expect.stringContaining('No circuit is recorded for provider "nobody"'),
    });
  }, 30_000);
});

import { randomUUID } from 'node:crypto';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeReplayCommand,
  EventBridgeClient,
  PutEventsCommand,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { LocalCloud } from '../../../local/cloud';
import { sampleJson } from '../../support/api-events';
import { clientConfig, inspect, startTestCloud, waitFor } from '../../support/local-cloud';

// Junction's own stack on the local cloud: an order goes in over the API and comes out of the
// analytics consumer, driven only through real clients.

let cloud: LocalCloud;
let apiUrl: string;
let credentials: { clientId: string; clientSecret: string; apiKey: string };

interface RecentEvents {
  events: {
    event: { id: string; 'detail-type': string; detail: { id: string }; 'replay-name'?: string };
    deliveries: { targetArn: string; status: string }[];
  }[];
}

async function token(): Promise<string> {
  const response = await fetch(`${cloud.started.urls.api}/oauth2/token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials&scope=orders/write',
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function postOrder(
  headers: Record<string, string>,
  body: string = JSON.stringify(sampleJson('api/post-order.json')),
) {
  const response = await fetch(`${apiUrl}/v1/orders`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
}

function consumerLogGroup(): string {
  return (
    cloud.started.topology.functions.find((fn) => fn.logicalId.startsWith('AnalyticsConsumer'))
      ?.logGroupName ?? ''
  );
}

interface QueueStats {
  queues: { name: string; visible: number; inFlight: number; delayed: number }[];
  eventSources: { functionName: string; queueName: string; records: number }[];
}

/** How many records the analytics consumer's event source has handed it, and what its queue holds. */
async function consumerQueue() {
  const functionName = cloud.started.topology.functions.find((fn) =>
    fn.logicalId.startsWith('AnalyticsConsumer'),
  )?.name;
  const { queues, eventSources } = await inspect<QueueStats>(cloud, '/queues');
  const source = eventSources.find((candidate) => candidate.functionName === functionName);
  const queue = queues.find((candidate) => candidate.name === source?.queueName);
  if (!source || !queue) throw new Error('No event source for the analytics consumer');
  return { records: source.records, waiting: queue.visible + queue.inFlight + queue.delayed };
}

async function recorded(orderId: string) {
  const { events } = await inspect<{ events: { message: string }[] }>(
    cloud,
    `/logs?group=${encodeURIComponent(consumerLogGroup())}&contains=${orderId}`,
  );
  return events
    .map((event) => JSON.parse(event.message))
    .filter((line) => line.message === 'Order recorded for analytics');
}

beforeAll(async () => {
  cloud = await startTestCloud();
  const stage = cloud.started.topology.restApis[0]?.stages[0]?.name;
  apiUrl = `${cloud.started.urls.api}/${stage}`;
  const client = cloud.started.cognito.clients()[0];
  const apiKey = cloud.started.topology.restApis[0]?.apiKeys[0];
  credentials = {
    clientId: client?.clientId ?? '',
    clientSecret: client?.clientSecret ?? '',
    apiKey: apiKey?.value ?? '',
  };
}, 90_000);

afterAll(() => cloud?.stop());

describe('order intake on the local cloud', () => {
  let orderId = '';
  let eventId = '';

  it('accepts an order posted with a token and an API key', async () => {
    const response = await postOrder({
      Authorization: `Bearer ${await token()}`,
      'x-api-key': credentials.apiKey,
      'Idempotency-Key': `order-${randomUUID()}`,
    });
    expect(response.status).toBe(202);
    expect(response.json).toMatchObject({ success: true, status: 'accepted' });
    expect(response.headers.get('x-correlation-id')).toEqual(expect.any(String));
    orderId = String(response.json.order_id);
    eventId = String(response.json.event_id);
  });

  it('puts order.created on the bus, routes it to the analytics queue, and the consumer records it', async () => {
    const lines = await waitFor(async () => {
      const found = await recorded(orderId);
      return found.length > 0 ? found : undefined;
    }, 'the consumer to record the order');
    expect(lines[0]).toMatchObject({ order_id: orderId, total_amount: 6100, currency: 'EUR' });
    const { events } = await inspect<RecentEvents>(cloud, '/events');
    const routed = events.find((entry) => entry.event.detail.id === eventId);
    expect(routed?.event['detail-type']).toBe('order.created');
    // The analytics queue, the order saga's start queue and the audit log group.
    expect(routed?.deliveries.map((delivery) => delivery.status)).toEqual([
      'delivered',
      'delivered',
      'delivered',
    ]);
  });

  it('writes every event to the audit log group, readable with CloudWatch Logs', async () => {
    const logs = new CloudWatchLogsClient(clientConfig(cloud));
    const auditGroup = cloud.started.topology.logGroups.find((group) =>
      group.logicalId.startsWith('EventsAuditLogs'),
    )?.name;
    const { events = [] } = await logs.send(
      new FilterLogEventsCommand({ logGroupName: auditGroup, filterPattern: `"${eventId}"` }),
    );
    logs.destroy();
    expect(events).toHaveLength(1);
  });

  it('replays archived events to the bus, and the consumer stays idempotent', async () => {
    const events = new EventBridgeClient(clientConfig(cloud));
    const archive = cloud.started.topology.archives[0];
    const bus = cloud.started.topology.buses[0];
    const before = await consumerQueue();
    await events.send(
      new StartReplayCommand({
        ReplayName: 'replay-orders',
        EventSourceArn: archive?.arn,
        EventStartTime: new Date(Date.now() - 60_000),
        EventEndTime: new Date(Date.now() + 60_000),
        Destination: { Arn: bus?.arn },
      }),
    );
    const replay = await waitFor(async () => {
      const described = await events.send(new DescribeReplayCommand({ ReplayName: 'replay-orders' }));
      return described.State === 'COMPLETED' ? described : undefined;
    }, 'the replay to complete');
    events.destroy();
    expect(replay.State).toBe('COMPLETED');
    await cloud.idle();
    const { events: recent } = await inspect<RecentEvents>(cloud, '/events');
    const replayed = recent.find(
      (entry) => entry.event['replay-name'] === 'replay-orders' && entry.event.detail.id === eventId,
    );
    expect(replayed?.deliveries.some((delivery) => delivery.status === 'delivered')).toBe(true);
    // cloud.idle() does not wait for the SQS pollers: wait until the consumer has been handed the
    // replayed copy and the analytics queue is drained (deleted after the invocation returned).
    await waitFor(async () => {
      const now = await consumerQueue();
      return now.records > before.records && now.waiting === 0 ? now : undefined;
    }, 'the consumer to process the replayed event');
    expect(await recorded(orderId)).toHaveLength(1);
  });

  it('sends an event whose target keeps failing to the route DLQ, with EventBridge attributes', async () => {
    const rule = cloud.started.topology.rules.find((candidate) =>
      candidate.logicalId.startsWith('OrderEventsToAnalytics'),
    );
    const target = rule?.targets[0];
    const dlq = cloud.started.topology.queues.find((queue) => queue.arn === target?.deadLetterArn);
    await fetch(`${cloud.started.urls.aws}/_local/events/faults`, {
      method: 'POST',
      // A failure EventBridge does not retry (the target is gone), so the DLQ gets it at once.
      body: JSON.stringify({
        targetArn: target?.arn,
        count: 1000,
        code: 'ResourceNotFoundException',
        retryable: false,
      }),
    });
    const events = new EventBridgeClient(clientConfig(cloud));
    const { FailedEntryCount } = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: cloud.started.topology.buses[0]?.name,
            Source: 'junction.orders',
            DetailType: 'order.created',
            Detail: '{"id":"evt-doomed"}',
          },
        ],
      }),
    );
    events.destroy();
    expect(FailedEntryCount).toBe(0);
    const sqs = new SQSClient(clientConfig(cloud));
    const message = await waitFor(
      async () => {
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: dlq?.url,
            WaitTimeSeconds: 1,
            MessageAttributeNames: ['All'],
          }),
        );
        return Messages?.find((candidate) => candidate.Body?.includes('evt-doomed'));
      },
      'the event in the route DLQ',
      30_000,
    );
    sqs.destroy();
    expect(message.MessageAttributes?.ERROR_CODE?.StringValue).toBe('ResourceNotFoundException');
    expect(message.MessageAttributes?.RULE_ARN?.StringValue).toBe(rule?.arn);
    await fetch(`${cloud.started.urls.aws}/_local/events/faults`, {
      method: 'POST',
      body: JSON.stringify({ targetArn: target?.arn, count: 0 }),
    });
  }, 40_000);

  it('reports every component up on GET /health with an API key', async () => {
    const response = await fetch(`${apiUrl}/health`, { headers: { 'x-api-key': credentials.apiKey } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      success: true,
      components: { bus: { status: 'up' }, table: { status: 'up' }, queue: { status: 'up' } },
    });
  });
});

describe('the gateway refuses, in the standard error format', () => {
  it('a request without a token', async () => {
    const response = await postOrder({
      'x-api-key': credentials.apiKey,
      'Idempotency-Key': 'order-no-token-1',
    });
    expect(response.status).toBe(401);
    expect(response.json).toMatchObject({
      success: false,
      error_code: 'UNAUTHORIZED',
      request_id: expect.any(String),
    });
  });

  it('a request without an API key', async () => {
    const response = await postOrder({
      Authorization: `Bearer ${await token()}`,
      'Idempotency-Key': 'order-no-key-1',
    });
    expect(response.status).toBe(403);
    expect(response.json).toMatchObject({ success: false, error_code: 'INVALID_API_KEY' });
  });

  it('a body that breaks the model, naming the fields', async () => {
    const response = await postOrder(
      {
        Authorization: `Bearer ${await token()}`,
        'x-api-key': credentials.apiKey,
        'Idempotency-Key': 'order-bad-body-1',
      },
      JSON.stringify({ currency: 'EUR' }),
    );
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ success: false, error_code: 'VALIDATION_FAILED' });
    expect(String(response.json.error_message)).toContain('customer');
  });

  it('an unknown route', async () => {
    const response = await fetch(`${apiUrl}/v1/nothing-here`, {
      headers: { 'x-api-key': credentials.apiKey },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ success: false, error_code: 'ROUTE_NOT_FOUND' });
  });
});

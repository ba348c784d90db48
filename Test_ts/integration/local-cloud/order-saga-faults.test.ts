import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { LocalCloud } from '../../../local/cloud';
import { clientConfig, startTestCloud, waitFor } from '../../support/local-cloud';
import { busEvent, paymentCalls, postOrder, setPaymentFaults } from '../../support/order-saga';

// The order saga against a payment provider that misbehaves. Time runs at a quarter of real time:
// fast enough for a test, slow enough that the saga's minutes of retries outlast the circuit's
// (scaled) open time, as they do in the cloud.

let cloud: LocalCloud;
let dynamo: DynamoDBClient;
let sfn: SFNClient;

beforeAll(async () => {
  cloud = await startTestCloud({ timeScale: 0.25 });
  dynamo = new DynamoDBClient(clientConfig(cloud));
  sfn = new SFNClient(clientConfig(cloud));
}, 90_000);

afterAll(async () => {
  dynamo?.destroy();
  sfn?.destroy();
  await cloud?.stop();
});

afterEach(() => setPaymentFaults(cloud, { errorRate: 0, timeoutRate: 0 }));

async function circuitState(provider: string): Promise<string | undefined> {
  const table = cloud.started.topology.tables.find((spec) => spec.logicalId.includes('Circuit'));
  const { Item } = await dynamo.send(
    new GetItemCommand({ TableName: table?.name, Key: { provider: { S: provider } }, ConsistentRead: true }),
  );
  return Item?.state?.S;
}

/** The errors the saga's tasks failed with, so far, in the execution started for this event. */
async function taskErrors(eventId: string): Promise<string[]> {
  const { executions } = await sfn.send(new ListExecutionsCommand({}));
  const execution = executions?.find((candidate) => candidate.name?.includes(eventId));
  if (!execution) return [];
  const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn: execution.executionArn }));
  return (events ?? []).flatMap((event) =>
    event.type === 'TaskFailed' ? [event.taskFailedEventDetails?.error ?? ''] : [],
  );
}

const charged = (status: number | 'timeout') => (call: { path: string; status: number | 'timeout' }) =>
  call.path === '/v1/charges' && call.status === status;

describe('the order saga when the payment provider misbehaves', () => {
  it('retries timeouts and 500s with one idempotency key: the order completes with exactly one charge', async () => {
    await setPaymentFaults(cloud, { timeoutRate: 1 });
    const order = await postOrder(cloud, 'tok_visa');
    await waitFor(
      async () => ((await paymentCalls(cloud, order.orderId)).some(charged('timeout')) ? true : undefined),
      'a charge that timed out',
      45_000,
    );
    await setPaymentFaults(cloud, { timeoutRate: 0, errorRate: 1, errorStatus: 500 });
    await waitFor(
      async () => ((await paymentCalls(cloud, order.orderId)).some(charged(500)) ? true : undefined),
      'a charge answered 500',
      45_000,
    );
    await setPaymentFaults(cloud, { errorRate: 0 });

    await waitFor(() => busEvent(cloud, 'order.completed', order.orderId), 'order.completed', 90_000);
    const charges = (await paymentCalls(cloud, order.orderId)).filter((call) => call.path === '/v1/charges');
    expect(new Set(charges.map((call) => call.idempotencyKey))).toEqual(new Set([`${order.orderId}:charge`]));
    // Only first-time successes are charges; a repeated key would be answered from the stored reply.
    expect(charges.filter((call) => call.status === 200 && !call.replayed)).toHaveLength(1);
    expect(await busEvent(cloud, 'order.failed', order.orderId)).toBeUndefined();
  }, 180_000);

  it('opens the circuit while the provider is down; a later order waits without calling it, and both complete once it is back', async () => {
    await setPaymentFaults(cloud, { errorRate: 1, errorStatus: 503 });
    const first = await postOrder(cloud, 'tok_visa');
    await waitFor(
      async () => ((await circuitState('payment')) === 'open' ? true : undefined),
      'an open circuit',
      60_000,
    );

    const later = await postOrder(cloud, 'tok_visa');
    await waitFor(
      async () => ((await taskErrors(later.eventId)).includes('CircuitOpenError') ? true : undefined),
      'the later order to meet the open circuit',
      30_000,
    );
    // Failing fast: the open circuit kept the later order away from the provider.
    expect(await paymentCalls(cloud, later.orderId)).toEqual([]);
    expect(await busEvent(cloud, 'order.failed', later.orderId)).toBeUndefined();

    await setPaymentFaults(cloud, { errorRate: 0 });
    for (const order of [first, later]) {
      await waitFor(() => busEvent(cloud, 'order.completed', order.orderId), 'order.completed', 120_000);
      const charges = (await paymentCalls(cloud, order.orderId)).filter(charged(200));
      expect(charges).toHaveLength(1);
    }
    expect(await circuitState('payment')).toBe('closed');
  }, 240_000);
});

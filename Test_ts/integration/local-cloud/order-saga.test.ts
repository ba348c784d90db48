import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { LocalCloud } from '../../../local/cloud';
import type { SandboxCall } from '../../../local/providers/types';
import { sampleJson } from '../../support/api-events';
import { clientConfig, inspect, startTestCloud, waitFor } from '../../support/local-cloud';

// The order saga on the local cloud, end to end: an order posted to the API is charged at the
// payment sandbox, invoiced, confirmed by e-mail and completed; a declined card fails it.

let cloud: LocalCloud;
let apiUrl: string;

interface BusEvent {
  event: { 'detail-type': string; detail: { id: string; type: string; data: Record<string, unknown> } };
}

async function token(): Promise<string> {
  const client = cloud.started.cognito.clients()[0];
  const response = await fetch(cloud.started.urls.token, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${client?.clientId}:${client?.clientSecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials&scope=orders/write',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function postOrder(source: string): Promise<{ orderId: string; eventId: string }> {
  const order = { ...sampleJson<Record<string, unknown>>('api/post-order.json'), payment: { source } };
  const response = await fetch(`${apiUrl}/v1/orders`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${await token()}`,
      'x-api-key': cloud.started.topology.restApis[0]?.apiKeys[0]?.value ?? '',
      'Idempotency-Key': `saga-${randomUUID()}`,
    },
    body: JSON.stringify(order),
  });
  expect(response.status).toBe(202);
  const body = (await response.json()) as { order_id: string; event_id: string };
  return { orderId: body.order_id, eventId: body.event_id };
}

async function busEvent(type: string, orderId: string): Promise<BusEvent['event'] | undefined> {
  const { events } = await inspect<{ events: BusEvent[] }>(cloud, '/events?limit=1000');
  return events.find(
    (entry) => entry.event['detail-type'] === type && entry.event.detail.data.order_id === orderId,
  )?.event;
}

async function paymentCalls(orderId: string): Promise<SandboxCall[]> {
  const response = await fetch(`${cloud.started.providers.payment.url}/_sandbox/calls`);
  const { calls } = (await response.json()) as { calls: SandboxCall[] };
  return calls.filter((call) => call.idempotencyKey?.startsWith(`${orderId}:`));
}

beforeAll(async () => {
  cloud = await startTestCloud();
  apiUrl = cloud.started.urls.apiStage;
}, 90_000);

afterAll(() => cloud?.stop());

describe('the order saga on the local cloud', () => {
  let completed: { orderId: string; eventId: string };

  it('charges, invoices and confirms an order, then puts order.completed', async () => {
    completed = await postOrder('tok_visa');
    const event = await waitFor(
      () => busEvent('order.completed', completed.orderId),
      'order.completed',
      60_000,
    );
    expect(event.detail.data).toMatchObject({
      order_id: completed.orderId,
      payment: { amount: 6100, currency: 'EUR' },
      invoice_number: `INV-${completed.orderId}`,
    });
    const charges = (await paymentCalls(completed.orderId)).filter((call) => call.path === '/v1/charges');
    expect(charges.map((call) => call.status)).toEqual([200]);
    expect(charges[0]?.idempotencyKey).toBe(`${completed.orderId}:charge`);
    const mails = await fetch(`${cloud.started.providers.email.url}/_sandbox/calls`);
    const { calls } = (await mails.json()) as { calls: SandboxCall[] };
    expect(calls.filter((call) => call.idempotencyKey === `${completed.orderId}:confirmation`)).toHaveLength(
      1,
    );
  }, 90_000);

  it('runs the saga once when order.created is delivered again: one charge', async () => {
    const { events } = await inspect<{ events: BusEvent[] }>(cloud, '/events?limit=1000');
    const original = events.find((entry) => entry.event.detail.id === completed.eventId)?.event;
    expect(original).toBeDefined();
    const bridge = new EventBridgeClient(clientConfig(cloud));
    await bridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: cloud.started.topology.buses[0]?.name,
            Source: 'junction.orders',
            DetailType: 'order.created',
            Detail: JSON.stringify(original?.detail),
          },
        ],
      }),
    );
    bridge.destroy();
    await cloud.idle();
    // The starter has seen the second delivery once its queue is empty.
    await waitFor(
      async () => {
        const { queues } = await inspect<{ queues: { name: string; visible: number; inFlight: number }[] }>(
          cloud,
          '/queues',
        );
        const start = queues.find(
          (queue) => queue.name.includes('StartQueue') && !queue.name.includes('Dead'),
        );
        return start && start.visible + start.inFlight === 0 ? true : undefined;
      },
      'the saga start queue to drain',
      30_000,
    );
    const charges = (await paymentCalls(completed.orderId)).filter((call) => call.path === '/v1/charges');
    expect(charges).toHaveLength(1);
  }, 60_000);

  it('fails an order whose card is declined with order.failed, refunding nothing', async () => {
    const declined = await postOrder('tok_chargeDeclined');
    const event = await waitFor(() => busEvent('order.failed', declined.orderId), 'order.failed', 60_000);
    expect(event.detail.data).toMatchObject({
      order_id: declined.orderId,
      refunded: false,
      reason: { code: 'PaymentDeclinedError', step: 'charge' },
    });
    const calls = await paymentCalls(declined.orderId);
    expect(calls.filter((call) => call.path.startsWith('/v1/refunds'))).toEqual([]);
  }, 90_000);

  it('refunds the charge when the invoice cannot be created, and puts order.failed', async () => {
    const invoices = cloud.started.topology.tables.find((table) => table.logicalId.includes('Invoices'));
    const dynamo = new DynamoDBClient(clientConfig(cloud));
    await dynamo.send(new DeleteTableCommand({ TableName: invoices?.name }));
    dynamo.destroy();
    const doomed = await postOrder('tok_visa');
    const event = await waitFor(() => busEvent('order.failed', doomed.orderId), 'order.failed', 60_000);
    expect(event.detail.data).toMatchObject({ refunded: true, reason: { step: 'invoice' } });
    const calls = await paymentCalls(doomed.orderId);
    expect(calls.filter((call) => call.path === '/v1/charges' && call.status === 200)).toHaveLength(1);
    expect(calls.filter((call) => call.path.startsWith('/v1/refunds') && call.status === 200)).toHaveLength(
      1,
    );
  }, 90_000);
});

import { randomUUID } from 'node:crypto';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { LocalCloud } from '../../../local/cloud';
import type { SandboxCall } from '../../../local/providers/types';
import { clientConfig, inspect, startTestCloud, waitFor } from '../../support/local-cloud';
import {
  type BusEvent,
  busEvent as busEventOf,
  paymentCalls as paymentCallsOf,
  postOrder as postOrderTo,
} from '../../support/order-saga';

// The order saga on the local cloud, end to end: an order posted to the API is charged at the
// payment sandbox, invoiced, confirmed by e-mail and completed; a declined card fails it.

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
}, 90_000);

const postOrder = (source: string, correlationId?: string) => postOrderTo(cloud, source, correlationId);
const busEvent = (type: string, orderId: string) => busEventOf(cloud, type, orderId);
const paymentCalls = (orderId: string) => paymentCallsOf(cloud, orderId);

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

  it("carries the caller's correlation id into the logs of every function the order touched and into the provider calls", async () => {
    const correlationId = `corr-${randomUUID()}`;
    const order = await postOrder('tok_visa', correlationId);
    await waitFor(() => busEvent('order.completed', order.orderId), 'order.completed', 60_000);
    await cloud.idle();
    const logs = new CloudWatchLogsClient(clientConfig(cloud));
    const touched: string[] = [];
    for (const fn of cloud.started.topology.functions) {
      const { events } = await logs.send(
        new FilterLogEventsCommand({ logGroupName: fn.logGroupName, filterPattern: `"${correlationId}"` }),
      );
      if ((events ?? []).length > 0) touched.push(fn.logicalId.replace(/[0-9A-F]{8}$/, ''));
    }
    logs.destroy();
    expect(touched.sort()).toEqual(
      [
        'IngestOrder',
        'AnalyticsConsumer',
        'StartOrderSaga',
        'ValidateOrder',
        'ChargePayment',
        'CreateInvoice',
        'SendConfirmation',
        'CompleteOrder',
      ].sort(),
    );
    const calls = await paymentCalls(order.orderId);
    expect(calls.map((call) => call.correlationId)).toEqual([correlationId]);
    const mails = await fetch(`${cloud.started.providers.email.url}/_sandbox/calls`);
    const { calls: sent } = (await mails.json()) as { calls: SandboxCall[] };
    const confirmation = sent.find((call) => call.idempotencyKey === `${order.orderId}:confirmation`);
    expect(confirmation?.correlationId).toBe(correlationId);
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

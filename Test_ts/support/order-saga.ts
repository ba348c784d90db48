import { randomUUID } from 'node:crypto';
import type { LocalCloud } from '../../local/cloud';
import type { SandboxCall } from '../../local/providers/types';
import { sampleJson } from './api-events';
import { inspect } from './local-cloud';

// Posting orders to the local cloud's API and watching what the order saga does with them.

export interface BusEvent {
  event: { 'detail-type': string; detail: { id: string; type: string; data: Record<string, unknown> } };
}

/** A client-credentials token from the local Cognito, for the given scope. */
export async function accessToken(cloud: LocalCloud, scope: string): Promise<string> {
  const client = cloud.started.cognito.clients()[0];
  const response = await fetch(cloud.started.urls.token, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${client?.clientId}:${client?.clientSecret}`).toString('base64')}`,
    },
    body: `grant_type=client_credentials&scope=${encodeURIComponent(scope)}`,
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Posts the sample order, paid with the given card token; expects it accepted. */
export async function postOrder(
  cloud: LocalCloud,
  source: string,
  correlationId?: string,
): Promise<{ orderId: string; eventId: string }> {
  const order = { ...sampleJson<Record<string, unknown>>('api/post-order.json'), payment: { source } };
  const response = await fetch(`${cloud.started.urls.apiStage}/v1/orders`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${await accessToken(cloud, 'orders/write')}`,
      'x-api-key': cloud.started.topology.restApis[0]?.apiKeys[0]?.value ?? '',
      'Idempotency-Key': `saga-${randomUUID()}`,
      ...(correlationId ? { 'X-Correlation-Id': correlationId } : {}),
    },
    body: JSON.stringify(order),
  });
  expect(response.status).toBe(202);
  const body = (await response.json()) as { order_id: string; event_id: string };
  return { orderId: body.order_id, eventId: body.event_id };
}

/** The event of this type about this order that the bus received, if any. */
export async function busEvent(
  cloud: LocalCloud,
  type: string,
  orderId: string,
): Promise<BusEvent['event'] | undefined> {
  const { events } = await inspect<{ events: BusEvent[] }>(cloud, '/events?limit=1000');
  return events.find(
    (entry) => entry.event['detail-type'] === type && entry.event.detail.data.order_id === orderId,
  )?.event;
}

/** Every call the payment sandbox received for this order (its idempotency keys start with the id). */
export async function paymentCalls(cloud: LocalCloud, orderId: string): Promise<SandboxCall[]> {
  const response = await fetch(`${cloud.started.providers.payment.url}/_sandbox/calls`);
  const { calls } = (await response.json()) as { calls: SandboxCall[] };
  return calls.filter((call) => call.idempotencyKey?.startsWith(`${orderId}:`));
}

/** Sets the payment sandbox's faults through its admin surface, as a person would with curl. */
export async function setPaymentFaults(cloud: LocalCloud, faults: Record<string, number>): Promise<void> {
  const response = await fetch(`${cloud.started.providers.payment.url}/_sandbox/faults`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(faults),
  });
  expect(response.status).toBe(200);
}

import { latestVersion } from '../events/catalog';
import { createEnvelope, type Envelope, type EnvelopeMetadata, nameBasedUuid } from '../events/envelope';
import type { OrderCreatedData } from '../events/schemas/order-created';
import type { OrderRequest } from './order-request';

export const ORDERS_SOURCE = 'junction.orders';

export interface OrderCreatedInput {
  readonly order: OrderRequest;
  /** The client-scoped idempotency key; the order and event ids derive from it. */
  readonly scopedKey: string;
  readonly metadata: EnvelopeMetadata;
  readonly now?: () => Date;
}

/** The `order.created` event (newest version) for an order accepted through the API. */
export function buildOrderCreated(
  input: OrderCreatedInput,
): Envelope<OrderCreatedData> & { type: 'order.created' } {
  const createdAt = (input.now ?? (() => new Date()))();
  const items = input.order.items.map((item) => ({ ...item, line_amount: item.quantity * item.unit_amount }));
  const data: OrderCreatedData = {
    order_id: `ord-${nameBasedUuid(`order:${input.scopedKey}`)}`,
    channel: 'api',
    customer: input.order.customer,
    currency: input.order.currency,
    items,
    total_amount: items.reduce((sum, item) => sum + item.line_amount, 0),
    created_at: createdAt.toISOString(),
    ...(input.order.payment && { payment: input.order.payment }),
  };
  const envelope = createEnvelope({
    id: `evt-${nameBasedUuid(`event:order.created:${input.scopedKey}`)}`,
    type: 'order.created',
    version: latestVersion('order.created'),
    source: ORDERS_SOURCE,
    data,
    metadata: input.metadata,
    now: () => createdAt,
  });
  return { ...envelope, type: 'order.created' };
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { OrderCreatedDataSchema } from '../../../utils/events/schemas/order-created';
import { buildOrderCreated } from '../../../utils/orders/order-created';
import { OrderRequestSchema } from '../../../utils/orders/order-request';

const order = OrderRequestSchema.parse(
  JSON.parse(readFileSync(path.join(__dirname, '../../../events/api/post-order.json'), 'utf8')),
);
const metadata = { correlation_id: 'corr-1', causation_id: 'req-1', user_id: 'client-a' };
const now = () => new Date('2025-01-15T10:00:00Z');

describe('buildOrderCreated', () => {
  it('prices every line and the total in integer minor units', () => {
    const envelope = buildOrderCreated({ order, scopedKey: 'client-a#key-0001', metadata, now });
    expect(envelope.data.items.map((item) => item.line_amount)).toEqual([4900, 1200]);
    expect(envelope.data.total_amount).toBe(6100);
    expect(OrderCreatedDataSchema.parse(envelope.data)).toEqual(envelope.data);
  });

  it('wraps the order in an order.created 1.2 envelope from junction.orders', () => {
    const envelope = buildOrderCreated({ order, scopedKey: 'client-a#key-0001', metadata, now });
    expect(envelope).toMatchObject({
      type: 'order.created',
      version: '1.2',
      source: 'junction.orders',
      timestamp: '2025-01-15T10:00:00.000Z',
      metadata,
    });
    expect(envelope.data.created_at).toBe('2025-01-15T10:00:00.000Z');
  });

  it('says the order entered through the API', () => {
    const envelope = buildOrderCreated({ order, scopedKey: 'client-a#key-0001', metadata, now });
    expect(envelope.data.channel).toBe('api');
  });

  it("carries the customer's locale when the request has one, and none otherwise", () => {
    const withLocale = { ...order, customer: { ...order.customer, locale: 'de-DE' } };
    const envelope = buildOrderCreated({ order: withLocale, scopedKey: 'client-a#key-0001', metadata, now });
    expect(envelope.data.customer).toEqual({ id: 'cus-1001', email: 'ada@example.com', locale: 'de-DE' });
    const without = buildOrderCreated({ order, scopedKey: 'client-a#key-0001', metadata, now });
    expect(without.data.customer).not.toHaveProperty('locale');
  });

  it('derives the order and event ids from the idempotency key, so a re-publication is recognisable', () => {
    const first = buildOrderCreated({ order, scopedKey: 'client-a#key-0001', metadata, now });
    const again = buildOrderCreated({ order, scopedKey: 'client-a#key-0001', metadata, now });
    const other = buildOrderCreated({ order, scopedKey: 'client-b#key-0001', metadata, now });
    expect(again.id).toBe(first.id);
    expect(again.data.order_id).toBe(first.data.order_id);
    expect(other.data.order_id).not.toBe(first.data.order_id);
    expect(first.data.order_id).toMatch(/^ord-/);
    expect(first.id).toMatch(/^evt-/);
  });
});

describe('OrderRequestSchema', () => {
  it('rejects unknown fields, so a typo is never silently dropped', () => {
    expect(OrderRequestSchema.safeParse({ ...order, curency: 'EUR' }).success).toBe(false);
  });

  it('rejects a fractional amount: amounts are integer minor units', () => {
    const items = [{ sku: 'A-1', quantity: 1, unit_amount: 12.5 }];
    expect(OrderRequestSchema.safeParse({ ...order, items }).success).toBe(false);
  });

  it('rejects a currency that is not three capital letters', () => {
    expect(OrderRequestSchema.safeParse({ ...order, currency: 'eur' }).success).toBe(false);
  });

  it('carries the payment source the saga charges when the request has one, and none otherwise', () => {
    const paid = { ...order, payment: { source: 'tok_visa' } };
    expect(
      buildOrderCreated({ order: paid, scopedKey: 'client-a#key-0001', metadata, now }).data.payment,
    ).toEqual({ source: 'tok_visa' });
    const { payment: _payment, ...unpaid } = order;
    expect(
      buildOrderCreated({ order: unpaid, scopedKey: 'client-a#key-0001', metadata, now }).data,
    ).not.toHaveProperty('payment');
  });

  it('refuses card data where a payment token belongs', () => {
    expect(OrderRequestSchema.safeParse({ ...order, payment: { source: '4242424242424242' } }).success).toBe(
      false,
    );
  });

  it.each(['de-DE', 'en', 'es-419', 'zh-Hant-TW'])('accepts the BCP 47 locale %s', (locale) => {
    expect(OrderRequestSchema.safeParse({ ...order, customer: { ...order.customer, locale } }).success).toBe(
      true,
    );
  });

  it.each(['German', 'de_DE', 'de-de', ''])('rejects %p as a locale', (locale) => {
    expect(OrderRequestSchema.safeParse({ ...order, customer: { ...order.customer, locale } }).success).toBe(
      false,
    );
  });

  it('rejects an order without items', () => {
    expect(OrderRequestSchema.safeParse({ ...order, items: [] }).success).toBe(false);
  });
});

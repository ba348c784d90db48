import { parseEventDetail, requireEventType } from '../../../utils/events/catalog';
import { summarizeOrder } from '../../../utils/orders/analytics';
import { sampleJson } from '../../support/api-events';

describe('summarizeOrder', () => {
  it('counts lines and units and keeps the total in minor units, without personal data', () => {
    const envelope = requireEventType(
      parseEventDetail(sampleJson<{ detail: unknown }>('eventbridge/order-created.json').detail),
      'order.created',
    );
    const summary = summarizeOrder(envelope.data);
    expect(summary).toEqual({
      order_id: 'ord-5b2d9c1e-7a3f-8e4d-b6c2-1f0e9d8c7b6a',
      currency: 'EUR',
      channel: 'api',
      line_count: 2,
      unit_count: 3,
      total_amount: 6100,
    });
    expect(JSON.stringify(summary)).not.toContain('@');
  });

  it('summarizes an order.created 1.0 event, upcast to 1.1 with the API as its channel', () => {
    const envelope = requireEventType(
      parseEventDetail(sampleJson<{ detail: unknown }>('eventbridge/order-created-1.0.json').detail),
      'order.created',
    );
    expect(summarizeOrder(envelope.data)).toMatchObject({ channel: 'api', total_amount: 6100 });
  });
});

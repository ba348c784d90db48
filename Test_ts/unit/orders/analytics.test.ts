import { parseEventDetail } from '../../../utils/events/catalog';
import { summarizeOrder } from '../../../utils/orders/analytics';
import { sampleJson } from '../../support/api-events';

describe('summarizeOrder', () => {
  it('counts lines and units and keeps the total in minor units, without personal data', () => {
    const envelope = parseEventDetail(
      sampleJson<{ detail: unknown }>('eventbridge/order-created.json').detail,
    );
    const summary = summarizeOrder(envelope.data);
    expect(summary).toEqual({
      order_id: 'ord-5b2d9c1e-7a3f-8e4d-b6c2-1f0e9d8c7b6a',
      currency: 'EUR',
      line_count: 2,
      unit_count: 3,
      total_amount: 6100,
    });
    expect(JSON.stringify(summary)).not.toContain('@');
  });
});

import { parseEventDetail, requireEventType } from '../../../utils/events/catalog';
import { measurementEventFor } from '../../../utils/orders/analytics-event';
import { sampleJson } from '../../support/api-events';

const orderOf = (file: string) =>
  requireEventType(parseEventDetail(sampleJson<{ detail: unknown }>(file).detail), 'order.created').data;

describe('measurementEventFor', () => {
  it('maps an order through the order.to.analytics spec into a GA4-style purchase event', () => {
    expect(measurementEventFor(orderOf('eventbridge/order-created.json'))).toEqual({
      client_id: 'cus-1001',
      user_id: 'cus-1001',
      timestamp_micros: expect.any(Number),
      non_personalized_ads: true,
      events: [
        {
          name: 'purchase',
          params: {
            transaction_id: 'ord-5b2d9c1e-7a3f-8e4d-b6c2-1f0e9d8c7b6a',
            currency: 'EUR',
            value: 61,
            affiliation: 'API',
            items: [
              {
                item_id: 'BOOK-42',
                item_name: 'The Integration Handbook',
                price: 24.5,
                quantity: 2,
                index: 0,
              },
              { item_id: 'MUG-7', price: 12, quantity: 1, index: 1 },
            ],
          },
        },
      ],
    });
  });

  it('maps an order.created 1.0 event once it is upcast', () => {
    expect(measurementEventFor(orderOf('eventbridge/order-created-1.0.json'))).toMatchObject({
      events: [{ params: { affiliation: 'API', value: 61 } }],
    });
  });
});

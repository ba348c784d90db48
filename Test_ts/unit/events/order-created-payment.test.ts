import { parseEventDetail, requireEventType, validateEventData } from '../../../utils/events/catalog';
import { sampleJson } from '../../support/api-events';

const detailOf = (file: string) => sampleJson<{ detail: Record<string, unknown> }>(file).detail;

// order.created 1.2 carries the payment source the order saga charges (a card token, never card data).
describe('order.created 1.2', () => {
  it('reads a 1.2 event with its payment source', () => {
    const detail = detailOf('eventbridge/order-created.json');
    const envelope = requireEventType(parseEventDetail(detail), 'order.created');
    expect(envelope.version).toBe('1.2');
    expect(envelope.data.payment).toEqual({ source: 'tok_visa' });
  });

  it('upcasts a 1.1 event, which has no payment source, to 1.2 without inventing one', () => {
    const detail = detailOf('eventbridge/order-created.json');
    const { payment: _payment, ...data } = detail.data as Record<string, unknown>;
    const envelope = requireEventType(parseEventDetail({ ...detail, version: '1.1', data }), 'order.created');
    expect(envelope.version).toBe('1.2');
    expect(envelope.data.payment).toBeUndefined();
  });

  it('refuses a payment source that is not a token', () => {
    const detail = detailOf('eventbridge/order-created.json');
    const data = { ...(detail.data as Record<string, unknown>), payment: { source: '4242 4242 4242 4242' } };
    expect(() => validateEventData('order.created', '1.2', data)).toThrow(/payment\.source/);
  });
});

import { parseQueuedEvent } from '../../../utils/events/queued-event';
import { InvalidEventError } from '../../../utils/messaging/errors';
import { sampleJson } from '../../support/api-events';

const event = sampleJson<Record<string, unknown>>('eventbridge/order-created.json');

describe('parseQueuedEvent', () => {
  it('reads the envelope from an EventBridge event delivered to SQS', () => {
    const envelope = parseQueuedEvent(JSON.stringify(event));
    expect(envelope.type).toBe('order.created');
    expect(envelope.id).toBe('evt-3f0c7a52-5d0e-8b1c-9a4e-2b6f1d0c9e71');
  });

  it('rejects a body that is not JSON as an invalid event', () => {
    expect(() => parseQueuedEvent('{oops')).toThrow(InvalidEventError);
    expect(() => parseQueuedEvent('{oops')).toThrow(/Message body is not valid JSON/);
  });

  it('rejects JSON that is not an EventBridge event', () => {
    expect(() => parseQueuedEvent('{"hello":"world"}')).toThrow(/Message is not an EventBridge event/);
  });

  it('rejects an event whose detail-type disagrees with its envelope type', () => {
    const body = JSON.stringify({ ...event, 'detail-type': 'order.cancelled' });
    expect(() => parseQueuedEvent(body)).toThrow(
      /detail-type "order.cancelled" does not match envelope type/,
    );
  });
});

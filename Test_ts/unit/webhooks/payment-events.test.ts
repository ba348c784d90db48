import { validateEventData } from '../../../utils/events/catalog';
import { PAYMENTS_SOURCE, readPaymentEvents } from '../../../utils/webhooks/payment';
import { sampleJson } from '../../support/api-events';
import { caughtInvalidBody } from '../../support/webhooks';

type StripeEvent = Record<string, unknown> & { data: { object: Record<string, unknown> } };
const sample = (name: string) => sampleJson<StripeEvent>(`webhooks/${name}.json`);
const NOW = new Date('2025-01-15T10:00:05.000Z');
const now = () => NOW;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function only(body: unknown) {
  const events = readPaymentEvents(body, now);
  expect(events).toHaveLength(1);
  return events[0] as (typeof events)[number];
}

describe('readPaymentEvents', () => {
  it('turns charge.succeeded into payment.succeeded 1.0, keeping the correlation id the charge carries', () => {
    const received = only(sample('stripe-charge-succeeded'));
    expect(received).toMatchObject({
      providerEventId: 'evt_1QhZkS2eZvKYlo2CJ8u9fA3b',
      providerType: 'charge.succeeded',
    });
    expect(received.envelope).toEqual({
      id: expect.stringMatching(/^evt-/),
      type: 'payment.succeeded',
      version: '1.0',
      timestamp: '2025-01-15T10:00:05.000Z',
      source: PAYMENTS_SOURCE,
      data: {
        charge_id: 'ch_3QhZkR2eZvKYlo2C0s1Lw8xY',
        order_id: 'ord-7a1c9e52-3b4d-8f60-a1b2-c3d4e5f60718',
        amount: 6100,
        currency: 'EUR',
        provider_event_id: 'evt_1QhZkS2eZvKYlo2CJ8u9fA3b',
        occurred_at: '2025-01-15T10:00:04.000Z',
      },
      metadata: {
        correlation_id: 'c0ffee00-0000-4000-8000-000000000001',
        causation_id: 'evt_1QhZkS2eZvKYlo2CJ8u9fA3b',
      },
    });
    expect(PAYMENTS_SOURCE).toBe('junction.payments');
  });

  it('gives a redelivered provider event the same Junction event id', () => {
    const first = only(sample('stripe-charge-succeeded')).envelope;
    const again = only(sample('stripe-charge-succeeded')).envelope;
    expect(again?.id).toBe(first?.id);
    const other = only({ ...sample('stripe-charge-succeeded'), id: 'evt_other' }).envelope;
    expect(other?.id).not.toBe(first?.id);
  });

  it('turns charge.failed into payment.failed with the decline code and message', () => {
    const envelope = only(sample('stripe-charge-failed')).envelope;
    expect(envelope).toMatchObject({
      type: 'payment.failed',
      data: {
        charge_id: 'ch_3QhZlT2eZvKYlo2C1a2Bc3De',
        amount: 2500,
        currency: 'EUR',
        failure_code: 'card_declined',
        failure_message: 'Your card has insufficient funds.',
      },
    });
  });

  it('derives a correlation id from the provider event when the charge carries none, the same each time', () => {
    const envelope = only(sample('stripe-charge-failed')).envelope;
    expect(envelope?.metadata.correlation_id).toMatch(UUID);
    expect(only(sample('stripe-charge-failed')).envelope?.metadata.correlation_id).toBe(
      envelope?.metadata.correlation_id,
    );
    expect(envelope?.metadata.causation_id).toBe('evt_1QhZlU2eZvKYlo2CKx7yZ2Wv');
  });

  it('does not trust an unusable correlation id in the metadata, nor an order id longer than an order id can be', () => {
    const event = sample('stripe-charge-succeeded');
    event.data.object.metadata = { correlation_id: 'not usable!', order_id: 'x'.repeat(129) };
    const envelope = only(event).envelope;
    expect(envelope?.metadata.correlation_id).toMatch(UUID);
    expect(envelope?.data).not.toHaveProperty('order_id');
  });

  it('records a failure without a code as unknown: a failed charge is never dropped', () => {
    const event = sample('stripe-charge-failed');
    event.data.object.failure_code = null;
    event.data.object.failure_message = null;
    const data = only(event).envelope?.data as Record<string, unknown>;
    expect(data.failure_code).toBe('unknown');
    expect(data).not.toHaveProperty('failure_message');
  });

  it('turns charge.refunded into payment.refunded, saying whether all of it was refunded', () => {
    expect(only(sample('stripe-charge-refunded')).envelope).toMatchObject({
      type: 'payment.refunded',
      data: { amount: 6100, amount_refunded: 2000, fully_refunded: false },
    });
    const full = sample('stripe-charge-refunded');
    full.data.object = { ...full.data.object, amount_refunded: 6100, refunded: true };
    expect(only(full).envelope?.data).toMatchObject({ amount_refunded: 6100, fully_refunded: true });
  });

  it('makes envelopes the catalog accepts', () => {
    for (const name of ['stripe-charge-succeeded', 'stripe-charge-failed', 'stripe-charge-refunded']) {
      const envelope = only(sample(name)).envelope;
      expect(() =>
        validateEventData(envelope?.type ?? '', envelope?.version ?? '', envelope?.data),
      ).not.toThrow();
    }
  });

  it('ignores event types Junction does not consume, whatever their object looks like', () => {
    const received = only(sample('stripe-customer-created'));
    expect(received).toEqual({
      providerEventId: 'evt_1QhZjQ2eZvKYlo2CaB3cD4eF',
      providerType: 'customer.created',
    });
  });

  it.each([
    ['a JSON array', [], '(body)'],
    ['an event without id', { ...sample('stripe-charge-succeeded'), id: undefined }, 'id'],
    ['an event that is not an event', { ...sample('stripe-charge-succeeded'), object: 'charge' }, 'object'],
    [
      'an event with a bad creation time',
      { ...sample('stripe-charge-succeeded'), created: 'today' },
      'created',
    ],
  ])('refuses %s, naming the field', (_what, body, field) => {
    const error = caughtInvalidBody(() => readPaymentEvents(body, now));
    expect(error).toMatchObject({ code: 'INVALID_BODY', status: 400 });
    expect(error.details?.map((issue) => issue.field)).toContain(field);
    expect(error.message).toMatch(/^Invalid payment webhook: /);
  });

  it('refuses a consumed event whose charge is incomplete, naming the field', () => {
    const event = sample('stripe-charge-succeeded');
    event.data.object = { ...event.data.object, amount: undefined, currency: 'euro' };
    const error = caughtInvalidBody(() => readPaymentEvents(event, now));
    expect(error.details?.map((issue) => issue.field)).toEqual([
      'data.object.amount',
      'data.object.currency',
    ]);
  });
});

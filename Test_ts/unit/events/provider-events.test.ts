import { latestVersion, parseEventDetail, validateEventData } from '../../../utils/events/catalog';
import { sampleJson } from '../../support/api-events';

// The events Junction publishes from provider webhooks: payment.* and email.*, version 1.0.

type Detail = Record<string, unknown> & { type: string; data: Record<string, unknown> };
const detail = (sample: string) => sampleJson<{ detail: Detail }>(`eventbridge/${sample}`).detail;

describe('payment and email events in the catalog', () => {
  it.each([
    'payment-succeeded.json',
    'payment-failed.json',
    'payment-refunded.json',
    'email-bounced.json',
    'email-dropped.json',
  ])('parses the sample %s as version 1.0, the newest', (sample) => {
    const event = detail(sample);
    const envelope = parseEventDetail(event);
    expect(envelope).toMatchObject({ type: event.type, version: '1.0', data: event.data });
    expect(latestVersion(envelope.type)).toBe('1.0');
  });

  it.each([
    ['payment.succeeded', 'payment-succeeded.json', 'currency', 'eur', /data\.currency/],
    ['payment.succeeded', 'payment-succeeded.json', 'amount', 10.5, /data\.amount/],
    ['payment.succeeded', 'payment-succeeded.json', 'charge_id', '', /data\.charge_id/],
    ['payment.failed', 'payment-failed.json', 'failure_code', 7, /data\.failure_code/],
    ['payment.refunded', 'payment-refunded.json', 'amount_refunded', -1, /data\.amount_refunded/],
    ['payment.refunded', 'payment-refunded.json', 'fully_refunded', 'yes', /data\.fully_refunded/],
    ['email.bounced', 'email-bounced.json', 'email', 'not-an-address', /data\.email/],
    ['email.bounced', 'email-bounced.json', 'bounce_type', 'soft', /data\.bounce_type/],
    ['email.dropped', 'email-dropped.json', 'occurred_at', 'yesterday', /data\.occurred_at/],
  ])('%s refuses a bad %s', (type, sample, field, value, message) => {
    const data = { ...detail(sample).data, [field]: value };
    expect(() => validateEventData(type, '1.0', data)).toThrow(message);
  });

  it('accepts a payment without an order id, and a bounce without status or bounce type', () => {
    const { order_id: _order, ...payment } = detail('payment-succeeded.json').data;
    expect(() => validateEventData('payment.succeeded', '1.0', payment)).not.toThrow();
    const { status: _status, bounce_type: _type, ...bounce } = detail('email-bounced.json').data;
    expect(() => validateEventData('email.bounced', '1.0', bounce)).not.toThrow();
  });

  it('requires the fields of a failure and of a refund', () => {
    const { failure_code: _code, ...failed } = detail('payment-failed.json').data;
    expect(() => validateEventData('payment.failed', '1.0', failed)).toThrow(/data\.failure_code/);
    const { amount_refunded: _amount, ...refunded } = detail('payment-refunded.json').data;
    expect(() => validateEventData('payment.refunded', '1.0', refunded)).toThrow(/data\.amount_refunded/);
  });
});

import { validateEventData } from '../../../utils/events/catalog';
import { EMAIL_SOURCE, readEmailEvents } from '../../../utils/webhooks/email';
import { sampleJson } from '../../support/api-events';
import { caughtInvalidBody } from '../../support/webhooks';

type SendGridEvent = Record<string, unknown>;
const events = () => sampleJson<SendGridEvent[]>('webhooks/sendgrid-events.json');
const NOW = new Date('2025-01-15T10:03:10.000Z');
const now = () => NOW;

describe('readEmailEvents', () => {
  it('reads every event of a batch, in order', () => {
    expect(
      readEmailEvents(events(), now).map(({ providerEventId, providerType }) => [
        providerEventId,
        providerType,
      ]),
    ).toEqual([
      ['2pWbq0QkT8mH9sXjLr4aYw', 'bounce'],
      ['3qXcr1RlU9nI0tYkMs5bZx', 'dropped'],
      ['4rYds2SmV0oJ1uZlNt6cAy', 'delivered'],
    ]);
  });

  it('turns a bounce into email.bounced 1.0, with the custom arguments Junction sent the mail with', () => {
    const [bounce] = readEmailEvents(events(), now);
    expect(bounce?.envelope).toEqual({
      id: expect.stringMatching(/^evt-/),
      type: 'email.bounced',
      version: '1.0',
      timestamp: '2025-01-15T10:03:10.000Z',
      source: EMAIL_SOURCE,
      data: {
        email: 'nobody@bounce.test',
        message_id: 'Xk3fT9qLRb2nV5wYp8cJdA.recvd-sandbox-0.0',
        reason: '550 5.1.1 The email account that you tried to reach does not exist.',
        order_id: 'ord-7a1c9e52-3b4d-8f60-a1b2-c3d4e5f60718',
        status: '5.1.1',
        bounce_type: 'bounce',
        provider_event_id: '2pWbq0QkT8mH9sXjLr4aYw',
        occurred_at: '2025-01-15T10:02:04.000Z',
      },
      metadata: {
        correlation_id: 'c0ffee00-0000-4000-8000-000000000001',
        causation_id: '2pWbq0QkT8mH9sXjLr4aYw',
      },
    });
    expect(EMAIL_SOURCE).toBe('junction.email');
  });

  it('turns a drop into email.dropped 1.0, with a correlation id derived from the provider event', () => {
    const dropped = readEmailEvents(events(), now)[1]?.envelope;
    expect(dropped).toMatchObject({
      type: 'email.dropped',
      data: { email: 'unsubscribed@example.com', reason: 'Unsubscribed Address' },
      metadata: { causation_id: '3qXcr1RlU9nI0tYkMs5bZx' },
    });
    expect(dropped?.data).not.toHaveProperty('order_id');
    expect(dropped?.metadata.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(readEmailEvents(events(), now)[1]?.envelope?.metadata.correlation_id).toBe(
      dropped?.metadata.correlation_id,
    );
  });

  it('ignores event types Junction does not consume (delivered, open, click, …)', () => {
    const delivered = readEmailEvents(events(), now)[2];
    expect(delivered).toEqual({ providerEventId: '4rYds2SmV0oJ1uZlNt6cAy', providerType: 'delivered' });
  });

  it('leaves out a bounce type SendGrid may add later rather than refusing the bounce', () => {
    const [bounce] = events();
    const envelope = readEmailEvents([{ ...bounce, type: 'deferred-ish' }], now)[0]?.envelope;
    expect(envelope?.data).not.toHaveProperty('bounce_type');
  });

  it('makes envelopes the catalog accepts', () => {
    for (const { envelope } of readEmailEvents(events(), now)) {
      if (!envelope) continue;
      expect(() => validateEventData(envelope.type, envelope.version, envelope.data)).not.toThrow();
    }
  });

  it.each([
    ['an object instead of a batch', { event: 'bounce' }, '(body)'],
    ['an empty batch', [], '(body)'],
    ['an event without sg_event_id', [{ ...events()[0], sg_event_id: undefined }], '[0].sg_event_id'],
    ['a bounce without a usable address', [events()[1], { ...events()[0], email: 'nobody' }], '[1].email'],
    ['an event with a bad timestamp', [{ ...events()[2], timestamp: '10:00' }], '[0].timestamp'],
  ])('refuses %s, naming the field', (_what, body, field) => {
    const error = caughtInvalidBody(() => readEmailEvents(body, now));
    expect(error).toMatchObject({ code: 'INVALID_BODY', status: 400 });
    expect(error.details?.map((issue) => issue.field)).toContain(field);
    expect(error.message).toMatch(/^Invalid email webhook: /);
  });
});

import { createEnvelope, EnvelopeSchema, nameBasedUuid } from '../../../utils/events/envelope';

const metadata = { correlation_id: 'corr-1', causation_id: 'req-1', user_id: 'client-a' };

describe('event envelope', () => {
  it('carries id, type, version, timestamp, source, data and metadata', () => {
    const envelope = createEnvelope({
      type: 'order.created',
      version: '1.0',
      source: 'junction.orders',
      data: { order_id: 'ord-1' },
      metadata,
      now: () => new Date('2025-01-15T10:00:00Z'),
    });
    expect(envelope).toEqual({
      id: expect.stringMatching(/^evt-[0-9a-f-]{36}$/),
      type: 'order.created',
      version: '1.0',
      timestamp: '2025-01-15T10:00:00.000Z',
      source: 'junction.orders',
      data: { order_id: 'ord-1' },
      metadata,
    });
    expect(EnvelopeSchema.parse(envelope)).toEqual(envelope);
  });

  it('keeps a given id', () => {
    const envelope = createEnvelope({
      id: 'evt-fixed',
      type: 't.x',
      version: '1.0',
      source: 's',
      data: {},
      metadata,
    });
    expect(envelope.id).toBe('evt-fixed');
  });

  it('rejects an envelope without correlation id', () => {
    const result = EnvelopeSchema.safeParse({
      id: 'evt-1',
      type: 'order.created',
      version: '1.0',
      timestamp: '2025-01-15T10:00:00.000Z',
      source: 'junction.orders',
      data: {},
      metadata: { causation_id: 'x' },
    });
    expect(result.success).toBe(false);
  });

  it('rejects a version that is not major.minor', () => {
    const result = EnvelopeSchema.safeParse({
      ...createEnvelope({ type: 'a.b', version: '1.0', source: 's', data: {}, metadata }),
      version: 'v1',
    });
    expect(result.success).toBe(false);
  });
});

describe('nameBasedUuid', () => {
  it('is stable for a name and differs between names', () => {
    expect(nameBasedUuid('order:client#key-1')).toBe(nameBasedUuid('order:client#key-1'));
    expect(nameBasedUuid('order:client#key-1')).not.toBe(nameBasedUuid('order:client#key-2'));
  });

  it('is an RFC 9562 version 8 UUID', () => {
    expect(nameBasedUuid('x')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

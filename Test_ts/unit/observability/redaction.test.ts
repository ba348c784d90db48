import { redactingReplacer } from '../../../utils/observability/redaction';

const serialize = (value: unknown) => JSON.parse(JSON.stringify(value, redactingReplacer));

describe('redactingReplacer', () => {
  it('masks sensitive keys at any depth, whatever their case or separator', () => {
    const logged = serialize({
      order: { customer: { id: 'cus-1', email: 'ada@example.com' } },
      headers: { Authorization: 'Bearer abc', 'X-Api-Key': 'k-123', 'Idempotency-Key': 'key-0001' },
      client_secret: 's3cr3t',
      cardNumber: '4242424242424242',
    });
    expect(logged.order.customer).toEqual({ id: 'cus-1', email: '[REDACTED]' });
    expect(logged.headers).toEqual({
      Authorization: '[REDACTED]',
      'X-Api-Key': '[REDACTED]',
      'Idempotency-Key': 'key-0001',
    });
    expect(logged.client_secret).toBe('[REDACTED]');
    expect(logged.cardNumber).toBe('[REDACTED]');
  });

  it('masks card numbers and e-mail addresses inside free text', () => {
    const logged = serialize({ message: 'charge 4242 4242 4242 4242 for ada@example.com failed' });
    expect(logged.message).toBe('charge [REDACTED_PAN] for [REDACTED_EMAIL] failed');
  });

  it('leaves digit runs that are not card numbers alone', () => {
    const logged = serialize({ message: 'order 1234567890123 total 6100' });
    expect(logged.message).toBe('order 1234567890123 total 6100');
  });

  it('masks bearer tokens in free text', () => {
    expect(serialize({ message: 'got Bearer eyJhbGciOi.abc.def' }).message).toBe('got Bearer [REDACTED]');
  });
});

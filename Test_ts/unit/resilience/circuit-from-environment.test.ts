import { circuitBreakerFor } from '../../../utils/resilience/circuit-from-environment';

describe('circuitBreakerFor', () => {
  it('needs the table name', () => {
    expect(() => circuitBreakerFor('payment', {})).toThrow('CIRCUIT_TABLE_NAME');
  });

  it('refuses a window that is not a positive number', () => {
    expect(() =>
      circuitBreakerFor('payment', { CIRCUIT_TABLE_NAME: 't', CIRCUIT_WINDOW_SECONDS: 'soon' }),
    ).toThrow('CIRCUIT_WINDOW_SECONDS must be a positive number');
  });

  it('builds the breaker of the provider over the table', () => {
    expect(circuitBreakerFor('payment', { CIRCUIT_TABLE_NAME: 'circuits' })).toMatchObject({
      options: expect.objectContaining({
        tableName: 'circuits',
        provider: 'payment',
        failureThreshold: 5,
        windowMs: 60_000,
        openMs: 30_000,
      }),
    });
  });
});

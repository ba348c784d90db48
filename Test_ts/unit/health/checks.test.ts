import { checkComponents } from '../../../utils/health/checks';

describe('checkComponents', () => {
  it('reports every component up, with its latency and details', async () => {
    const report = await checkComponents(
      {
        bus: async () => undefined,
        queue: async () => ({ depth: 3 }),
      },
      1000,
    );
    expect(report.healthy).toBe(true);
    expect(report.components.bus).toEqual({ status: 'up', latency_ms: expect.any(Number) });
    expect(report.components.queue).toEqual({ status: 'up', latency_ms: expect.any(Number), depth: 3 });
  });

  it('reports a failing component down by error name only, and the whole unhealthy', async () => {
    const report = await checkComponents(
      {
        bus: async () => undefined,
        table: async () => {
          throw Object.assign(new Error('Requested resource not found: arn:aws:dynamodb:…'), {
            name: 'ResourceNotFoundException',
          });
        },
      },
      1000,
    );
    expect(report.healthy).toBe(false);
    expect(report.components.table).toEqual({
      status: 'down',
      latency_ms: expect.any(Number),
      error: 'ResourceNotFoundException',
    });
    expect(report.components.bus?.status).toBe('up');
  });

  it('reports a component that does not answer in time as down, without waiting for it', async () => {
    const started = Date.now();
    const report = await checkComponents(
      {
        slow: (signal) =>
          new Promise((_, reject) => {
            signal.addEventListener('abort', () => reject(signal.reason));
          }),
        hung: () => new Promise(() => undefined),
      },
      50,
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(report.components.slow).toMatchObject({ status: 'down', error: 'Timeout' });
    expect(report.components.hung).toMatchObject({ status: 'down', error: 'Timeout' });
  });
});

import { ProviderError, ProviderTimeoutError } from '../../../utils/http/client-errors';
import { CircuitOpenError } from '../../../utils/resilience/circuit-breaker';
import { captureEmf } from '../../support/emf';

describe('recordConnectorCall', () => {
  beforeAll(() => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  });

  async function emitted(calls: [number, unknown?][]) {
    const { recordConnectorCall } = await import('../../../utils/observability/connector-metrics');
    const emf = captureEmf();
    try {
      for (const [latency, error] of calls) recordConnectorCall('payment', 'create_charge', latency, error);
    } finally {
      emf.restore();
    }
    return emf;
  }

  it('emits the latency of every call by provider and operation', async () => {
    const emf = await emitted([[120], [80.5, new ProviderError('stripe-payment', 503)]]);
    expect(emf.metricValues('Connector_Latency')).toEqual([120, 80.5]);
    expect(emf.records('Connector_Latency')[0]).toMatchObject({
      provider: 'payment',
      operation: 'create_charge',
    });
  });

  it('counts an error when the provider is unwell or its circuit is open, by provider only', async () => {
    const emf = await emitted([
      [5, new ProviderError('stripe-payment', 500)],
      [10_000, new ProviderTimeoutError('stripe-payment', 10_000, { attempts: 4 })],
      [1, new CircuitOpenError('payment', 30_000)],
    ]);
    expect(emf.metricValues('Connector_Errors_Total')).toEqual([1, 1, 1]);
    const dimensions = emf.records('Connector_Errors_Total')[0]?._aws as {
      CloudWatchMetrics: { Dimensions: string[][] }[];
    };
    expect(dimensions.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'provider']]);
  });

  it('counts no error when the provider answered well, even with bad news (a declined card)', async () => {
    const emf = await emitted([[30, new ProviderError('stripe-payment', 402)], [20]]);
    expect(emf.metricValues('Connector_Errors_Total')).toEqual([]);
  });
});

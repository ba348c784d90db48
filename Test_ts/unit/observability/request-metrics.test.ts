import { captureEmf } from '../../support/emf';

describe('recordRequest', () => {
  beforeAll(() => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  });

  it('emits requests by endpoint and status, latency by endpoint, and errors by type', async () => {
    const { recordRequest } = await import('../../../utils/observability/request-metrics');
    const emf = captureEmf();
    try {
      recordRequest('POST /v1/orders', 400, 12.5, 'VALIDATION_FAILED');
      recordRequest('POST /v1/orders', 202, 30);
    } finally {
      emf.restore();
    }
    expect(emf.metricValues('Integration_Requests_Total')).toEqual([1, 1]);
    expect(emf.metricValues('Integration_Latency')).toEqual([12.5, 30]);
    expect(emf.metricValues('Integration_Errors_Total')).toEqual([1]);
    const [errors] = emf.records('Integration_Errors_Total');
    expect(errors).toMatchObject({ endpoint: 'POST /v1/orders', error_type: 'VALIDATION_FAILED' });
    const dimensions = emf.records('Integration_Requests_Total').map((record) => record.status);
    expect(dimensions).toEqual(['400', '202']);
  });
});

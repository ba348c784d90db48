import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { metrics } from './powertools';

/**
 * The request metrics named in DESIGN.md, each with its own low-cardinality dimensions
 * (ids never become dimensions).
 */
export function recordRequest(
  endpoint: string,
  statusCode: number,
  latencyMs: number,
  errorType?: string,
): void {
  const requests = metrics.singleMetric();
  requests.addDimensions({ endpoint, status: String(statusCode) });
  requests.addMetric('Integration_Requests_Total', MetricUnit.Count, 1);

  const latency = metrics.singleMetric();
  latency.addDimension('endpoint', endpoint);
  latency.addMetric('Integration_Latency', MetricUnit.Milliseconds, latencyMs);

  if (errorType) {
    const errors = metrics.singleMetric();
    errors.addDimensions({ endpoint, error_type: errorType });
    errors.addMetric('Integration_Errors_Total', MetricUnit.Count, 1);
  }
}

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRIC_NAMES } from './metric-names';
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
  requests.addMetric(METRIC_NAMES.requests, MetricUnit.Count, 1);

  const latency = metrics.singleMetric();
  latency.addDimension('endpoint', endpoint);
  latency.addMetric(METRIC_NAMES.latency, MetricUnit.Milliseconds, latencyMs);

  if (errorType) {
    const errors = metrics.singleMetric();
    errors.addDimensions({ endpoint, error_type: errorType });
    errors.addMetric(METRIC_NAMES.errors, MetricUnit.Count, 1);
  }
}

/** The depth of a queue as just read, by its name (DESIGN.md's `Message_Queue_Depth`). */
export function recordQueueDepth(queueName: string, depth: number): void {
  const metric = metrics.singleMetric();
  metric.addDimension('queue_name', queueName);
  metric.addMetric(METRIC_NAMES.queueDepth, MetricUnit.Count, depth);
}

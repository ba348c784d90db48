import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { CircuitOpenError } from '../resilience/circuit-breaker';
import { isProviderFailure } from '../resilience/circuit-failure';
import { METRIC_NAMES } from './metric-names';
import { metrics } from './powertools';

/**
 * Records one connector call: its latency by provider (the contract id, as the circuit names it),
 * with the operation as a property of the record (not a dimension: one alarm per provider), and
 * an error when the provider is unwell (what opens its circuit) or the circuit refused the call.
 * A provider's well-formed bad news (a declined card) is not an error of the connector. Errors
 * carry the provider alone, so one alarm per provider watches them all.
 */
export function recordConnectorCall(
  provider: string,
  operation: string,
  latencyMs: number,
  error?: unknown,
): void {
  const latency = metrics.singleMetric();
  latency.addDimension('provider', provider);
  latency.addMetadata('operation', operation);
  latency.addMetric(METRIC_NAMES.connectorLatency, MetricUnit.Milliseconds, latencyMs);

  if (error !== undefined && (error instanceof CircuitOpenError || isProviderFailure(error))) {
    const errors = metrics.singleMetric();
    errors.addDimension('provider', provider);
    errors.addMetric(METRIC_NAMES.connectorErrors, MetricUnit.Count, 1);
  }
}

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRIC_NAMES } from './metric-names';
import { metrics } from './powertools';

/**
 * Counts one event put on the bus, or one that failed to be. Neither carries the service
 * dimension: the dashboard shows events by type whoever put them, and one alarm watches every
 * failed put. The type of a failed event is a property of the record.
 */
export function recordEventPut(eventType: string, succeeded: boolean): void {
  const metric = metrics.singleMetric();
  metric.clearDefaultDimensions();
  if (succeeded) {
    metric.addDimension('event_type', eventType);
    metric.addMetric(METRIC_NAMES.eventsPut, MetricUnit.Count, 1);
  } else {
    metric.addMetadata('event_type', eventType);
    metric.addMetric(METRIC_NAMES.eventsPutFailed, MetricUnit.Count, 1);
  }
}

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRIC_NAMES } from './metric-names';
import { metrics } from './powertools';

/** How a saga execution ended: `compensated` when it failed after its compensations undid work. */
export type SagaOutcome = 'completed' | 'failed' | 'compensated';

/** Counts one saga outcome by saga name and outcome (never by id). */
export function recordSagaOutcome(saga: string, outcome: SagaOutcome): void {
  const outcomes = metrics.singleMetric();
  outcomes.addDimensions({ saga, outcome });
  outcomes.addMetric(METRIC_NAMES.sagaOutcomes, MetricUnit.Count, 1);
}

import { Duration } from 'aws-cdk-lib';
import { GraphWidget, type IWidget, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { METRIC_NAMES } from '../../utils/observability/metric-names';
import type { DeadLetterQueue } from '../messaging/dead-letter-queue';
import type { DurableQueue } from '../messaging/durable-queue';
import { metricSearch } from './flow-widgets';

/** Dashboard widgets for events, sagas, connectors and every queue (see flow-widgets.ts for the rest). */

const PERIOD = Duration.minutes(1);

export function eventWidgets(namespace: string): IWidget[] {
  return [
    new GraphWidget({
      title: 'Events put, by type',
      left: [metricSearch(`{${namespace},event_type} MetricName="${METRIC_NAMES.eventsPut}"`, 'Sum')],
      width: 12,
    }),
    new GraphWidget({
      title: 'Events that failed to be put',
      left: [
        metricSearch(`{${namespace}} MetricName="${METRIC_NAMES.eventsPutFailed}"`, 'Sum', 'failed puts'),
      ],
      width: 12,
    }),
  ];
}

export function sagaWidgets(namespace: string, sagas: Readonly<Record<string, IStateMachine>>): IWidget[] {
  return [
    new GraphWidget({
      title: 'Saga outcomes',
      left: [
        metricSearch(`{${namespace},outcome,saga,service} MetricName="${METRIC_NAMES.sagaOutcomes}"`, 'Sum'),
      ],
      width: 12,
    }),
    new GraphWidget({
      title: 'Saga executions',
      left: Object.entries(sagas).flatMap(([name, machine]) => [
        machine.metricStarted({ period: PERIOD, label: `${name} started` }),
        machine.metricSucceeded({ period: PERIOD, label: `${name} succeeded` }),
        machine.metricFailed({ period: PERIOD, label: `${name} failed` }),
        machine.metricTimedOut({ period: PERIOD, label: `${name} timed out` }),
      ]),
      width: 12,
    }),
  ];
}

export function connectorWidgets(namespace: string): IWidget[] {
  const latency = (statistic: string) =>
    metricSearch(`{${namespace},provider,service} MetricName="${METRIC_NAMES.connectorLatency}"`, statistic);
  return [
    new GraphWidget({
      title: 'Connector latency p50 / p95 (ms)',
      left: [latency(Stats.p(50))],
      right: [latency(Stats.p(95))],
      width: 8,
    }),
    new GraphWidget({
      title: 'Connector errors',
      left: [
        metricSearch(`{${namespace},provider,service} MetricName="${METRIC_NAMES.connectorErrors}"`, 'Sum'),
      ],
      width: 8,
    }),
    new GraphWidget({
      title: 'Circuit state changes',
      left: [
        metricSearch(
          `{${namespace},provider,service,to_state} MetricName="${METRIC_NAMES.circuitStateChanges}"`,
          'Sum',
        ),
      ],
      width: 8,
    }),
  ];
}

/** Depth and age of the oldest message of every queue, and the depth of every dead-letter queue. */
export function allQueueWidgets(
  queues: Readonly<Record<string, DurableQueue>>,
  deadLetterQueues: readonly DeadLetterQueue[],
): IWidget[] {
  const entries = Object.entries(queues);
  return [
    new GraphWidget({
      title: 'Queue depth',
      left: entries.map(([name, durable]) =>
        durable.queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, label: name }),
      ),
      width: 8,
    }),
    new GraphWidget({
      title: 'Age of oldest message (s)',
      left: entries.map(([name, durable]) =>
        durable.queue.metricApproximateAgeOfOldestMessage({
          period: PERIOD,
          statistic: Stats.MAXIMUM,
          label: name,
        }),
      ),
      width: 8,
    }),
    new GraphWidget({
      title: 'Dead-letter queue depth',
      left: deadLetterQueues.map((dlq) =>
        dlq.queue.metricApproximateNumberOfMessagesVisible({
          period: PERIOD,
          statistic: Stats.MAXIMUM,
          label: dlq.node.scope?.node.id ?? dlq.node.id,
        }),
      ),
      width: 8,
    }),
  ];
}

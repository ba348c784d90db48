import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { GraphWidget, type IWidget, MathExpression, Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import type { IEventBus, IRule } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { METRIC_NAMES } from '../../utils/observability/metric-names';

/** Dashboard widgets for the flows, built from the constructs they watch. */

const PERIOD = Duration.minutes(1);

export function apiWidgets(api: RestApi): IWidget[] {
  return [
    new GraphWidget({
      title: 'API requests and errors',
      left: [api.metricCount({ period: PERIOD, label: 'requests' })],
      right: [
        api.metricClientError({ period: PERIOD, label: '4xx' }),
        api.metricServerError({ period: PERIOD, label: '5xx' }),
      ],
      width: 12,
    }),
    new GraphWidget({
      title: 'API latency',
      left: [Stats.p(50), Stats.p(95), Stats.p(99)].map((statistic) =>
        api.metricLatency({ period: PERIOD, statistic, label: statistic }),
      ),
      width: 12,
    }),
  ];
}

/** Every series of a metric whose dimensions the SEARCH expression names, one line each. */
export const metricSearch = (expression: string, statistic = 'Sum', label = '') =>
  new MathExpression({ expression: `SEARCH('${expression}', '${statistic}', 60)`, label, period: PERIOD });

/** Junction's own EMF metrics, by endpoint (latency percentiles too), status and error type. */
export function integrationMetricWidgets(namespace: string): IWidget[] {
  const latency = `{${namespace},endpoint,service} MetricName="${METRIC_NAMES.latency}"`;
  return [
    new GraphWidget({
      title: 'Latency by endpoint: p50, p95, p99 (ms)',
      left: ['p50', 'p95', 'p99'].map((statistic) => metricSearch(latency, statistic)),
      width: 24,
    }),
    new GraphWidget({
      title: 'Requests by endpoint and status',
      left: [metricSearch(`{${namespace},endpoint,service,status} MetricName="${METRIC_NAMES.requests}"`)],
      width: 8,
    }),
    new GraphWidget({
      title: 'Errors by endpoint and type',
      left: [metricSearch(`{${namespace},endpoint,error_type,service} MetricName="${METRIC_NAMES.errors}"`)],
      width: 8,
    }),
    new GraphWidget({
      title: 'Messages dead-lettered by consumers',
      left: [metricSearch(`{${namespace},error_type,service} MetricName="${METRIC_NAMES.deadLettered}"`)],
      width: 8,
    }),
  ];
}

export function functionWidgets(functions: readonly IFunction[]): IWidget[] {
  const each = (metric: (fn: IFunction) => Metric) => functions.map(metric);
  return [
    new GraphWidget({
      title: 'Function invocations and errors',
      left: each((fn) => fn.metricInvocations({ period: PERIOD, label: `${fn.node.id} invocations` })),
      right: each((fn) => fn.metricErrors({ period: PERIOD, label: `${fn.node.id} errors` })),
      width: 8,
    }),
    new GraphWidget({
      title: 'Function duration p95',
      left: each((fn) => fn.metricDuration({ period: PERIOD, statistic: Stats.p(95), label: fn.node.id })),
      width: 8,
    }),
    new GraphWidget({
      title: 'Function throttles and concurrency',
      left: each((fn) => fn.metricThrottles({ period: PERIOD, label: `${fn.node.id} throttles` })),
      right: each((fn) =>
        fn.metric('ConcurrentExecutions', { period: PERIOD, statistic: Stats.MAXIMUM, label: fn.node.id }),
      ),
      width: 8,
    }),
  ];
}

export function ruleWidgets(bus: IEventBus, rules: readonly IRule[]): IWidget[] {
  const ruleMetric = (rule: IRule, metricName: string) =>
    new Metric({
      namespace: 'AWS/Events',
      metricName,
      dimensionsMap: { EventBusName: bus.eventBusName, RuleName: rule.ruleName },
      statistic: Stats.SUM,
      period: PERIOD,
      label: `${rule.node.scope?.node.id ?? rule.node.id} ${metricName}`,
    });
  return [
    new GraphWidget({
      title: 'Routes: matched and delivered events',
      left: rules.flatMap((rule) => [ruleMetric(rule, 'MatchedEvents'), ruleMetric(rule, 'Invocations')]),
      width: 12,
    }),
    new GraphWidget({
      title: 'Routes: failed deliveries',
      left: rules.map((rule) => ruleMetric(rule, 'FailedInvocations')),
      width: 12,
    }),
  ];
}

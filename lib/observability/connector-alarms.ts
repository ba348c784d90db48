import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { IntegrationContract } from '../../utils/contracts/contract';
import { METRIC_NAMES } from '../../utils/observability/metric-names';
import { METRICS_NAMESPACE } from '../compute/integration-function';
import { pascalCase } from './construct-ids';
import { runbookLink } from './runbook';

/** A service (Powertools service name) whose functions call a provider through its contract. */
export interface ConnectorUse {
  readonly contract: IntegrationContract;
  readonly serviceName: string;
}

export interface ConnectorAlarmsProps {
  readonly uses: readonly ConnectorUse[];
  /** Failed calls (after retries, or refused by the open circuit) in 5 minutes that page. @default 5 */
  readonly errorThreshold?: number;
  /** Where the runbook lives; each alarm links its own section. @default docs/runbook.md in the repository */
  readonly runbookUrl?: string;
  /** @default Junction */
  readonly namespace?: string;
}

export interface ProviderAlarms {
  readonly errors: Alarm;
  readonly circuitOpen: Alarm;
  /** One per service: a percentile cannot be summed across services. */
  readonly latency: readonly Alarm[];
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * The alarms of every connector, from its contract: errors summed over the services using it,
 * p95 latency per service against the contract's timeout of one attempt, and a circuit that
 * stays open. Metrics carry the Powertools `service` dimension, so each alarm names the services.
 */
export class ConnectorAlarms extends Construct {
  readonly byProvider: Readonly<Record<string, ProviderAlarms>>;

  constructor(scope: Construct, id: string, props: ConnectorAlarmsProps) {
    super(scope, id);
    if (props.uses.length === 0) throw new Error('ConnectorAlarms needs at least one connector');
    const namespace = props.namespace ?? METRICS_NAMESPACE;
    const runbook = (section: string) => runbookLink(section, props.runbookUrl);
    const byProvider: Record<string, ProviderAlarms> = {};
    for (const [provider, { contract, services }] of groupByProvider(props.uses)) {
      const metric = (metricName: string, service: string, dimensions: Record<string, string> = {}) =>
        new Metric({
          namespace,
          metricName,
          dimensionsMap: { service, provider, ...dimensions },
          statistic: 'Sum',
          period: FIVE_MINUTES,
        });
      const prefix = pascalCase(provider);
      const errors = new Alarm(this, `${prefix}Errors`, {
        alarmDescription: `${contract.name}: calls failed after their retries, or were refused by the open circuit. ${runbook('connector-errors')}`,
        metric: sumOf(services.map((service) => metric(METRIC_NAMES.connectorErrors, service))),
        threshold: props.errorThreshold ?? 5,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      // An open circuit is re-opened by each failed probe: openings in two periods in a row mean
      // the provider has been down for more than five minutes.
      const circuitOpen = new Alarm(this, `${prefix}CircuitOpen`, {
        alarmDescription: `${contract.name}: circuit open for more than 5 minutes; orders wait. ${runbook('circuit-open')}`,
        metric: sumOf(
          services.map((service) => metric(METRIC_NAMES.circuitStateChanges, service, { to_state: 'open' })),
        ),
        threshold: 1,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      const latency = services.map(
        (service) =>
          new Alarm(this, `${prefix}Latency${pascalCase(service)}`, {
            alarmDescription: `${contract.name} from ${service}: p95 call time beyond one attempt's timeout (${contract.errorHandling.timeoutMs} ms): calls are timing out and retrying. ${runbook('connector-latency')}`,
            metric: metric(METRIC_NAMES.connectorLatency, service).with({ statistic: 'p95' }),
            threshold: contract.errorHandling.timeoutMs,
            evaluationPeriods: 1,
            comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          }),
      );
      byProvider[provider] = { errors, circuitOpen, latency };
    }
    this.byProvider = byProvider;
  }
}

function groupByProvider(
  uses: readonly ConnectorUse[],
): Map<string, { contract: IntegrationContract; services: string[] }> {
  const groups = new Map<string, { contract: IntegrationContract; services: string[] }>();
  for (const { contract, serviceName } of uses) {
    const group = groups.get(contract.id) ?? { contract, services: [] };
    if (!group.services.includes(serviceName)) group.services.push(serviceName);
    groups.set(contract.id, group);
  }
  return groups;
}

/** One metric as it is; several as a sum in which a service without data counts as zero. */
function sumOf(metrics: readonly Metric[]): IMetric {
  if (metrics.length === 1 && metrics[0]) return metrics[0];
  const usingMetrics = Object.fromEntries(metrics.map((metric, index) => [`e${index}`, metric]));
  return new MathExpression({
    expression: Object.keys(usingMetrics)
      .map((key) => `FILL(${key}, 0)`)
      .join(' + '),
    usingMetrics,
    period: FIVE_MINUTES,
  });
}

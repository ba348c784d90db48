import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  type AlarmProps,
  AlarmRule,
  ComparisonOperator,
  CompositeAlarm,
  type IAlarm,
  type IAlarmAction,
  MathExpression,
  Metric,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRIC_NAMES } from '../../utils/observability/metric-names';
import { METRICS_NAMESPACE } from '../compute/integration-function';
import { pascalCase } from './construct-ids';
import { runbookLink } from './runbook';

export interface OperationsAlarmsProps {
  readonly api: RestApi;
  /** The state machines whose failed executions page, by a short name. */
  readonly sagas: Readonly<Record<string, IStateMachine>>;
  /** Every function: a throttle on any of them pages. */
  readonly functions: readonly IFunction[];
  /** Further alarms that mean "integration degraded" (connector errors and circuits). */
  readonly degradedBy?: readonly IAlarm[];
  /** Notified by the composite alarm (plain alarms get the topic from ObservabilityBaseline). */
  readonly compositeAction?: IAlarmAction;
  /** Failed, timed-out or aborted executions of one saga in 15 minutes that page. @default 5 */
  readonly sagaFailureThreshold?: number;
  /** @default docs/runbook.md */
  readonly runbookUrl?: string;
  /** @default Junction */
  readonly namespace?: string;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * The alarms that page on what matters, besides the queues' (DLQ depth, message age) and the
 * connectors' own: API 5xx rate and p95 latency, saga failures, failed PutEvents, function
 * throttles, and one composite alarm, "integration degraded". Each description links its
 * runbook section.
 */
export class OperationsAlarms extends Construct {
  readonly apiErrorRate: Alarm;
  readonly apiLatency: Alarm;
  readonly sagaFailures: readonly Alarm[];
  readonly putEventsFailed: Alarm;
  readonly throttles: readonly Alarm[];
  readonly integrationDegraded: CompositeAlarm;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    const runbook = (section: string) => runbookLink(section, props.runbookUrl);
    const alarm = (alarmId: string, description: string, options: AlarmOptions) =>
      new Alarm(this, alarmId, {
        alarmDescription: description,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        ...options,
      });

    this.apiErrorRate = alarm(
      'ApiErrorRate',
      `API: more than 0.1 % of requests answered 5xx over 5 minutes. ${runbook('api-errors')}`,
      {
        metric: new MathExpression({
          expression: 'IF(requests > 0, 100 * errors / requests, 0)',
          usingMetrics: {
            errors: props.api.metricServerError({ period: FIVE_MINUTES, statistic: Stats.SUM }),
            requests: props.api.metricCount({ period: FIVE_MINUTES, statistic: Stats.SAMPLE_COUNT }),
          },
          period: FIVE_MINUTES,
          label: '5xx rate (%)',
        }),
        threshold: 0.1,
      },
    );
    this.apiLatency = alarm(
      'ApiLatency',
      `API: p95 latency above 500 ms over 5 minutes. ${runbook('api-latency')}`,
      {
        metric: props.api.metricLatency({ period: FIVE_MINUTES, statistic: Stats.p(95) }),
        threshold: 500,
      },
    );
    this.sagaFailures = Object.entries(props.sagas).map(([name, machine]) =>
      alarm(
        `${pascalCase(name)}SagaFailures`,
        `${name} saga: ${props.sagaFailureThreshold ?? 5} or more executions failed, timed out or were aborted in 15 minutes. ${runbook('saga-failures')}`,
        {
          metric: new MathExpression({
            expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
            usingMetrics: {
              failed: machine.metricFailed({ period: Duration.minutes(15) }),
              timedOut: machine.metricTimedOut({ period: Duration.minutes(15) }),
              aborted: machine.metricAborted({ period: Duration.minutes(15) }),
            },
            period: Duration.minutes(15),
          }),
          threshold: props.sagaFailureThreshold ?? 5,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        },
      ),
    );
    this.putEventsFailed = alarm(
      'PutEventsFailed',
      `Events: a PutEvents call or entry failed; the producer got an error and retries or answers 503. ${runbook('put-events-failed')}`,
      {
        metric: new Metric({
          namespace: props.namespace ?? METRICS_NAMESPACE,
          metricName: METRIC_NAMES.eventsPutFailed,
          statistic: Stats.SUM,
          period: FIVE_MINUTES,
        }),
        threshold: 0,
      },
    );
    this.throttles = props.functions.map((fn) =>
      alarm(
        `${fn.node.id}Throttles`,
        `${fn.node.id}: invocations throttled in the last 5 minutes. ${runbook('function-throttles')}`,
        { metric: fn.metricThrottles({ period: FIVE_MINUTES, statistic: Stats.SUM }), threshold: 0 },
      ),
    );
    this.integrationDegraded = new CompositeAlarm(this, 'IntegrationDegraded', {
      alarmDescription: `Integration degraded: API errors or latency, saga failures, failed event puts, or a provider failing. ${runbook('integration-degraded')}`,
      alarmRule: AlarmRule.anyOf(
        this.apiErrorRate,
        this.apiLatency,
        ...this.sagaFailures,
        this.putEventsFailed,
        ...(props.degradedBy ?? []),
      ),
    });
    if (props.compositeAction) {
      this.integrationDegraded.addAlarmAction(props.compositeAction);
      this.integrationDegraded.addOkAction(props.compositeAction);
    }
  }
}

// What each alarm sets; the rest is shared.
type AlarmOptions = Pick<AlarmProps, 'metric' | 'threshold'> &
  Partial<Pick<AlarmProps, 'comparisonOperator'>>;

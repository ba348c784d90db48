import { Match } from 'aws-cdk-lib/assertions';
import { ConnectorAlarms } from '../../lib/observability/connector-alarms';
import { EMAIL_CONTRACT, PAYMENT_CONTRACT } from '../../utils/contracts/bundled';
import { templateOf, testStack } from '../support/stacks';

function alarms() {
  const stack = testStack();
  const construct = new ConnectorAlarms(stack, 'Connectors', {
    uses: [
      { contract: PAYMENT_CONTRACT, serviceName: 'order-saga' },
      { contract: PAYMENT_CONTRACT, serviceName: 'payments' },
      { contract: EMAIL_CONTRACT, serviceName: 'order-saga' },
      { contract: EMAIL_CONTRACT, serviceName: 'order-saga' },
    ],
  });
  return { construct, template: templateOf(stack) };
}

const metricIn = (metricName: string, service: string, extra: Record<string, string>) =>
  Match.objectLike({
    MetricStat: Match.objectLike({
      Metric: {
        Namespace: 'Junction',
        MetricName: metricName,
        // CDK sorts dimensions by name.
        Dimensions: Object.entries({ ...extra, service })
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([Name, Value]) => ({ Name, Value })),
      },
    }),
  });

describe('ConnectorAlarms', () => {
  it('sums the errors of every service using a connector into one alarm per provider', () => {
    const { template } = alarms();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: Match.absent(),
      AlarmDescription: Match.stringLikeRegexp('stripe-payment.*docs/runbook.md#connector-errors'),
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 5,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'FILL(e0, 0) + FILL(e1, 0)', ReturnData: true }),
        metricIn('Connector_Errors_Total', 'order-saga', { provider: 'payment' }),
        metricIn('Connector_Errors_Total', 'payments', { provider: 'payment' }),
      ]),
    });
  });

  it("alarms when a service's p95 connector latency outlasts one attempt's timeout from the contract", () => {
    const { template } = alarms();
    for (const service of ['order-saga', 'payments']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Connector_Latency',
        ExtendedStatistic: 'p95',
        Period: 300,
        Threshold: PAYMENT_CONTRACT.errorHandling.timeoutMs,
        Dimensions: [
          { Name: 'provider', Value: 'payment' },
          { Name: 'service', Value: service },
        ],
        AlarmDescription: Match.stringLikeRegexp('docs/runbook.md#connector-latency'),
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Connector_Latency',
      Threshold: EMAIL_CONTRACT.errorHandling.timeoutMs,
      Dimensions: Match.arrayWith([{ Name: 'provider', Value: 'email' }]),
    });
  });

  it('alarms when a circuit opens (or a probe fails) in two 5-minute periods in a row', () => {
    const { template } = alarms();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('open for more than 5 minutes.*docs/runbook.md#circuit-open'),
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 1,
      Metrics: Match.arrayWith([
        metricIn('Circuit_State_Changes_Total', 'order-saga', { provider: 'payment', to_state: 'open' }),
        metricIn('Circuit_State_Changes_Total', 'payments', { provider: 'payment', to_state: 'open' }),
      ]),
    });
  });

  it('makes three alarms per provider and one latency alarm per service using it, whatever the repeats', () => {
    const { construct, template } = alarms();
    // payment: errors, circuit, latency × 2 services; email: errors, circuit, latency × 1.
    template.resourceCountIs('AWS::CloudWatch::Alarm', 7);
    expect(Object.keys(construct.byProvider).sort()).toEqual(['email', 'payment']);
    expect(construct.byProvider.payment?.latency).toHaveLength(2);
  });

  it('refuses an empty list: a stack without connectors needs no connector alarms', () => {
    expect(() => new ConnectorAlarms(testStack(), 'None', { uses: [] })).toThrow('at least one connector');
  });
});

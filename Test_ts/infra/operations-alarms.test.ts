import { Match } from 'aws-cdk-lib/assertions';
import { MockIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { DefinitionBody, Pass, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { OperationsAlarms } from '../../lib/observability/operations-alarms';
import { templateOf, testStack } from '../support/stacks';

function build() {
  const stack = testStack();
  const api = new RestApi(stack, 'Api');
  api.root.addMethod('GET', new MockIntegration());
  const fn = (id: string) =>
    new LambdaFunction(stack, id, {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async () => {};'),
    });
  const machine = new StateMachine(stack, 'Machine', {
    definitionBody: DefinitionBody.fromChainable(new Pass(stack, 'P')),
  });
  const provider = new Alarm(stack, 'ProviderErrors', {
    metric: new Metric({ namespace: 'Junction', metricName: 'Connector_Errors_Total' }),
    threshold: 5,
    evaluationPeriods: 1,
  });
  const topic = new Topic(stack, 'Alarms');
  const alarms = new OperationsAlarms(stack, 'Ops', {
    api,
    sagas: { order: machine },
    functions: [fn('Ingest'), fn('Charge')],
    degradedBy: [provider],
    compositeAction: new SnsAction(topic),
  });
  return { alarms, template: templateOf(stack) };
}

const { template } = build();

describe('OperationsAlarms', () => {
  it('pages when more than 0.1 % of API requests answer 5xx over 5 minutes', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('0.1 %.*docs/runbook.md#api-errors'),
      Threshold: 0.1,
      ComparisonOperator: 'GreaterThanThreshold',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'IF(requests > 0, 100 * errors / requests, 0)' }),
        Match.objectLike({
          Id: 'errors',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: '5XXError' }),
            Period: 300,
            Stat: 'Sum',
          }),
        }),
        Match.objectLike({
          Id: 'requests',
          MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'Count' }), Period: 300 }),
        }),
      ]),
    });
  });

  it('pages when API p95 latency is above 500 ms over 5 minutes', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Latency',
      Namespace: 'AWS/ApiGateway',
      ExtendedStatistic: 'p95',
      Period: 300,
      Threshold: 500,
      AlarmDescription: Match.stringLikeRegexp('#api-latency'),
    });
  });

  it('pages on 5 failed, timed-out or aborted saga executions in 15 minutes', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('^order saga.*#saga-failures'),
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)' }),
        Match.objectLike({
          Id: 'failed',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ Namespace: 'AWS/States', MetricName: 'ExecutionsFailed' }),
            Period: 900,
          }),
        }),
      ]),
    });
  });

  it('pages on any failed PutEvents, from the publishers own metric', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Junction',
      MetricName: 'Events_Put_Failed_Total',
      Dimensions: Match.absent(),
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmDescription: Match.stringLikeRegexp('#put-events-failed'),
    });
  });

  it('pages on a throttle of any function, one alarm per function', () => {
    for (const id of ['Ingest', 'Charge']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Throttles',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp(`^${id}`) } }],
        Threshold: 0,
        AlarmDescription: Match.stringLikeRegexp(`^${id}: .*#function-throttles`),
      });
    }
  });

  it('treats missing data as fine: no traffic pages nobody', () => {
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      if (alarm.Properties.AlarmDescription?.includes('Runbook')) {
        expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
      }
    }
  });

  it('has one composite alarm, "integration degraded", over the API, saga, events and provider alarms, notifying the topic', () => {
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
    const [composite] = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm'));
    const rule = JSON.stringify(composite?.Properties.AlarmRule);
    for (const part of [
      'OpsApiErrorRate',
      'OpsApiLatency',
      'OpsOrderSagaFailures',
      'OpsPutEventsFailed',
      'ProviderErrors',
    ]) {
      expect(rule).toContain(part);
    }
    expect(rule).not.toContain('Throttles');
    expect(JSON.stringify(composite?.Properties.AlarmActions)).toMatch(/"Ref":"Alarms/);
    expect(composite?.Properties.AlarmDescription).toContain('#integration-degraded');
  });
});

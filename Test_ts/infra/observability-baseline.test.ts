import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Alarm, GraphWidget, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { ObservabilityBaseline } from '../../lib/observability/observability-baseline';
import { templateOf, testStack } from '../support/stacks';

function alarm(stack: ReturnType<typeof testStack>, id: string) {
  return new Alarm(stack, id, {
    metric: new Metric({ namespace: 'Test', metricName: id, period: Duration.minutes(1) }),
    threshold: 1,
    evaluationPeriods: 1,
  });
}

describe('ObservabilityBaseline', () => {
  it('has one alarm topic, encrypted with a rotating key and TLS-only', () => {
    const stack = testStack();
    new ObservabilityBaseline(stack, 'Observability');
    const template = templateOf(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ObservabilityAlarmTopicKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets CloudWatch alarms of this account publish to the encrypted topic', () => {
    const stack = testStack();
    new ObservabilityBaseline(stack, 'Observability');
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: Match.arrayWith(['kms:Decrypt', 'kms:GenerateDataKey*']),
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });

  it('makes every alarm in its scope notify the topic, on alarm and on recovery', () => {
    const stack = testStack();
    new ObservabilityBaseline(stack, 'Observability');
    alarm(stack, 'One');
    alarm(stack, 'Two');
    const alarms = templateOf(stack).findResources('AWS::CloudWatch::Alarm');
    expect(Object.keys(alarms)).toHaveLength(2);
    for (const resource of Object.values(alarms)) {
      expect(resource.Properties.AlarmActions).toEqual([
        { Ref: expect.stringMatching(/^ObservabilityAlarmTopic/) },
      ]);
      expect(resource.Properties.OKActions).toEqual([
        { Ref: expect.stringMatching(/^ObservabilityAlarmTopic/) },
      ]);
    }
  });

  it('has a dashboard to which sections can be added', () => {
    const stack = testStack();
    const baseline = new ObservabilityBaseline(stack, 'Observability');
    baseline.addSection('Orders', [
      new GraphWidget({
        title: 'Requests',
        left: [new Metric({ namespace: 'Junction', metricName: 'Integration_Requests_Total' })],
      }),
    ]);
    const template = templateOf(stack);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(body).toContain('Orders');
    expect(body).toContain('Integration_Requests_Total');
  });
});

import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { LogGroupTarget } from '../../lib/messaging/log-group-target';
import { templateOf, testStack } from '../support/stacks';

function ruleToLogGroup() {
  const stack = testStack();
  const rule = new Rule(stack, 'Rule', {
    eventBus: new EventBus(stack, 'Bus'),
    eventPattern: { source: ['x'] },
  });
  rule.addTarget(
    new LogGroupTarget(new LogGroup(stack, 'Logs'), {
      deadLetterQueue: new Queue(stack, 'Dlq'),
      maxEventAge: Duration.hours(1),
      retryAttempts: 3,
    }),
  );
  return templateOf(stack);
}

describe('LogGroupTarget', () => {
  it('targets the log group with a DLQ and a retry policy', () => {
    ruleToLogGroup().hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({
          Arn: {
            'Fn::Join': [
              '',
              Match.arrayWith([
                Match.stringLikeRegexp(':log-group:$'),
                { Ref: Match.stringLikeRegexp('^Logs') },
              ]),
            ],
          },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Dlq'), 'Arn'] } },
          RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 3 },
        }),
      ],
    });
  });

  it('lets only this rule write to the log group and to the DLQ', () => {
    const template = ruleToLogGroup();
    // The document is a Fn::Join around the rule ARN, so it is read as text.
    const logPolicy = JSON.stringify(
      Object.values(template.findResources('AWS::Logs::ResourcePolicy'))[0]?.Properties.PolicyDocument,
    );
    for (const expected of [
      'events.amazonaws.com',
      'delivery.logs.amazonaws.com',
      'logs:PutLogEvents',
      'aws:SourceArn',
    ]) {
      expect(logPolicy).toContain(expected);
    }
    expect(logPolicy).toMatch(/"Fn::GetAtt":\["Rule[0-9A-F]+","Arn"\]/);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: {
              ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('^Rule'), 'Arn'] } },
            },
          }),
        ],
      },
    });
  });

  it('needs no custom resource', () => {
    ruleToLogGroup().resourceCountIs('AWS::Lambda::Function', 0);
  });
});

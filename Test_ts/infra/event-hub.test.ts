import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { EventHub } from '../../lib/messaging/event-hub';
import { templateOf, testStack } from '../support/stacks';

describe('EventHub', () => {
  it('creates a custom bus with no bus policy, so no other account can put events', () => {
    const stack = testStack();
    new EventHub(stack, 'Events', { archiveRetention: Duration.days(30) });
    const template = templateOf(stack);
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.resourceCountIs('AWS::Events::EventBusPolicy', 0);
    expect(
      Object.values(template.findResources('AWS::Events::EventBus'))[0]?.Properties?.Policy,
    ).toBeUndefined();
  });

  it('archives every event of the account for replay, for the configured days', () => {
    const stack = testStack();
    new EventHub(stack, 'Events', { archiveRetention: Duration.days(30) });
    templateOf(stack).hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventsBus'), 'Arn'] },
      RetentionDays: 30,
      EventPattern: { account: [{ Ref: 'AWS::AccountId' }] },
    });
  });

  it('writes every event to an audit log group with retention', () => {
    const stack = testStack();
    new EventHub(stack, 'Events', {
      archiveRetention: Duration.days(30),
      auditLogRetention: RetentionDays.SIX_MONTHS,
    });
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 180 });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: Match.stringLikeRegexp('^EventsBus') },
      EventPattern: { account: [{ Ref: 'AWS::AccountId' }] },
      Targets: [Match.objectLike({ Arn: Match.objectLike({ 'Fn::Join': Match.anyValue() }) })],
    });
  });

  it('sends audit events that cannot be written to a DLQ, after an explicit retry policy', () => {
    const stack = testStack();
    new EventHub(stack, 'Events', { archiveRetention: Duration.days(30) });
    templateOf(stack).hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventsAuditDeadLetters'), 'Arn'] },
          },
          RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
        }),
      ],
    });
    templateOf(stack).hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('lets only the audit rule write to the audit log group', () => {
    const stack = testStack();
    new EventHub(stack, 'Events', { archiveRetention: Duration.days(30) });
    const template = templateOf(stack);
    const policies = template.findResources('AWS::Logs::ResourcePolicy');
    expect(Object.keys(policies)).toHaveLength(1);
    const document = JSON.stringify(Object.values(policies)[0]?.Properties.PolicyDocument);
    expect(document).toContain('events.amazonaws.com');
    expect(document).toContain('logs:PutLogEvents');
    expect(document).toContain('aws:SourceArn');
  });

  it('creates no custom resource (and so no Lambda) for the log target', () => {
    const stack = testStack();
    new EventHub(stack, 'Events', { archiveRetention: Duration.days(30) });
    const template = templateOf(stack);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.resourceCountIs('Custom::CloudwatchLogResourcePolicy', 0);
  });

  describe('fails if', () => {
    it.each([
      ['12 hours', Duration.hours(12)],
      ['36 hours', Duration.hours(36)],
    ])('the archive retention is %s', (_, archiveRetention) => {
      expect(() => new EventHub(testStack(), 'Events', { archiveRetention })).toThrow(
        /archiveRetention must be a whole number of days, at least 1/,
      );
    });
  });
});

import { Match } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { DeadLetterQueue } from '../../lib/messaging/dead-letter-queue';
import { templateOf, testStack } from '../support/stacks';

describe('DeadLetterQueue', () => {
  it('uses the key it is given instead of making one', () => {
    const stack = testStack();
    const key = new Key(stack, 'Shared', { enableKeyRotation: true });
    new DeadLetterQueue(stack, 'Dlq', { encryptionKey: key });
    const template = templateOf(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Shared'), 'Arn'] },
    });
  });

  it('keeps messages 14 days, encrypted, TLS-only, and alarms on the first one', () => {
    const stack = testStack();
    new DeadLetterQueue(stack, 'Dlq');
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 1_209_600,
      KmsMasterKeyId: Match.anyValue(),
    });
    template.resourceCountIs('AWS::SQS::QueuePolicy', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 0,
      MetricName: 'ApproximateNumberOfMessagesVisible',
    });
  });
});

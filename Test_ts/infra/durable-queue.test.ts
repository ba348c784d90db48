import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { handlerEntry, IntegrationFunction } from '../../lib/compute/integration-function';
import { DurableQueue } from '../../lib/messaging/durable-queue';
import { templateOf, testStack } from '../support/stacks';

function consumer(stack: ReturnType<typeof testStack>, timeout = Duration.seconds(30)) {
  return new IntegrationFunction(stack, 'Consumer', {
    entry: handlerEntry('consumers/analytics-consumer'),
    description: 'consumer',
    serviceName: 'test',
    memorySize: 256,
    timeout,
  });
}

describe('DurableQueue', () => {
  it('has a DLQ after 5 receives by default, both encrypted with a rotating customer key', () => {
    const stack = testStack();
    new DurableQueue(stack, 'Orders');
    const template = templateOf(stack);
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersDeadLetters'), 'Arn'] },
        maxReceiveCount: 5,
      },
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 14 * 24 * 3600,
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersKey'), 'Arn'] },
    });
  });

  it('takes the maxReceiveCount it is given', () => {
    const stack = testStack();
    new DurableQueue(stack, 'Orders', { maxReceiveCount: 3 });
    templateOf(stack).hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }),
    });
  });

  it('refuses non-TLS access to the queue and its DLQ', () => {
    const stack = testStack();
    new DurableQueue(stack, 'Orders');
    const policies = templateOf(stack).findResources('AWS::SQS::QueuePolicy');
    expect(Object.keys(policies)).toHaveLength(2);
    for (const policy of Object.values(policies)) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      );
    }
  });

  it('alarms on any message in the DLQ and on old messages in the queue', () => {
    const stack = testStack();
    new DurableQueue(stack, 'Orders', { maxMessageAge: Duration.minutes(10) });
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersDeadLetters'), 'QueueName'] },
        },
      ],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 600,
    });
  });
});

describe('DurableQueue: addConsumer', () => {
  it('maps the queue to the function with partial batch failure reporting', () => {
    const stack = testStack();
    const queue = new DurableQueue(stack, 'Orders', { visibilityTimeout: Duration.minutes(3) });
    queue.addConsumer(consumer(stack), { batchSize: 10, maxBatchingWindow: Duration.seconds(0) });
    templateOf(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Orders[A-Z0-9]'), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
  });

  it('hands the consumer its DLQ and the receive limit, with send rights on the DLQ', () => {
    const stack = testStack();
    const queue = new DurableQueue(stack, 'Orders', {
      visibilityTimeout: Duration.minutes(3),
      maxReceiveCount: 4,
    });
    queue.addConsumer(consumer(stack));
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          DEAD_LETTER_QUEUE_URL: { Ref: Match.stringLikeRegexp('^OrdersDeadLetters') },
          MAX_RECEIVE_COUNT: '4',
        }),
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['sqs:SendMessage']),
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersDeadLetters'), 'Arn'] },
          }),
        ]),
      },
    });
  });

  it('fails if the visibility timeout is under 6 times the consumer timeout, naming both', () => {
    const stack = testStack();
    const queue = new DurableQueue(stack, 'Orders', { visibilityTimeout: Duration.seconds(60) });
    expect(() => queue.addConsumer(consumer(stack, Duration.seconds(30)))).toThrow(
      'Queue visibility timeout (60 s) must be at least 6 × the consumer timeout (6 × 30 s = 180 s)',
    );
  });

  it('counts the batching window in the visibility rule', () => {
    const stack = testStack();
    const queue = new DurableQueue(stack, 'Orders', { visibilityTimeout: Duration.seconds(180) });
    expect(() =>
      queue.addConsumer(consumer(stack, Duration.seconds(30)), { maxBatchingWindow: Duration.seconds(5) }),
    ).toThrow(
      'Queue visibility timeout (180 s) must be at least 6 × the consumer timeout plus the batching window (6 × 30 s + 5 s = 185 s)',
    );
  });
});

describe('DurableQueue: fails if', () => {
  it.each([0, 1001])('maxReceiveCount is %p', (maxReceiveCount) => {
    expect(() => new DurableQueue(testStack(), 'Q', { maxReceiveCount })).toThrow(
      `maxReceiveCount must be a whole number from 1 to 1000, got ${maxReceiveCount}`,
    );
  });

  it.each([
    ['0 s', Duration.seconds(0)],
    ['13 hours', Duration.hours(13)],
  ])('the visibility timeout is %s', (_, visibilityTimeout) => {
    expect(() => new DurableQueue(testStack(), 'Q', { visibilityTimeout })).toThrow(
      /visibilityTimeout must be from 1 second to 12 hours/,
    );
  });

  it('the retention period is shorter than the maximum message age', () => {
    expect(
      () =>
        new DurableQueue(testStack(), 'Q', {
          retentionPeriod: Duration.minutes(5),
          maxMessageAge: Duration.minutes(10),
        }),
    ).toThrow('retentionPeriod (5 minutes) must be longer than maxMessageAge (10 minutes)');
  });
});

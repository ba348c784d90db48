import { Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { EventBus, Match as EventMatch } from 'aws-cdk-lib/aws-events';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { EventRoute, type EventRouteProps } from '../../lib/messaging/event-route';
import { ROUTES } from '../../lib/messaging/routing-table';
import { templateOf, testStack } from '../support/stacks';

const pattern = { source: ['junction.orders'], detailType: EventMatch.prefix('order.') };

/** A stack with a bus and a route on it to a queue named Target, built from `overrides`. */
function routeToQueue(overrides: Partial<EventRouteProps> = {}) {
  const stack = testStack();
  new EventRoute(stack, 'Route', {
    bus: new EventBus(stack, 'Bus'),
    description: 'd',
    eventPattern: pattern,
    target: { queue: new Queue(stack, 'Target') },
    ...overrides,
  });
  return stack;
}

describe('EventRoute', () => {
  it('routes the pattern to a queue with a target DLQ and an explicit retry policy', () => {
    const stack = routeToQueue({
      description: 'orders to analytics',
      retry: { maxEventAge: Duration.hours(2), attempts: 10 },
    });
    templateOf(stack).hasResourceProperties('AWS::Events::Rule', {
      Description: 'orders to analytics',
      EventBusName: { Ref: Match.stringLikeRegexp('^Bus') },
      EventPattern: { source: ['junction.orders'], 'detail-type': [{ prefix: 'order.' }] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Target'), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RouteDeadLetters'), 'Arn'] } },
          RetryPolicy: { MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 10 },
        }),
      ],
    });
  });

  it('uses the EventBridge maximums when no retry policy is given, and still renders it', () => {
    templateOf(routeToQueue()).hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({ RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 } }),
      ],
    });
  });

  it('lets only its rule write to its encrypted DLQ', () => {
    const template = templateOf(routeToQueue());
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: {
              ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('^Route'), 'Arn'] } },
            },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'events.amazonaws.com' },
            Action: Match.arrayWith(['kms:GenerateDataKey*']),
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });

  it('routes to a function', () => {
    const stack = testStack();
    const fn = new LambdaFunction(stack, 'Fn', {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async () => {}'),
    });
    new EventRoute(stack, 'Route', {
      bus: new EventBus(stack, 'Bus'),
      description: 'd',
      eventPattern: pattern,
      target: { function: fn },
    });
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Fn'), 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'events.amazonaws.com' });
  });

  describe('fails if', () => {
    const make =
      (retry: { maxEventAge?: Duration; attempts?: number }, eventPattern: object = pattern) =>
      () =>
        routeToQueue({ retry, eventPattern });

    it.each([-1, 186, 2.5])('retry attempts are %p', (attempts) => {
      expect(make({ attempts })).toThrow(
        `retry attempts must be a whole number from 0 to 185, got ${attempts}`,
      );
    });

    it.each([
      ['30 seconds', Duration.seconds(30)],
      ['25 hours', Duration.hours(25)],
    ])('the maximum event age is %s', (_, maxEventAge) => {
      expect(make({ maxEventAge })).toThrow(/retry maxEventAge must be from 1 minute to 24 hours/);
    });

    it('the pattern is empty', () => {
      expect(make({}, {})).toThrow('An event route needs a non-empty event pattern');
    });
  });
});

describe('routing table', () => {
  it('declares every route once, with a description and an explicit retry policy', () => {
    const ids = ROUTES.map((route) => route.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const route of ROUTES) {
      expect(route.description.length).toBeGreaterThan(10);
      expect(route.retry.attempts).toBeGreaterThanOrEqual(0);
      expect(route.retry.maxEventAge.toSeconds()).toBeGreaterThanOrEqual(60);
    }
  });

  it('sends every new order to analytics and to the order saga', () => {
    for (const target of ['analyticsQueue', 'orderSagaQueue']) {
      const route = ROUTES.find((candidate) => candidate.target === target);
      expect(new Stack().resolve(route?.pattern)).toEqual({
        source: ['junction.orders'],
        detailType: ['order.created'],
      });
    }
  });
});

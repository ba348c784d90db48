import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { type EventPattern, type IEventBus, type IRuleTarget, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SfnStateMachine, SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { serviceForThisAccount } from '../security/service-principals';
import { DeadLetterQueue } from './dead-letter-queue';
import { LogGroupTarget } from './log-group-target';

/** Where a route delivers: a queue, a function, a state machine or a log group. */
export type RouteTarget =
  | { readonly queue: IQueue }
  | { readonly function: IFunction }
  | { readonly stateMachine: IStateMachine }
  | { readonly logGroup: LogGroup };

export interface RouteRetryPolicy {
  /** How long EventBridge keeps retrying an undelivered event. @default 24 hours (the maximum) */
  readonly maxEventAge?: Duration;
  /** Delivery retries before the event goes to the route's DLQ. @default 185 (the maximum) */
  readonly attempts?: number;
}

/** EventBridge's longest retry: 24 hours and 185 attempts. */
export const EVENTBRIDGE_MAX_RETRY: Required<RouteRetryPolicy> = {
  maxEventAge: Duration.hours(24),
  attempts: 185,
};

export interface EventRouteProps {
  readonly bus: IEventBus;
  readonly description: string;
  readonly eventPattern: EventPattern;
  readonly target: RouteTarget;
  /** @default the EventBridge maximums, rendered explicitly */
  readonly retry?: RouteRetryPolicy;
  /** What happens to the route's DLQ and key when the stack is deleted. @default RemovalPolicy.DESTROY */
  readonly removalPolicy?: RemovalPolicy;
}

function validateRetry(retry: Required<RouteRetryPolicy>): void {
  const { attempts, maxEventAge } = retry;
  if (!Number.isInteger(attempts) || attempts < 0 || attempts > 185) {
    throw new Error(`retry attempts must be a whole number from 0 to 185, got ${attempts}`);
  }
  const seconds = maxEventAge.toSeconds();
  if (seconds < 60 || seconds > 86_400) {
    throw new Error(
      `retry maxEventAge must be from 1 minute to 24 hours, got ${maxEventAge.toHumanString()}`,
    );
  }
}

/**
 * An event pattern to one target, with a target DLQ (events that cannot be delivered after the
 * retry policy land there with EventBridge's error attributes) and an explicit retry policy.
 */
export class EventRoute extends Construct {
  readonly rule: Rule;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: EventRouteProps) {
    super(scope, id);
    if (Object.keys(props.eventPattern).length === 0)
      throw new Error('An event route needs a non-empty event pattern');
    const retry = {
      maxEventAge: props.retry?.maxEventAge ?? EVENTBRIDGE_MAX_RETRY.maxEventAge,
      attempts: props.retry?.attempts ?? EVENTBRIDGE_MAX_RETRY.attempts,
    };
    validateRetry(retry);

    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      removalPolicy: props.removalPolicy,
      purpose: `the route ${this.node.path}`,
    });
    // EventBridge encrypts what it sends to the DLQ with the DLQ's key.
    this.deadLetters.encryptionKey.grant(
      serviceForThisAccount(this, 'events.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
    this.rule = new Rule(this, 'Resource', {
      eventBus: props.bus,
      description: props.description,
      eventPattern: props.eventPattern,
    });
    this.rule.addTarget(this.buildTarget(props.target, retry));
  }

  private buildTarget(target: RouteTarget, retry: Required<RouteRetryPolicy>): IRuleTarget {
    const options = {
      deadLetterQueue: this.deadLetters.queue as IQueue,
      maxEventAge: retry.maxEventAge,
      retryAttempts: retry.attempts,
    };
    if ('queue' in target) return new SqsQueue(target.queue, options);
    if ('function' in target) return new LambdaFunction(target.function, options);
    if ('logGroup' in target) return new LogGroupTarget(target.logGroup, options);
    return new SfnStateMachine(target.stateMachine, options);
  }
}

import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { CfnEventSourceMapping, IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { IntegrationFunction } from '../compute/integration-function';
import type { JunctionStack } from '../junction-stack';
import { DeadLetterQueue } from '../messaging/dead-letter-queue';
import { Saga } from '../orchestration/saga';

/** One acknowledged cdk-nag finding: the rule, the resources it covers, and why. */
export interface NagAcknowledgement {
  /** The finding id cdk-nag reports, such as `AwsSolutions-IAM5[Resource::*]`. */
  readonly rule: string;
  /** The resources, in words. */
  readonly resources: string;
  readonly reason: string;
  readonly select: (stack: JunctionStack) => readonly IConstruct[];
}

const all = <T>(stack: JunctionStack, type: abstract new (...args: never[]) => T): T[] =>
  stack.node.findAll().filter((construct): construct is T & IConstruct => construct instanceof type);

const functionRoles = (stack: JunctionStack) =>
  all(stack, IntegrationFunction).flatMap((fn) => (fn.role ? [fn.role] : []));

const isSqsEventSource = (construct: IConstruct) =>
  construct.node.id === 'Resource' &&
  construct.node.scope?.node.id.startsWith('SqsEventSource:') === true &&
  (construct as CfnEventSourceMapping).cfnResourceType === 'AWS::Lambda::EventSourceMapping';

// Findings that come in pairs (one per pack, or one per action wildcard) share all but the rule.
type SharedPart = Omit<NagAcknowledgement, 'rule'>;

const pinnedRuntime: SharedPart = {
  resources: 'every IntegrationFunction',
  reason:
    'Junction pins nodejs22.x: the runtime its toolchain, tests and local cloud run on. Moving to a newer runtime is a project-wide change.',
  select: (stack) => all(stack, IntegrationFunction),
};

const consumerDlqKeyGrant: SharedPart = {
  resources: 'the execution roles of queue consumers',
  reason:
    "CDK's grant for sending to a KMS-encrypted DLQ; the action wildcard is limited to that queue's own key.",
  select: (stack) =>
    [stack.functions.analyticsConsumer.role, stack.orderSaga.starter.role].flatMap((role) =>
      role ? [role] : [],
    ),
};

const healthProbe: SharedPart = {
  resources: 'GET /health',
  reason:
    'A health probe for monitors: it needs an API key (rate and quota from its usage plan) but no OAuth2 token, and reveals only up or down per component.',
  select: (stack) => [stack.api.restApi.root.resourceForPath('/health').node.findChild('GET')],
};

const webhookRoute: SharedPart = {
  resources: 'POST /v1/webhooks/{provider}',
  reason:
    'Called by payment and e-mail providers, which cannot present a Cognito token or an API key: the handler authenticates every delivery by its HMAC/ECDSA signature over the raw body, with a 300 s replay window, before anything is published. WAF and the stage throttle still apply.',
  select: (stack) => [stack.webhooks.method],
};

/**
 * Every acknowledged cdk-nag finding, in one place. Each must match at least one resource, so
 * an acknowledgement cannot outlive the reason it was made for.
 */
export const NAG_ACKNOWLEDGEMENTS: readonly NagAcknowledgement[] = [
  { rule: 'AwsSolutions-L1', ...pinnedRuntime },
  { rule: 'Serverless-LambdaLatestVersion', ...pinnedRuntime },
  {
    rule: 'AwsSolutions-IAM5[Resource::*]',
    resources: 'the execution role of every IntegrationFunction',
    reason:
      'Only X-Ray (xray:PutTraceSegments, xray:PutTelemetryRecords), which supports no resource-level permissions; an infra test fails if any other action gets Resource *.',
    select: functionRoles,
  },
  { rule: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', ...consumerDlqKeyGrant },
  { rule: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', ...consumerDlqKeyGrant },
  {
    rule: 'Serverless-LambdaDLQ',
    resources: 'the API functions, queue consumers, order saga steps and the payment API',
    reason:
      'API Gateway, SQS event sources and Step Functions invoke synchronously, so an asynchronous-invocation DLQ would never receive anything; failed queue records go to the queue DLQ, and a failed saga step to its retries and compensations.',
    select: (stack) => [
      ...Object.values(stack.functions),
      ...stack.orderSaga.functions,
      stack.payments.function,
    ],
  },
  {
    rule: 'Serverless-LambdaEventSourceMappingDestination',
    resources: 'SQS event source mappings',
    reason:
      "SQS event sources support no on-failure destination; the queue's redrive policy and the consumer's dead-lettering with a reason play that role.",
    select: (stack) => stack.node.findAll().filter(isSqsEventSource),
  },
  {
    rule: 'Serverless-SQSRedrivePolicy',
    resources: 'every DeadLetterQueue',
    reason:
      'A dead-letter queue is the last stop: it keeps messages 14 days for inspection and redrive, and alarms on the first.',
    select: (stack) => all(stack, DeadLetterQueue).map((dlq) => dlq.queue),
  },
  {
    rule: 'AwsSolutions-SQS3',
    resources: 'the DLQs of event routes',
    reason:
      'These queues are the DeadLetterConfig of EventBridge targets, which cdk-nag does not recognise as DLQs (it only follows SQS redrive policies).',
    select: (stack) => [...stack.routes, stack.events.audit].map((route) => route.deadLetters.queue),
  },
  {
    rule: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    resources: 'the API Gateway account CloudWatch role',
    reason:
      'The AWS managed policy is the documented policy for the account-level role API Gateway uses to write execution logs.',
    select: (stack) => [stack.api.restApi.node.findChild('CloudWatchRole')],
  },
  { rule: 'AwsSolutions-APIG4', ...healthProbe },
  { rule: 'AwsSolutions-COG4', ...healthProbe },
  { rule: 'AwsSolutions-APIG4', ...webhookRoute },
  { rule: 'AwsSolutions-COG4', ...webhookRoute },
  {
    rule: 'AwsSolutions-SMG4',
    resources: 'the webhook signing secrets',
    reason:
      "The provider issues the signing secret and rotates it on its side (for example rolling a Stripe endpoint secret); the new value is put with put-secret-value, and the handler accepts AWSCURRENT and AWSPREVIOUS while the rotation settles. A Secrets Manager rotation Lambda could not change the provider's value.",
    select: (stack) => Object.values(stack.webhooks.secrets),
  },
  {
    rule: 'AwsSolutions-SMG4',
    resources: 'the connector credentials secrets',
    reason:
      "The provider issues the API key and rotates it on its side; the new value is put with put-secret-value, and connectors pick it up when their cache expires or at once on a 401. A Secrets Manager rotation Lambda could not change the provider's key.",
    select: (stack) => Object.values(stack.orderSaga.credentials),
  },
  {
    rule: 'AwsSolutions-COG8',
    resources: 'the API user pool',
    reason:
      'No person signs in to this pool: it issues client-credentials tokens to machines, which the Plus tier threat protection does not cover.',
    select: (stack) => [stack.api.auth.userPool],
  },
];

/** A finding every Saga brings, on its state machine's role; its rule ids depend on the saga. */
export interface SagaNagAcknowledgement {
  readonly rules: (saga: Saga) => readonly string[];
  readonly resources: string;
  readonly reason: string;
}

/** How cdk-nag writes the `<function ARN>:*` resource of a Lambda invoke grant. */
function invokeWildcard(fn: IFunction): string {
  const resource = fn.node.defaultChild;
  if (resource instanceof CfnResource) return `<${Stack.of(fn).getLogicalId(resource)}.Arn>:*`;
  return `${fn.functionArn}:*`;
}

export const SAGA_NAG_ACKNOWLEDGEMENTS: readonly SagaNagAcknowledgement[] = [
  {
    rules: () => ['AwsSolutions-IAM5[Resource::*]'],
    resources: 'the state machine role of every Saga',
    reason:
      'Only X-Ray (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) and CloudWatch Logs log delivery (logs:*LogDelivery*, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups), which support no resource-level permissions; an infra test fails if any other action gets Resource *.',
  },
  {
    rules: (saga) => saga.invokedFunctions.map((fn) => `AwsSolutions-IAM5[Resource::${invokeWildcard(fn)}]`),
    resources: 'the state machine role of every Saga, for each function it invokes',
    reason:
      "CDK's LambdaInvoke grant covers the function's versions and aliases (<function ARN>:*); each names one function of the saga and no other.",
  },
];

/** Acknowledges the findings of one saga on its state machine role. */
export function acknowledgeSagaNagFindings(saga: Saga): void {
  for (const acknowledgement of SAGA_NAG_ACKNOWLEDGEMENTS) {
    for (const rule of acknowledgement.rules(saga)) {
      Validations.of(saga.stateMachine.role).acknowledge({ id: rule, reason: acknowledgement.reason });
    }
  }
}

/** Applies every acknowledgement; fails if one matches nothing. */
export function acknowledgeNagFindings(stack: JunctionStack): void {
  for (const saga of all(stack, Saga)) acknowledgeSagaNagFindings(saga);
  for (const acknowledgement of NAG_ACKNOWLEDGEMENTS) {
    const targets = acknowledgement.select(stack);
    if (targets.length === 0) {
      throw new Error(
        `cdk-nag acknowledgement ${acknowledgement.rule} (${acknowledgement.resources}) matches nothing: remove it`,
      );
    }
    for (const target of targets) {
      Validations.of(target).acknowledge({ id: acknowledgement.rule, reason: acknowledgement.reason });
    }
  }
}

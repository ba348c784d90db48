import { Validations } from 'aws-cdk-lib';
import type { CfnEventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { IntegrationFunction } from '../compute/integration-function';
import type { JunctionStack } from '../junction-stack';
import { DeadLetterQueue } from '../messaging/dead-letter-queue';

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
  select: (stack) => [stack.functions.analyticsConsumer.role].flatMap((role) => (role ? [role] : [])),
};

const healthProbe: SharedPart = {
  resources: 'GET /health',
  reason:
    'A health probe for monitors: it needs an API key (rate and quota from its usage plan) but no OAuth2 token, and reveals only up or down per component.',
  select: (stack) => [stack.api.restApi.root.resourceForPath('/health').node.findChild('GET')],
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
    resources: 'the API functions and queue consumers',
    reason:
      'API Gateway and SQS event sources invoke synchronously, so an asynchronous-invocation DLQ would never receive anything; failed queue records go to the queue DLQ.',
    select: (stack) => Object.values(stack.functions),
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
  {
    rule: 'AwsSolutions-COG8',
    resources: 'the API user pool',
    reason:
      'No person signs in to this pool: it issues client-credentials tokens to machines, which the Plus tier threat protection does not cover.',
    select: (stack) => [stack.api.auth.userPool],
  },
];

/** Applies every acknowledgement; fails if one matches nothing. */
export function acknowledgeNagFindings(stack: JunctionStack): void {
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

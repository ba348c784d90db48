import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { WEBHOOK_PATH_TAG, WEBHOOK_PROVIDER_TAG } from '../lib/edge/webhook-endpoint';
import type { EventBridge } from './eventbridge/event-bridge';
import { DeliveryError, type TargetKind } from './eventbridge/targets';
import type { SandboxProvidersOptions } from './providers';
import type { LambdaRuntime } from './runtime/lambda-runtime';
import type { LogStore } from './runtime/log-store';
import type { SecretsManagerService } from './services/secrets-manager-service';
import type { SqsService } from './services/sqs-service';
import type { StepFunctions } from './stepfunctions/step-functions';
import type { TaskServices } from './stepfunctions/task-handlers';
import type { SecretSpec } from './template/topology-secrets';

/** A target error from a service: missing resources are final, anything else is retried. */
function asDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const missing = /NonExistent|NotFound|not found|DoesNotExist|does not exist/i.test(`${name} ${message}`);
  const throttled = /TooManyRequests|Throttl/i.test(name);
  return new DeliveryError(
    missing ? 'ResourceNotFoundException' : throttled ? 'ThrottlingException' : name,
    message,
    !missing,
  );
}

export interface TargetDependencies {
  readonly sqs: SqsService;
  readonly runtime: LambdaRuntime;
  readonly stepFunctions: StepFunctions;
  readonly logs: LogStore;
  readonly bridge: () => EventBridge;
}

/** The kinds of targets EventBridge rules deliver to locally. */
export function targetKinds(deps: TargetDependencies): TargetKind[] {
  const attempt = async (work: () => unknown) => {
    try {
      await work();
    } catch (error) {
      throw asDeliveryError(error);
    }
  };
  return [
    {
      service: 'sqs',
      deliver: (queue, delivery) =>
        attempt(() => deps.sqs.send(queue, delivery.input, { messageGroupId: delivery.messageGroupId })),
    },
    // EventBridge invokes Lambda asynchronously: the delivery succeeds once Lambda accepts the event.
    {
      service: 'lambda',
      deliver: (name, delivery) => attempt(() => deps.runtime.invokeAsync(name, JSON.parse(delivery.input))),
    },
    {
      service: 'states',
      deliver: (_name, delivery) =>
        attempt(() => deps.stepFunctions.start(delivery.targetArn, JSON.parse(delivery.input))),
    },
    {
      service: 'logs',
      deliver: async (group, delivery) => {
        if (!deps.logs.hasGroup(group))
          throw new DeliveryError('ResourceNotFoundException', `Log group ${group} does not exist`, false);
        deps.logs.put(group, 'eventbridge', delivery.input);
      },
    },
    {
      service: 'events',
      deliver: async (bus, delivery) => {
        const bridge = deps.bridge();
        const busName = bridge.resolveBus(bus);
        if (!busName)
          throw new DeliveryError('ResourceNotFoundException', `Event bus ${bus} does not exist`, false);
        bridge.ingest(busName, { ...delivery.event });
      },
    },
  ];
}

const DYNAMODB_COMMANDS = {
  getItem: GetItemCommand,
  putItem: PutItemCommand,
  updateItem: UpdateItemCommand,
  deleteItem: DeleteItemCommand,
} as const;

export interface TaskDependencies {
  readonly sqs: SqsService;
  readonly runtime: LambdaRuntime;
  readonly dynamodb: DynamoDBClient;
  readonly bridge: () => EventBridge;
  readonly stepFunctions: () => StepFunctions;
}

/** What Step Functions Task states call locally. */
export function taskServices(deps: TaskDependencies): TaskServices {
  return {
    invokeFunction: (name, payload) => deps.runtime.invoke(name, payload),
    putEvents: (entries) => {
      const results = deps.bridge().putEvents(entries as never);
      return { FailedEntryCount: results.filter((entry) => 'ErrorCode' in entry).length, Entries: results };
    },
    sendMessage: (queueUrl, body, attributes) => {
      const queue = deps.sqs.queueByUrl(queueUrl);
      if (!queue)
        throw Object.assign(new Error(`The specified queue does not exist: ${queueUrl}`), {
          name: 'SQS.QueueDoesNotExistException',
        });
      const sent = deps.sqs.send(queue.name, body, { messageAttributes: attributes as never });
      return { MessageId: sent.messageId, MD5OfMessageBody: sent.md5OfBody };
    },
    dynamodb: async (action, parameters) => {
      const Command = DYNAMODB_COMMANDS[action as keyof typeof DYNAMODB_COMMANDS] as unknown as new (
        input: unknown,
      ) => never;
      const { $metadata: _metadata, ...output } = (await deps.dynamodb.send(
        new Command(parameters),
      )) as unknown as Record<string, unknown>;
      return output;
    },
    startExecution: (stateMachineArn, input, name) => {
      const execution = deps.stepFunctions().start(stateMachineArn, input, name);
      return { ExecutionArn: execution.executionArn, StartDate: execution.startDate };
    },
  };
}

type SandboxWebhooks = NonNullable<SandboxProvidersOptions['webhooks']>;
const WEBHOOK_SANDBOXES: readonly (keyof SandboxWebhooks)[] = ['payment', 'email'];

/**
 * Where the sandboxes send their webhooks, from the template: a secret tagged with a provider and
 * a path makes that sandbox post to the path on the API stage and sign with the secret's value.
 * The value is read at each delivery, so a rotation (PutSecretValue) reaches the sandbox at once.
 */
export function sandboxWebhooks(
  secrets: readonly SecretSpec[],
  store: SecretsManagerService,
  apiStageUrl: string,
): SandboxWebhooks {
  const targets: Partial<Record<keyof SandboxWebhooks, { url: string; readonly secret: string }>> = {};
  for (const spec of secrets) {
    const provider = spec.tags[WEBHOOK_PROVIDER_TAG] as keyof SandboxWebhooks | undefined;
    const path = spec.tags[WEBHOOK_PATH_TAG];
    if (!provider || !WEBHOOK_SANDBOXES.includes(provider) || !path) continue;
    targets[provider] = {
      url: `${apiStageUrl}${path}`,
      get secret() {
        return store.valueOf(spec.arn) ?? '';
      },
    };
  }
  return targets;
}

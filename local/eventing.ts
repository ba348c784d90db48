import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { EventBridge } from './eventbridge/event-bridge';
import { parseArn, TargetDispatcher } from './eventbridge/targets';
import type { ConsoleLog } from './runtime/console-log';
import type { LambdaRuntime } from './runtime/lambda-runtime';
import type { LogStore } from './runtime/log-store';
import type { SqsService } from './services/sqs-service';
import { StepFunctions } from './stepfunctions/step-functions';
import type { LocalTopology } from './template/topology-types';
import { targetKinds, taskServices } from './wiring';

export interface EventingDependencies {
  readonly topology: LocalTopology;
  readonly sqs: SqsService;
  readonly sqsClient: SQSClient;
  readonly dynamoClient: DynamoDBClient;
  readonly runtime: LambdaRuntime;
  readonly logs: LogStore;
  readonly console: ConsoleLog;
  readonly awsUrl: string;
  readonly timeScale: number;
}

/**
 * EventBridge and Step Functions, wired to each other and to the other services: rules deliver to
 * queues, functions, state machines, log groups and buses; Task states call functions, buses,
 * queues and tables.
 */
export function startEventing(deps: EventingDependencies): {
  bridge: EventBridge;
  stepFunctions: StepFunctions;
} {
  const { topology, sqs, runtime } = deps;
  const { accountId, region } = topology.env;
  let bridge: EventBridge | undefined;
  const getBridge = () => {
    if (!bridge) throw new Error('EventBridge is not running yet');
    return bridge;
  };
  const stepFunctions: StepFunctions = new StepFunctions(
    topology.stateMachines,
    taskServices({
      sqs,
      runtime,
      dynamodb: deps.dynamoClient,
      bridge: getBridge,
      stepFunctions: () => stepFunctions,
    }),
    deps.console,
    deps.timeScale,
  );
  const dispatcher = new TargetDispatcher();
  for (const kind of targetKinds({ sqs, runtime, stepFunctions, logs: deps.logs, bridge: getBridge })) {
    dispatcher.register(kind);
  }
  bridge = new EventBridge({
    accountId,
    region,
    buses: topology.buses,
    rules: topology.rules,
    archives: topology.archives,
    dispatcher,
    // Through the SQS API, as EventBridge itself sends to a target DLQ.
    deadLetter: async (queueArn, body, attributes) => {
      const { resource } = parseArn(queueArn);
      await deps.sqsClient.send(
        new SendMessageCommand({
          QueueUrl: `${deps.awsUrl}/${accountId}/${resource}`,
          MessageBody: body,
          MessageAttributes: Object.fromEntries(
            Object.entries(attributes).map(([name, value]) => [
              name,
              { DataType: 'String', StringValue: value },
            ]),
          ),
        }),
      );
    },
    console: deps.console,
    timeScale: deps.timeScale,
  });
  return { bridge, stepFunctions };
}

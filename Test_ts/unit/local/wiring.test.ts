import { PassThrough } from 'node:stream';
import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { EventBridge } from '../../../local/eventbridge/event-bridge';
import {
  type Delivery,
  DeliveryError,
  TargetDispatcher,
  type TargetKind,
} from '../../../local/eventbridge/targets';
import { ConsoleLog } from '../../../local/runtime/console-log';
import type { LambdaRuntime } from '../../../local/runtime/lambda-runtime';
import { LogStore } from '../../../local/runtime/log-store';
import type { SqsService } from '../../../local/services/sqs-service';
import { type StepFunctions, StepFunctionsError } from '../../../local/stepfunctions/step-functions';
import type { QueueSpec } from '../../../local/template/topology-types';
import { targetKinds, taskServices } from '../../../local/wiring';

const ACCOUNT = '000000000000';
const BUS = 'junction-bus';
const MACHINE_ARN = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:order-saga`;
const QUEUE: QueueSpec = {
  logicalId: 'Orders',
  name: 'orders',
  url: `http://127.0.0.1:4566/${ACCOUNT}/orders`,
  arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:orders`,
  attributes: {},
};

const named = (name: string, message: string) => Object.assign(new Error(message), { name });

interface Recorded {
  readonly sent: { queue: string; body: string; options: unknown }[];
  readonly invokedAsync: { name: string; event: unknown }[];
  readonly invoked: { name: string; event: unknown }[];
  readonly started: { arn: string; input: unknown; name?: string }[];
}

interface Failures {
  sqs?: Error;
  lambda?: Error;
  states?: Error;
}

/** Fakes of the services the wiring calls, recording what they receive; `fail` makes one throw. */
function dependencies(fail: Failures = {}) {
  const recorded: Recorded = { sent: [], invokedAsync: [], invoked: [], started: [] };
  const sqs: Pick<SqsService, 'send' | 'queueByUrl'> = {
    send: (queue, body, options) => {
      if (fail.sqs) throw fail.sqs;
      recorded.sent.push({ queue, body, options });
      return { messageId: 'msg-1', md5OfBody: 'md5-1' };
    },
    queueByUrl: (url) => (url === QUEUE.url ? QUEUE : undefined),
  };
  const runtime: Pick<LambdaRuntime, 'invoke' | 'invokeAsync'> = {
    invoke: async (name, event) => {
      recorded.invoked.push({ name, event });
      return { requestId: 'req-1', payload: { ok: true }, durationMs: 1, coldStart: false };
    },
    invokeAsync: (name, event) => {
      if (fail.lambda) throw fail.lambda;
      recorded.invokedAsync.push({ name, event });
    },
  };
  const stepFunctions = {
    start: (arn: string, input: unknown, name?: string) => {
      if (fail.states) throw fail.states;
      recorded.started.push({ arn, input, name });
      return {
        executionArn: `${arn.replace(':stateMachine:', ':execution:')}:run-1`,
        startDate: 1_736_935_200_000,
      };
    },
  };
  const logs = new LogStore();
  logs.ensureGroup('/aws/events/audit');
  const delivered: Delivery[] = [];
  const bridge = new EventBridge({
    accountId: ACCOUNT,
    region: 'us-east-1',
    buses: [{ logicalId: 'Bus', name: BUS, arn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/${BUS}` }],
    rules: [
      {
        logicalId: 'Rule',
        name: 'all-orders',
        arn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/${BUS}/all-orders`,
        busName: BUS,
        pattern: { source: ['junction.orders'] },
        enabled: true,
        targets: [
          { id: 'T', arn: QUEUE.arn, retryPolicy: { maximumEventAgeSeconds: 60, maximumRetryAttempts: 0 } },
        ],
      },
    ],
    archives: [],
    dispatcher: new TargetDispatcher().register({
      service: 'sqs',
      deliver: async (_name, delivery) => {
        delivered.push(delivery);
      },
    }),
    deadLetter: async () => undefined,
    console: new ConsoleLog('quiet', new PassThrough()),
    timeScale: 0.001,
  });
  const deps = {
    sqs: sqs as SqsService,
    runtime: runtime as LambdaRuntime,
    stepFunctions: stepFunctions as unknown as StepFunctions,
    logs,
    bridge: () => bridge,
  };
  return { deps, recorded, logs, bridge, delivered };
}

type Dependencies = ReturnType<typeof dependencies>['deps'];

/** The task services over the fakes; DynamoDB is unused unless a client is given. */
function servicesOf(deps: Dependencies, dynamodb = {} as DynamoDBClient) {
  return taskServices({ ...deps, dynamodb, stepFunctions: () => deps.stepFunctions });
}

function kind(kinds: TargetKind[], service: string): TargetKind {
  const found = kinds.find((candidate) => candidate.service === service);
  if (!found) throw new Error(`no target kind for ${service}`);
  return found;
}

const EVENT = {
  id: 'evt-1',
  source: 'junction.orders',
  'detail-type': 'order.created',
  detail: { id: 'o-1' },
};
const delivery = (targetArn: string, input = '{"orderId":"o-1"}'): Delivery => ({
  targetArn,
  input,
  event: EVENT,
  messageGroupId: 'group-1',
});

describe('targetKinds deliveries', () => {
  it('offers SQS, Lambda, Step Functions, CloudWatch Logs and EventBridge targets', () => {
    expect(targetKinds(dependencies().deps).map((target) => target.service)).toEqual([
      'sqs',
      'lambda',
      'states',
      'logs',
      'events',
    ]);
  });

  it('sends the input to the queue with the message group', async () => {
    const { deps, recorded } = dependencies();
    await kind(targetKinds(deps), 'sqs').deliver('orders', delivery(QUEUE.arn));
    expect(recorded.sent).toEqual([
      { queue: 'orders', body: '{"orderId":"o-1"}', options: { messageGroupId: 'group-1' } },
    ]);
  });

  it('invokes the function asynchronously with the input parsed', async () => {
    const { deps, recorded } = dependencies();
    await kind(targetKinds(deps), 'lambda').deliver(
      'audit',
      delivery('arn:aws:lambda:us-east-1:0:function:audit'),
    );
    expect(recorded.invokedAsync).toEqual([{ name: 'audit', event: { orderId: 'o-1' } }]);
    expect(recorded.invoked).toEqual([]);
  });

  it('starts an execution of the target state machine by its full ARN, with the input parsed', async () => {
    const { deps, recorded } = dependencies();
    await kind(targetKinds(deps), 'states').deliver('order-saga', delivery(MACHINE_ARN));
    expect(recorded.started).toEqual([{ arn: MACHINE_ARN, input: { orderId: 'o-1' }, name: undefined }]);
  });

  it('writes the input to the log group, in an eventbridge stream', async () => {
    const { deps, logs } = dependencies();
    await kind(targetKinds(deps), 'logs').deliver(
      '/aws/events/audit',
      delivery('arn:aws:logs:us-east-1:0:log-group:/aws/events/audit:*'),
    );
    expect(logs.events('/aws/events/audit')).toEqual([
      expect.objectContaining({ logStreamName: 'eventbridge', message: '{"orderId":"o-1"}' }),
    ]);
  });

  it('puts the original event, not the rendered input, on the target bus', async () => {
    const { deps, bridge, delivered } = dependencies();
    await kind(targetKinds(deps), 'events').deliver(
      BUS,
      delivery(`arn:aws:events:us-east-1:0:event-bus/${BUS}`, '"x"'),
    );
    await bridge.idle();
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.event).toEqual(EVENT);
    expect(delivered[0]?.event).not.toBe(EVENT);
  });
});

describe('targetKinds failures', () => {
  it.each([
    [
      'a missing queue (SQS)',
      'sqs',
      { sqs: named('AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.') },
    ],
    [
      'a missing function',
      'lambda',
      { lambda: named('ResourceNotFoundException', 'Function not found: audit') },
    ],
    [
      'a missing state machine',
      'states',
      {
        states: new StepFunctionsError(
          'StateMachineDoesNotExist',
          `State Machine Does Not Exist: '${MACHINE_ARN}'`,
        ),
      },
    ],
    ['an error saying the resource does not exist', 'sqs', { sqs: new Error('Queue orders does not exist') }],
    ["the emulator's missing queue error", 'sqs', { sqs: new Error("Queue 'orders' not found") }],
  ])('maps %s to a non-retryable ResourceNotFoundException', async (_, service, failures: Failures) => {
    const { deps } = dependencies(failures);
    const failure = kind(targetKinds(deps), service).deliver(
      'x',
      delivery(`arn:aws:${service}:us-east-1:0:x`),
    );
    await expect(failure).rejects.toBeInstanceOf(DeliveryError);
    await expect(failure).rejects.toMatchObject({ code: 'ResourceNotFoundException', retryable: false });
  });

  it.each([
    ['TooManyRequestsException', 'lambda', { lambda: named('TooManyRequestsException', 'Rate exceeded') }],
    ['ThrottlingException', 'states', { states: named('ThrottlingException', 'slow down') }],
    ['RequestThrottled', 'sqs', { sqs: named('RequestThrottled', 'slow down') }],
  ])(
    'keeps a throttling error (%s) retryable, as ThrottlingException',
    async (_, service, failures: Failures) => {
      const { deps } = dependencies(failures);
      const failure = kind(targetKinds(deps), service).deliver(
        'x',
        delivery(`arn:aws:${service}:us-east-1:0:x`),
      );
      await expect(failure).rejects.toMatchObject({ code: 'ThrottlingException', retryable: true });
    },
  );

  it('keeps any other error retryable under its own name and message', async () => {
    const { deps } = dependencies({ sqs: named('ServiceUnavailable', 'try later') });
    const failure = kind(targetKinds(deps), 'sqs').deliver('orders', delivery(QUEUE.arn));
    await expect(failure).rejects.toMatchObject({
      code: 'ServiceUnavailable',
      retryable: true,
      message: 'try later',
    });
  });

  it('passes a DeliveryError on unchanged', async () => {
    const error = new DeliveryError('KMSAccessDenied', 'no key', false);
    const { deps } = dependencies({ sqs: error });
    await expect(kind(targetKinds(deps), 'sqs').deliver('orders', delivery(QUEUE.arn))).rejects.toBe(error);
  });

  it('fails a missing log group with a non-retryable ResourceNotFoundException', async () => {
    const { deps, logs } = dependencies();
    const failure = kind(targetKinds(deps), 'logs').deliver(
      '/aws/events/nope',
      delivery('arn:aws:logs:us-east-1:0:log-group:/aws/events/nope'),
    );
    await expect(failure).rejects.toMatchObject({ code: 'ResourceNotFoundException', retryable: false });
    expect(logs.groupNames()).not.toContain('/aws/events/nope');
  });

  it('fails a missing bus with a non-retryable ResourceNotFoundException', async () => {
    const { deps } = dependencies();
    const failure = kind(targetKinds(deps), 'events').deliver(
      'nope',
      delivery('arn:aws:events:us-east-1:0:event-bus/nope'),
    );
    await expect(failure).rejects.toMatchObject({ code: 'ResourceNotFoundException', retryable: false });
  });
});

describe('taskServices', () => {
  it('invokes a function synchronously and answers its outcome', async () => {
    const { deps, recorded } = dependencies();
    const services = servicesOf(deps);
    await expect(services.invokeFunction('charge', { amount: 5 })).resolves.toMatchObject({
      payload: { ok: true },
    });
    expect(recorded.invoked).toEqual([{ name: 'charge', event: { amount: 5 } }]);
  });

  it('puts events on the bus and counts the failed entries', () => {
    const { deps } = dependencies();
    const services = servicesOf(deps);
    const valid = {
      Source: 'junction.orders',
      DetailType: 'order.completed',
      Detail: '{}',
      EventBusName: BUS,
    };
    const result = services.putEvents([
      valid,
      { ...valid, Detail: 'nope' },
      { ...valid, EventBusName: 'nope' },
    ]);
    expect(result.FailedEntryCount).toBe(2);
    expect(result.Entries).toEqual([
      { EventId: expect.any(String) },
      expect.objectContaining({ ErrorCode: 'MalformedDetail' }),
      expect.objectContaining({ ErrorCode: 'ResourceNotFoundException' }),
    ]);
  });

  it('sends a message to the queue its URL names, with the attributes', () => {
    const { deps, recorded } = dependencies();
    const services = servicesOf(deps);
    const attributes = { kind: { DataType: 'String', StringValue: 'order' } };
    expect(services.sendMessage(QUEUE.url, 'hello', attributes)).toEqual({
      MessageId: 'msg-1',
      MD5OfMessageBody: 'md5-1',
    });
    expect(recorded.sent).toEqual([
      { queue: 'orders', body: 'hello', options: { messageAttributes: attributes } },
    ]);
  });

  it('fails a message to an unknown queue URL with SQS.QueueDoesNotExistException', () => {
    const { deps, recorded } = dependencies();
    const services = servicesOf(deps);
    const url = `http://127.0.0.1:4566/${ACCOUNT}/nope`;
    expect(() => services.sendMessage(url, 'hello')).toThrow(
      expect.objectContaining({
        name: 'SQS.QueueDoesNotExistException',
        message: expect.stringContaining(url),
      }),
    );
    expect(recorded.sent).toEqual([]);
  });

  it('starts a child execution and answers its ARN and start date', () => {
    const { deps, recorded } = dependencies();
    const services = servicesOf(deps);
    expect(services.startExecution(MACHINE_ARN, { a: 1 }, 'child')).toEqual({
      ExecutionArn: `arn:aws:states:us-east-1:${ACCOUNT}:execution:order-saga:run-1`,
      StartDate: 1_736_935_200_000,
    });
    expect(recorded.started).toEqual([{ arn: MACHINE_ARN, input: { a: 1 }, name: 'child' }]);
  });
});

describe('taskServices DynamoDB', () => {
  function recordingClient() {
    const commands: { name: string; command: unknown; input: unknown }[] = [];
    const client = {
      send: async (command: { constructor: { name: string }; input: unknown }) => {
        commands.push({ name: command.constructor.name, command, input: command.input });
        return { $metadata: { httpStatusCode: 200 }, Item: { pk: { S: 'order#1' } } };
      },
    };
    return { client: client as unknown as DynamoDBClient, commands };
  }

  it.each([
    ['getItem', 'GetItemCommand', GetItemCommand],
    ['putItem', 'PutItemCommand', PutItemCommand],
    ['updateItem', 'UpdateItemCommand', UpdateItemCommand],
    ['deleteItem', 'DeleteItemCommand', DeleteItemCommand],
  ])('sends %s as a %s with the parameters', async (action, name, Command) => {
    const { deps } = dependencies();
    const { client, commands } = recordingClient();
    const services = servicesOf(deps, client);
    const parameters = { TableName: 'orders', Key: { pk: { S: 'order#1' } } };
    await services.dynamodb(action, parameters);
    expect(commands).toEqual([{ name, command: expect.any(Command), input: parameters }]);
  });

  it('answers the output without the response metadata', async () => {
    const { deps } = dependencies();
    const { client } = recordingClient();
    const services = servicesOf(deps, client);
    await expect(services.dynamodb('getItem', { TableName: 'orders' })).resolves.toEqual({
      Item: { pk: { S: 'order#1' } },
    });
  });
});

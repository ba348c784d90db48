import {
  allStates,
  overridesFor,
  TaskError,
  type TaskServices,
  taskHandlerFor,
} from '../../../../local/stepfunctions/task-handlers';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:charge-payment';
const QUEUE_URL = 'http://127.0.0.1:4566/000000000000/orders';
const MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:child';

interface Calls {
  readonly invoke: { name: string; payload: unknown }[];
  readonly putEvents: unknown[][];
  readonly send: { queueUrl: string; body: string; attributes?: Record<string, unknown> }[];
  readonly dynamodb: { action: string; parameters: Record<string, unknown> }[];
  readonly start: { arn: string; input: unknown; name?: string }[];
}

/** Task services that record every call and answer with recognisable values. */
function fakeServices(overrides: Partial<TaskServices> = {}) {
  const calls: Calls = { invoke: [], putEvents: [], send: [], dynamodb: [], start: [] };
  const services: TaskServices = {
    invokeFunction: async (name, payload) => {
      calls.invoke.push({ name, payload });
      return { payload: { handled: payload } };
    },
    putEvents: (entries) => {
      calls.putEvents.push(entries);
      return { FailedEntryCount: 0, Entries: entries.map((_, index) => ({ EventId: `evt-${index}` })) };
    },
    sendMessage: (queueUrl, body, attributes) => {
      calls.send.push({ queueUrl, body, attributes });
      return { MessageId: 'msg-1', MD5OfMessageBody: 'md5-1' };
    },
    dynamodb: async (action, parameters) => {
      calls.dynamodb.push({ action, parameters });
      return { Item: { pk: { S: 'order#1' } } };
    },
    startExecution: (arn, input, name) => {
      calls.start.push({ arn, input, name });
      return { ExecutionArn: `${MACHINE_ARN}:run-1`, StartDate: 1_736_935_200_000 };
    },
    ...overrides,
  };
  return { services, calls };
}

function handlerFor(resource: string, services: TaskServices) {
  const handler = taskHandlerFor(resource, services);
  if (!handler) throw new Error(`expected a handler for ${resource}`);
  return handler;
}

/** The error a handler rejects with, for assertions on its name and message. */
async function rejection(work: Promise<unknown>): Promise<Error> {
  try {
    await work;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error('expected the handler to reject');
}

describe('taskHandlerFor with Lambda resources', () => {
  it('invokes the function named in Parameters and wraps the payload as the lambda:invoke integration does', async () => {
    const { services, calls } = fakeServices();
    const handler = handlerFor('arn:aws:states:::lambda:invoke', services);
    const output = await handler({ FunctionName: FUNCTION_ARN, Payload: { orderId: 'o-1' } });
    expect(calls.invoke).toEqual([{ name: FUNCTION_ARN, payload: { orderId: 'o-1' } }]);
    expect(output).toEqual({
      ExecutedVersion: '$LATEST',
      Payload: { handled: { orderId: 'o-1' } },
      StatusCode: 200,
    });
  });

  it('sends an empty object when the Parameters carry no Payload', async () => {
    const { services, calls } = fakeServices();
    await handlerFor('arn:aws:states:::lambda:invoke', services)({ FunctionName: 'charge-payment' });
    expect(calls.invoke).toEqual([{ name: 'charge-payment', payload: {} }]);
  });

  it('answers a null Payload when the function returns nothing', async () => {
    const { services } = fakeServices({ invokeFunction: async () => ({}) });
    const output = await handlerFor('arn:aws:states:::lambda:invoke', services)({ FunctionName: 'f' });
    expect(output).toMatchObject({ Payload: null });
  });

  it('accepts the integration in other partitions', () => {
    const { services } = fakeServices();
    expect(taskHandlerFor('arn:aws-us-gov:states:::lambda:invoke', services)).toBeInstanceOf(Function);
  });

  it('invokes a bare Lambda ARN with the whole input and returns the payload unwrapped', async () => {
    const { services, calls } = fakeServices();
    const output = await handlerFor(FUNCTION_ARN, services)({ orderId: 'o-2' });
    expect(calls.invoke).toEqual([{ name: FUNCTION_ARN, payload: { orderId: 'o-2' } }]);
    expect(output).toEqual({ handled: { orderId: 'o-2' } });
  });
});

describe('taskHandlerFor error naming', () => {
  it('names the task error after the function error type, with the error as JSON in the cause', async () => {
    const { services } = fakeServices({
      invokeFunction: async () => ({
        error: { errorType: 'PaymentDeclinedError', errorMessage: 'card declined' },
      }),
    });
    const error = await rejection(
      handlerFor('arn:aws:states:::lambda:invoke', services)({ FunctionName: 'f' }),
    );
    expect(error).toBeInstanceOf(TaskError);
    expect(error.name).toBe('PaymentDeclinedError');
    expect(JSON.parse(error.message)).toEqual({
      errorType: 'PaymentDeclinedError',
      errorMessage: 'card declined',
    });
  });

  it('names a function error the same way for a bare Lambda ARN', async () => {
    const { services } = fakeServices({
      invokeFunction: async () => ({ error: { errorType: 'Timeout', errorMessage: 'timed out' } }),
    });
    const error = await rejection(handlerFor(FUNCTION_ARN, services)({}));
    expect(error.name).toBe('Timeout');
  });

  it.each([
    [
      'a throttled invocation',
      Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }),
      'Lambda.TooManyRequestsException',
      'Rate exceeded',
    ],
    [
      'a missing function',
      Object.assign(new Error('Function not found: f'), { name: 'ResourceNotFoundException' }),
      'Lambda.ServiceException',
      'Function not found: f',
    ],
    ['any other failure', new Error('socket hang up'), 'Lambda.ServiceException', 'socket hang up'],
    ['a thrown non-Error value', 'boom', 'Lambda.ServiceException', 'boom'],
  ])('names %s as Step Functions does', async (_, thrown, name, message) => {
    const { services } = fakeServices({
      invokeFunction: async () => {
        throw thrown;
      },
    });
    const error = await rejection(
      handlerFor('arn:aws:states:::lambda:invoke', services)({ FunctionName: 'f' }),
    );
    expect(error).toBeInstanceOf(TaskError);
    expect(error.name).toBe(name);
    expect(error.message).toBe(message);
  });

  it('makes a TaskError an Error whose name and message are the ones given', () => {
    const error = new TaskError('States.Custom', 'the cause');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('States.Custom');
    expect(error.message).toBe('the cause');
  });
});

describe('taskHandlerFor with service integrations', () => {
  it('puts the Entries on the bus and returns the result', async () => {
    const { services, calls } = fakeServices();
    const entries = [{ Source: 'junction.orders', DetailType: 'order.completed', Detail: '{}' }];
    const output = await handlerFor('arn:aws:states:::events:putEvents', services)({ Entries: entries });
    expect(calls.putEvents).toEqual([entries]);
    expect(output).toEqual({ FailedEntryCount: 0, Entries: [{ EventId: 'evt-0' }] });
  });

  it('puts no entries when the Parameters have none', async () => {
    const { services, calls } = fakeServices();
    await handlerFor('arn:aws:states:::events:putEvents', services)({});
    expect(calls.putEvents).toEqual([[]]);
  });

  it('fails with EventBridge.FailedEntry, carrying the result, when an entry is rejected', async () => {
    const result = {
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' }],
    };
    const { services } = fakeServices({ putEvents: () => result });
    const error = await rejection(
      handlerFor('arn:aws:states:::events:putEvents', services)({ Entries: [{}] }),
    );
    expect(error).toBeInstanceOf(TaskError);
    expect(error.name).toBe('EventBridge.FailedEntry');
    expect(JSON.parse(error.message)).toEqual(result);
  });

  it('sends an object MessageBody as JSON, with the message attributes', async () => {
    const { services, calls } = fakeServices();
    const attributes = { kind: { DataType: 'String', StringValue: 'order' } };
    const output = await handlerFor(
      'arn:aws:states:::sqs:sendMessage',
      services,
    )({
      QueueUrl: QUEUE_URL,
      MessageBody: { orderId: 'o-1', total: 12.5 },
      MessageAttributes: attributes,
    });
    expect(calls.send).toEqual([{ queueUrl: QUEUE_URL, body: '{"orderId":"o-1","total":12.5}', attributes }]);
    expect(output).toEqual({ MessageId: 'msg-1', MD5OfMessageBody: 'md5-1' });
  });

  it('sends a string MessageBody as it is', async () => {
    const { services, calls } = fakeServices();
    await handlerFor(
      'arn:aws:states:::sqs:sendMessage',
      services,
    )({
      QueueUrl: QUEUE_URL,
      MessageBody: 'plain text, not JSON',
    });
    expect(calls.send).toEqual([
      { queueUrl: QUEUE_URL, body: 'plain text, not JSON', attributes: undefined },
    ]);
  });

  it.each(['getItem', 'putItem', 'updateItem', 'deleteItem'])(
    'passes dynamodb:%s to the DynamoDB service with its Parameters',
    async (action) => {
      const { services, calls } = fakeServices();
      const parameters = { TableName: 'orders', Key: { pk: { S: 'order#1' } } };
      const output = await handlerFor(`arn:aws:states:::dynamodb:${action}`, services)(parameters);
      expect(calls.dynamodb).toEqual([{ action, parameters }]);
      expect(output).toEqual({ Item: { pk: { S: 'order#1' } } });
    },
  );

  it('starts a child execution with its input and name', async () => {
    const { services, calls } = fakeServices();
    const output = await handlerFor(
      'arn:aws:states:::states:startExecution',
      services,
    )({
      StateMachineArn: MACHINE_ARN,
      Input: { orderId: 'o-1' },
      Name: 'child-1',
    });
    expect(calls.start).toEqual([{ arn: MACHINE_ARN, input: { orderId: 'o-1' }, name: 'child-1' }]);
    expect(output).toEqual({ ExecutionArn: `${MACHINE_ARN}:run-1`, StartDate: 1_736_935_200_000 });
  });

  it('starts a child execution with an empty input and no name when neither is given', async () => {
    const { services, calls } = fakeServices();
    await handlerFor('arn:aws:states:::states:startExecution', services)({ StateMachineArn: MACHINE_ARN });
    expect(calls.start).toEqual([{ arn: MACHINE_ARN, input: {}, name: undefined }]);
  });

  it.each([
    'arn:aws:states:::sns:publish',
    'arn:aws:states:::dynamodb:query',
    'arn:aws:states:::lambda:invoke.waitForTaskToken',
    'arn:aws:states:::states:startExecution.sync',
    'arn:aws:states:::states:startExecution.sync:2',
    'arn:aws:states:::lambda:invoke.sync',
    'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
    'arn:aws:states:::aws-sdk:s3:getObject',
    'arn:aws:states:::events:putEvent',
    'arn:aws:sns:us-east-1:000000000000:alerts',
    'charge-payment',
  ])('has no local handler for %s', (resource) => {
    const { services } = fakeServices();
    expect(taskHandlerFor(resource, services)).toBeUndefined();
  });
});

const PARALLEL_DEFINITION = {
  States: {
    Start: { Type: 'Pass', Next: 'Fan' },
    Fan: {
      Type: 'Parallel',
      Branches: [
        { States: { Charge: { Type: 'Task', Resource: FUNCTION_ARN } } },
        { States: { Notify: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish' } } },
      ],
      Next: 'Items',
    },
    Items: {
      Type: 'Map',
      Iterator: { States: { Ship: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage' } } },
      Next: 'Processor',
    },
    Processor: {
      Type: 'Map',
      ItemProcessor: {
        States: {
          Inner: {
            Type: 'Parallel',
            Branches: [{ States: { Deep: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem' } } }],
          },
        },
      },
    },
  },
} as const;

describe('allStates', () => {
  it('lists every state, depth first, including Parallel branches, Map iterators and item processors', () => {
    expect(allStates(PARALLEL_DEFINITION.States).map(([name]) => name)).toEqual([
      'Start',
      'Fan',
      'Charge',
      'Notify',
      'Items',
      'Ship',
      'Processor',
      'Inner',
      'Deep',
    ]);
  });

  it('pairs each name with its own definition', () => {
    const states = new Map(allStates(PARALLEL_DEFINITION.States));
    expect(states.get('Ship')).toEqual({ Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage' });
  });

  it('lists nothing for a missing States field', () => {
    expect(allStates(undefined)).toEqual([]);
  });
});

describe('overridesFor', () => {
  it('gives every emulated Task, nested ones included, a handler under its state name', async () => {
    const { services, calls } = fakeServices();
    const overrides = overridesFor(PARALLEL_DEFINITION, services, 1);
    expect(Object.keys(overrides.taskResourceLocalHandlers).sort()).toEqual(['Charge', 'Deep', 'Ship']);
    await overrides.taskResourceLocalHandlers.Charge?.({ orderId: 'o-1' });
    expect(calls.invoke).toEqual([{ name: FUNCTION_ARN, payload: { orderId: 'o-1' } }]);
  });

  it('lists the Task resources that run nowhere locally', () => {
    const { services } = fakeServices();
    expect(overridesFor(PARALLEL_DEFINITION, services, 1).unsupported).toEqual([
      'arn:aws:states:::sns:publish',
    ]);
  });

  it('scales Wait seconds to milliseconds, leaving retries to the scaled definition', () => {
    const { services } = fakeServices();
    const overrides = overridesFor(
      {
        States: {
          Pause: { Type: 'Wait', Seconds: 30 },
          Dynamic: { Type: 'Wait' },
          Charge: {
            Type: 'Task',
            Resource: FUNCTION_ARN,
            Retry: [{ IntervalSeconds: 2 }, {}],
          },
        },
      },
      services,
      0.001,
    );
    expect(overrides.waitTimeOverrides).toEqual({ Pause: 30 });
    expect(overrides).not.toHaveProperty('retryIntervalOverrides');
  });

  it('scales the waits of states inside branches', () => {
    const { services } = fakeServices();
    const overrides = overridesFor(
      {
        States: {
          Fan: {
            Type: 'Parallel',
            Retry: [{ IntervalSeconds: 10 }],
            Branches: [{ States: { Hold: { Type: 'Wait', Seconds: 5 } } }],
          },
        },
      },
      services,
      0.5,
    );
    expect(overrides.waitTimeOverrides).toEqual({ Hold: 2500 });
  });

  it('overrides no wait at time scale 1, and still runs the tasks locally', () => {
    const { services } = fakeServices();
    const overrides = overridesFor(
      {
        States: {
          Pause: { Type: 'Wait', Seconds: 30 },
          Charge: { Type: 'Task', Resource: FUNCTION_ARN, Retry: [{ IntervalSeconds: 2 }] },
        },
      },
      services,
      1,
    );
    expect(overrides.waitTimeOverrides).toEqual({});
    expect(Object.keys(overrides.taskResourceLocalHandlers)).toEqual(['Charge']);
  });

  it('ignores a Resource on a state that is not a Task', () => {
    const { services } = fakeServices();
    const overrides = overridesFor(
      { States: { Odd: { Type: 'Pass', Resource: 'arn:aws:states:::sns:publish' } } },
      services,
      1,
    );
    expect(overrides.unsupported).toEqual([]);
    expect(overrides.taskResourceLocalHandlers).toEqual({});
  });
});

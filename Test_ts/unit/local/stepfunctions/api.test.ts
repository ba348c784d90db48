import { PassThrough } from 'node:stream';
import { ConsoleLog } from '../../../../local/runtime/console-log';
import type { ServiceHandler } from '../../../../local/services/aws-protocol';
import { stepFunctionsApi } from '../../../../local/stepfunctions/api';
import { StepFunctions } from '../../../../local/stepfunctions/step-functions';
import type { TaskServices } from '../../../../local/stepfunctions/task-handlers';
import type { StateMachineSpec } from '../../../../local/template/topology-types';
import { callOperation } from '../../../fixtures/local-services/aws-request';

const PREFIX = 'arn:aws:states:us-east-1:000000000000:stateMachine:';
const ORDER_SAGA = `${PREFIX}order-saga`;
const WAITER = `${PREFIX}waiter`;

const MACHINES: StateMachineSpec[] = [
  {
    logicalId: 'OrderSaga',
    name: 'order-saga',
    arn: ORDER_SAGA,
    type: 'STANDARD',
    definition: {
      StartAt: 'Check',
      States: {
        Check: {
          Type: 'Choice',
          Choices: [{ Variable: '$.amount', NumericLessThan: 0, Next: 'Reject' }],
          Default: 'Done',
        },
        Reject: { Type: 'Fail', Error: 'InvalidAmount', Cause: 'amount is negative' },
        Done: { Type: 'Pass', Result: { ok: true }, ResultPath: '$.result', End: true },
      },
    },
  },
  {
    logicalId: 'Waiter',
    name: 'waiter',
    arn: WAITER,
    type: 'EXPRESS',
    definition: { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 3600, End: true } } },
  },
];

const unusedServices = {} as TaskServices;

function api() {
  const stepFunctions = new StepFunctions(
    MACHINES,
    unusedServices,
    new ConsoleLog('quiet', new PassThrough()),
    1,
  );
  return { stepFunctions, handler: stepFunctionsApi(stepFunctions) };
}

const STATES_PROTOCOL = {
  service: 'states',
  targetPrefix: 'AWSStepFunctions',
  contentType: 'application/x-amz-json-1.0',
};

const call = (handler: ServiceHandler, operation: string, body: unknown = {}) =>
  callOperation(handler, STATES_PROTOCOL, operation, body);

/** Starts an execution through the API and waits for it to finish. */
async function run(
  handler: ServiceHandler,
  stepFunctions: StepFunctions,
  input: unknown,
  name?: string,
): Promise<string> {
  const started = await call(handler, 'StartExecution', {
    stateMachineArn: ORDER_SAGA,
    input: JSON.stringify(input),
    name,
  });
  const executionArn = String(started.body.executionArn);
  await stepFunctions.execution(executionArn).done;
  return executionArn;
}

describe('stepFunctionsApi StartExecution', () => {
  it('starts an execution and answers its ARN and start date in epoch seconds', async () => {
    const { handler, stepFunctions } = api();
    const before = Date.now() / 1000;
    const response = await call(handler, 'StartExecution', {
      stateMachineArn: ORDER_SAGA,
      input: '{"amount":5}',
      name: 'order-1',
    });
    expect(response.status).toBe(200);
    expect(response.headers['Content-Type']).toBe('application/x-amz-json-1.0');
    expect(response.body.executionArn).toBe(
      'arn:aws:states:us-east-1:000000000000:execution:order-saga:order-1',
    );
    expect(response.body.startDate).toBeGreaterThanOrEqual(Math.floor(before));
    expect(response.body.startDate).toBeLessThan(before + 60);
    await stepFunctions.execution(String(response.body.executionArn)).done;
  });

  it('starts with {} when no input is given', async () => {
    const { handler, stepFunctions } = api();
    const response = await call(handler, 'StartExecution', { stateMachineArn: ORDER_SAGA });
    const execution = stepFunctions.execution(String(response.body.executionArn));
    await execution.done;
    expect(execution.input).toBe('{}');
  });

  it.each([
    ['an input that is not JSON', { stateMachineArn: ORDER_SAGA, input: '{oops' }, 'InvalidExecutionInput'],
    ['an unknown state machine', { stateMachineArn: `${PREFIX}missing` }, 'StateMachineDoesNotExist'],
    ['an invalid name', { stateMachineArn: ORDER_SAGA, name: 'no spaces allowed' }, 'InvalidName'],
  ])('answers 400 for %s', async (_, body, code) => {
    const { handler } = api();
    const response = await call(handler, 'StartExecution', body);
    expect(response.status).toBe(400);
    expect(response.body.__type).toBe(code);
    expect(response.headers['x-amzn-ErrorType']).toBe(code);
    expect(typeof response.body.message).toBe('string');
  });

  it('answers ExecutionAlreadyExists for a name reused after its execution finished', async () => {
    const { handler, stepFunctions } = api();
    await run(handler, stepFunctions, { amount: 1 }, 'order-1');
    const response = await call(handler, 'StartExecution', {
      stateMachineArn: ORDER_SAGA,
      input: '{"amount":1}',
      name: 'order-1',
    });
    expect(response.status).toBe(400);
    expect(response.body.__type).toBe('ExecutionAlreadyExists');
  });
});

describe('stepFunctionsApi StartSyncExecution and DescribeExecution', () => {
  it('answers a sync execution once it has finished, with its output', async () => {
    const { handler } = api();
    const response = await call(handler, 'StartSyncExecution', {
      stateMachineArn: ORDER_SAGA,
      input: '{"amount":5}',
    });
    expect(response.body).toMatchObject({
      status: 'SUCCEEDED',
      stateMachineArn: ORDER_SAGA,
      input: '{"amount":5}',
    });
    expect(JSON.parse(String(response.body.output))).toEqual({ amount: 5, result: { ok: true } });
    expect(response.body.stopDate).toBeGreaterThanOrEqual(Number(response.body.startDate));
  });

  it('answers a failed sync execution with its error and cause', async () => {
    const { handler } = api();
    const response = await call(handler, 'StartSyncExecution', {
      stateMachineArn: ORDER_SAGA,
      input: '{"amount":-1}',
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'FAILED',
      error: 'InvalidAmount',
      cause: 'amount is negative',
    });
    expect(response.body.output).toBeUndefined();
  });

  it('answers StateMachineDoesNotExist for a sync execution of an unknown machine', async () => {
    const { handler } = api();
    const response = await call(handler, 'StartSyncExecution', { stateMachineArn: `${PREFIX}missing` });
    expect(response.body.__type).toBe('StateMachineDoesNotExist');
  });

  it('describes an execution with its dates in epoch seconds', async () => {
    const { handler, stepFunctions } = api();
    const executionArn = await run(handler, stepFunctions, { amount: 2 }, 'order-2');
    const execution = stepFunctions.execution(executionArn);
    const response = await call(handler, 'DescribeExecution', { executionArn });
    expect(response.body).toEqual({
      executionArn,
      stateMachineArn: ORDER_SAGA,
      name: 'order-2',
      status: 'SUCCEEDED',
      startDate: execution.startDate / 1000,
      stopDate: (execution.stopDate ?? 0) / 1000,
      input: '{"amount":2}',
      output: '{"amount":2,"result":{"ok":true}}',
    });
  });

  it('answers ExecutionDoesNotExist for an unknown execution', async () => {
    const { handler } = api();
    const response = await call(handler, 'DescribeExecution', { executionArn: `${ORDER_SAGA}:nope` });
    expect(response.status).toBe(400);
    expect(response.body.__type).toBe('ExecutionDoesNotExist');
  });
});

describe('stepFunctionsApi ListExecutions', () => {
  it('lists summaries without input, output, error or cause, newest first', async () => {
    const { handler, stepFunctions } = api();
    await run(handler, stepFunctions, { amount: -1 }, 'older');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await run(handler, stepFunctions, { amount: 1 }, 'newer');
    const response = await call(handler, 'ListExecutions', { stateMachineArn: ORDER_SAGA });
    const executions = response.body.executions as Record<string, unknown>[];
    expect(executions.map((execution) => execution.name)).toEqual(['newer', 'older']);
    expect(Object.keys(executions[1] ?? {}).sort()).toEqual([
      'executionArn',
      'name',
      'startDate',
      'stateMachineArn',
      'status',
      'stopDate',
    ]);
  });

  it('filters by state machine and status, and limits to maxResults', async () => {
    const { handler, stepFunctions } = api();
    await run(handler, stepFunctions, { amount: -1 }, 'failed');
    await run(handler, stepFunctions, { amount: 1 }, 'ok-1');
    await run(handler, stepFunctions, { amount: 1 }, 'ok-2');
    const names = async (body: Record<string, unknown>) =>
      ((await call(handler, 'ListExecutions', body)).body.executions as { name: string }[]).map(
        (execution) => execution.name,
      );
    expect(await names({ stateMachineArn: ORDER_SAGA, statusFilter: 'FAILED' })).toEqual(['failed']);
    expect(await names({ stateMachineArn: WAITER })).toEqual([]);
    expect(await names({ stateMachineArn: ORDER_SAGA, maxResults: 2 })).toHaveLength(2);
    expect(await names({})).toHaveLength(3);
  });
});

describe('stepFunctionsApi GetExecutionHistory', () => {
  it('answers the events in order with timestamps in epoch seconds', async () => {
    const { handler, stepFunctions } = api();
    const executionArn = await run(handler, stepFunctions, { amount: 1 });
    const history = stepFunctions.execution(executionArn).history;
    const response = await call(handler, 'GetExecutionHistory', { executionArn });
    const events = response.body.events as { id: number; type: string; timestamp: number }[];
    expect(events.map((event) => event.id)).toEqual(history.map((event) => event.id));
    expect(events[0]).toMatchObject({ type: 'ExecutionStarted', previousEventId: 0 });
    expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
    expect(events.map((event) => event.timestamp)).toEqual(history.map((event) => event.timestamp / 1000));
  });

  it('answers the newest event first with reverseOrder', async () => {
    const { handler, stepFunctions } = api();
    const executionArn = await run(handler, stepFunctions, { amount: 1 });
    const response = await call(handler, 'GetExecutionHistory', { executionArn, reverseOrder: true });
    const events = response.body.events as { id: number; type: string }[];
    expect(events[0]?.type).toBe('ExecutionSucceeded');
    expect(events.map((event) => event.id)).toEqual(
      stepFunctions
        .execution(executionArn)
        .history.map((event) => event.id)
        .reverse(),
    );
  });

  it('keeps the recorded history in order after a reversed read', async () => {
    const { handler, stepFunctions } = api();
    const executionArn = await run(handler, stepFunctions, { amount: 1 });
    await call(handler, 'GetExecutionHistory', { executionArn, reverseOrder: true });
    expect(stepFunctions.execution(executionArn).history[0]?.type).toBe('ExecutionStarted');
  });

  it('answers ExecutionDoesNotExist for an unknown execution', async () => {
    const { handler } = api();
    const response = await call(handler, 'GetExecutionHistory', { executionArn: `${ORDER_SAGA}:nope` });
    expect(response.body.__type).toBe('ExecutionDoesNotExist');
  });
});

describe('stepFunctionsApi StopExecution', () => {
  it('stops a running execution and answers the stop date in epoch seconds', async () => {
    const { handler, stepFunctions } = api();
    const started = await call(handler, 'StartExecution', { stateMachineArn: WAITER, name: 'long' });
    const executionArn = String(started.body.executionArn);
    const before = Date.now() / 1000;
    const response = await call(handler, 'StopExecution', {
      executionArn,
      error: 'Cancelled',
      cause: 'test',
    });
    expect(response.status).toBe(200);
    expect(response.body.stopDate).toBeGreaterThanOrEqual(Math.floor(before));
    expect(response.body.stopDate).toBeLessThan(before + 60);
    await stepFunctions.execution(executionArn).done;
    const described = await call(handler, 'DescribeExecution', { executionArn });
    expect(described.body.status).toBe('ABORTED');
  });

  it('answers ExecutionDoesNotExist for an unknown execution', async () => {
    const { handler } = api();
    const response = await call(handler, 'StopExecution', { executionArn: `${WAITER}:nope` });
    expect(response.body.__type).toBe('ExecutionDoesNotExist');
  });
});

describe('stepFunctionsApi state machines and unknown operations', () => {
  it('lists the state machines with their type', async () => {
    const { handler } = api();
    const response = await call(handler, 'ListStateMachines');
    expect(response.body).toEqual({
      stateMachines: [
        { stateMachineArn: ORDER_SAGA, name: 'order-saga', type: 'STANDARD' },
        { stateMachineArn: WAITER, name: 'waiter', type: 'EXPRESS' },
      ],
    });
  });

  it('describes a state machine with its definition as JSON text', async () => {
    const { handler } = api();
    const response = await call(handler, 'DescribeStateMachine', { stateMachineArn: WAITER });
    expect(response.body).toMatchObject({
      stateMachineArn: WAITER,
      name: 'waiter',
      type: 'EXPRESS',
      status: 'ACTIVE',
    });
    expect(JSON.parse(String(response.body.definition))).toEqual(MACHINES[1]?.definition);
  });

  it('answers StateMachineDoesNotExist for an unknown state machine', async () => {
    const { handler } = api();
    const response = await call(handler, 'DescribeStateMachine', { stateMachineArn: `${PREFIX}missing` });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      __type: 'StateMachineDoesNotExist',
      message: `State Machine Does Not Exist: '${PREFIX}missing'`,
    });
  });

  it('answers UnknownOperationException for an operation it does not serve', async () => {
    const { handler } = api();
    const response = await call(handler, 'CreateStateMachine', { name: 'x' });
    expect(response.status).toBe(400);
    expect(response.body.__type).toBe('UnknownOperationException');
  });

  it('answers SerializationException for a body that is not a JSON object', async () => {
    const { handler } = api();
    const response = await call(handler, 'DescribeExecution', '[1, 2]');
    expect(response.body.__type).toBe('SerializationException');
  });
});

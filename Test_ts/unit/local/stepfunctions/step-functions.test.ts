import { PassThrough } from 'node:stream';
import { ConsoleLog } from '../../../../local/runtime/console-log';
import {
  type Execution,
  StepFunctions,
  StepFunctionsError,
} from '../../../../local/stepfunctions/step-functions';
import type { TaskServices } from '../../../../local/stepfunctions/task-handlers';
import type { StateMachineSpec } from '../../../../local/template/topology-types';

const PREFIX = 'arn:aws:states:us-east-1:000000000000:stateMachine:';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:charge-payment';

type Invoke = TaskServices['invokeFunction'];

function spec(name: string, definition: Record<string, unknown>): StateMachineSpec {
  return { logicalId: name, name, arn: `${PREFIX}${name}`, type: 'STANDARD', definition };
}

const task = (extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: FUNCTION_ARN, 'Payload.$': '$' },
  ResultSelector: { 'result.$': '$.Payload' },
  ...extra,
});

const MACHINES = [
  spec('pass', {
    StartAt: 'Greet',
    States: {
      Greet: { Type: 'Pass', Result: 'hello', ResultPath: '$.greeting', Next: 'Done' },
      Done: { Type: 'Succeed' },
    },
  }),
  spec('task', { StartAt: 'Charge', States: { Charge: task({ End: true }) } }),
  spec('choice', {
    StartAt: 'Route',
    States: {
      Route: {
        Type: 'Choice',
        Choices: [{ Variable: '$.amount', NumericGreaterThan: 100, Next: 'Review' }],
        Default: 'Auto',
      },
      Review: { Type: 'Pass', Result: 'review', End: true },
      Auto: { Type: 'Pass', Result: 'auto', End: true },
    },
  }),
  spec('fail', {
    StartAt: 'Reject',
    States: { Reject: { Type: 'Fail', Error: 'OrderRejected', Cause: 'amount over the limit' } },
  }),
  spec('retry', {
    StartAt: 'Charge',
    States: {
      Charge: task({ Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 5, MaxAttempts: 2 }], End: true }),
    },
  }),
  spec('catch', {
    StartAt: 'Charge',
    States: {
      Charge: task({
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Refund' }],
        End: true,
      }),
      Refund: { Type: 'Pass', End: true },
    },
  }),
  spec('parallel', {
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'A', States: { A: { Type: 'Pass', Result: 'a', End: true } } },
          { StartAt: 'B', States: { B: task({ End: true }) } },
        ],
        End: true,
      },
    },
  }),
  spec('wait', { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 30, End: true } } }),
];

const echo: Invoke = async (_name, payload) => ({ payload: { echoed: payload } });

/**
 * A StepFunctions with the named machines of MACHINES (building each one validates its definition,
 * which takes a while), whose Lambda tasks call `invoke`; other services are never reached here.
 */
function stepFunctions(names: readonly string[], invoke: Invoke = echo, timeScale = 0.001) {
  const invocations: unknown[] = [];
  const services: TaskServices = {
    invokeFunction: (name, payload) => {
      invocations.push(payload);
      return invoke(name, payload);
    },
    putEvents: () => ({ FailedEntryCount: 0, Entries: [] }),
    sendMessage: () => ({ MessageId: 'm', MD5OfMessageBody: 'md5' }),
    dynamodb: async () => ({}),
    startExecution: () => ({ ExecutionArn: 'arn', StartDate: 0 }),
  };
  const out = new PassThrough();
  const written: string[] = [];
  out.on('data', (chunk: Buffer) => written.push(chunk.toString()));
  const machines = MACHINES.filter((machine) => names.includes(machine.name));
  const instance = new StepFunctions(machines, services, new ConsoleLog('quiet', out), timeScale);
  return { instance, invocations, written };
}

async function finished(execution: Execution): Promise<Execution> {
  await execution.done;
  return execution;
}

describe('StepFunctions executions that succeed', () => {
  it('runs Pass states and records the output and the stop date', async () => {
    const { instance } = stepFunctions(['pass']);
    const execution = await finished(instance.start(`${PREFIX}pass`, { orderId: 'o-1' }, 'run-1'));
    expect(execution).toMatchObject({
      executionArn: 'arn:aws:states:us-east-1:000000000000:execution:pass:run-1',
      stateMachineArn: `${PREFIX}pass`,
      name: 'run-1',
      status: 'SUCCEEDED',
      input: '{"orderId":"o-1"}',
    });
    expect(JSON.parse(execution.output ?? '')).toEqual({ orderId: 'o-1', greeting: 'hello' });
    expect(execution.stopDate).toBeGreaterThanOrEqual(execution.startDate);
  });

  it('is RUNNING as soon as it starts', () => {
    const { instance } = stepFunctions(['pass']);
    expect(instance.start(`${PREFIX}pass`, {}).status).toBe('RUNNING');
  });

  it('names an execution with a UUID when no name is given, and treats a missing input as {}', async () => {
    const { instance } = stepFunctions(['pass']);
    const execution = await finished(instance.start(`${PREFIX}pass`, undefined));
    expect(execution.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(execution.input).toBe('{}');
  });

  it('calls the local function for a Task and passes its result on', async () => {
    const { instance, invocations } = stepFunctions(['task']);
    const execution = await finished(instance.start(`${PREFIX}task`, { amount: 5 }));
    expect(invocations).toEqual([{ amount: 5 }]);
    expect(JSON.parse(execution.output ?? '')).toEqual({ result: { echoed: { amount: 5 } } });
  });

  it('follows the Choice rule that matches, or the default', async () => {
    const { instance } = stepFunctions(['choice']);
    const high = await finished(instance.start(`${PREFIX}choice`, { amount: 500 }));
    const low = await finished(instance.start(`${PREFIX}choice`, { amount: 5 }));
    expect(high.output).toBe('"review"');
    expect(low.output).toBe('"auto"');
  });

  it('collects the outputs of Parallel branches in order', async () => {
    const { instance } = stepFunctions(['parallel']);
    const execution = await finished(instance.start(`${PREFIX}parallel`, { n: 1 }));
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '')).toEqual(['a', { result: { echoed: { n: 1 } } }]);
  });

  it('finishes a 30 second Wait quickly at time scale 0.001', async () => {
    const { instance } = stepFunctions(['wait']);
    const started = Date.now();
    const execution = await finished(instance.start(`${PREFIX}wait`, {}));
    expect(execution.status).toBe('SUCCEEDED');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('writes nothing to a quiet console', async () => {
    const { instance, written } = stepFunctions(['pass']);
    await finished(instance.start(`${PREFIX}pass`, {}));
    expect(written).toEqual([]);
  });
});

describe('StepFunctions executions that fail', () => {
  it('takes the error and cause of a Fail state', async () => {
    const { instance } = stepFunctions(['fail']);
    const execution = await finished(instance.start(`${PREFIX}fail`, {}));
    expect(execution).toMatchObject({
      status: 'FAILED',
      error: 'OrderRejected',
      cause: 'amount over the limit',
    });
    expect(execution.output).toBeUndefined();
    expect(execution.stopDate).toBeDefined();
  });

  it('takes the error type and the error as JSON from an uncaught task error', async () => {
    const { instance } = stepFunctions(['task'], async () => ({
      error: { errorType: 'PaymentDeclinedError', errorMessage: 'card declined' },
    }));
    const execution = await finished(instance.start(`${PREFIX}task`, {}));
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('PaymentDeclinedError');
    expect(JSON.parse(execution.cause ?? '')).toEqual({
      errorType: 'PaymentDeclinedError',
      errorMessage: 'card declined',
    });
  });

  it('names a throttled invocation Lambda.TooManyRequestsException', async () => {
    const { instance } = stepFunctions(['task'], async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    });
    const execution = await finished(instance.start(`${PREFIX}task`, {}));
    expect(execution).toMatchObject({ status: 'FAILED', error: 'Lambda.TooManyRequestsException' });
  });

  it('retries a task that fails a first time, then succeeds', async () => {
    let calls = 0;
    const { instance } = stepFunctions(['retry'], async () => {
      calls += 1;
      return calls === 1 ? { error: { errorType: 'Flaky', errorMessage: 'try again' } } : { payload: 'ok' };
    });
    const execution = await finished(instance.start(`${PREFIX}retry`, {}));
    expect(calls).toBe(2);
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toBe('{"result":"ok"}');
    expect(execution.history.find((event) => event.type === 'TaskFailed')).toMatchObject({
      taskFailedEventDetails: { resource: 'Charge', error: 'Flaky' },
    });
  });

  it('fails once the retries are used up', async () => {
    const { instance, invocations } = stepFunctions(['retry'], async () => ({
      error: { errorType: 'Flaky', errorMessage: 'still failing' },
    }));
    const execution = await finished(instance.start(`${PREFIX}retry`, {}));
    expect(invocations).toHaveLength(3);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'Flaky' });
  });

  it('does not retry an error the retrier does not name', async () => {
    const { instance, invocations } = stepFunctions(['retry'], async () => ({
      error: { errorType: 'Fatal', errorMessage: 'no' },
    }));
    const execution = await finished(instance.start(`${PREFIX}retry`, {}));
    expect(invocations).toHaveLength(1);
    expect(execution.error).toBe('Fatal');
  });

  it('catches a task error and goes on with the error at the ResultPath', async () => {
    const { instance } = stepFunctions(['catch'], async () => ({
      error: { errorType: 'PaymentDeclinedError', errorMessage: 'card declined' },
    }));
    const execution = await finished(instance.start(`${PREFIX}catch`, { orderId: 'o-1' }));
    expect(execution.status).toBe('SUCCEEDED');
    const output = JSON.parse(execution.output ?? '') as {
      orderId: string;
      failure: { Error: string; Cause: string };
    };
    expect(output.orderId).toBe('o-1');
    expect(output.failure.Error).toBe('PaymentDeclinedError');
    expect(JSON.parse(output.failure.Cause)).toEqual({
      errorType: 'PaymentDeclinedError',
      errorMessage: 'card declined',
    });
  });
});

/** An invoke that stays pending until released, to keep executions running. */
function heldInvoke() {
  const releases: (() => void)[] = [];
  const invoke: Invoke = () =>
    new Promise((resolve) => {
      releases.push(() => resolve({ payload: 'released' }));
    });
  const releaseAll = () => {
    for (const release of releases.splice(0)) release();
  };
  return { invoke, releaseAll };
}

describe('StepFunctions execution names', () => {
  it.each([
    ['an empty name', ''],
    ['a name with a space', 'my run'],
    ['a name with a slash', 'a/b'],
    ['a name with a colon', 'a:b'],
    ['a name with braces', 'a{b}'],
    ['a name with a wildcard', 'run*'],
    ['a name of 81 characters', 'x'.repeat(81)],
    ['a name with a NUL', 'a\u0000b'],
    ['a name with a tab', 'a\tb'],
    ['a name with DEL', 'a\u007fb'],
    ['a name with a C1 control', 'a\u0085b'],
  ])('rejects %s as InvalidName', (_, name) => {
    const { instance } = stepFunctions(['pass']);
    expect(() => instance.start(`${PREFIX}pass`, {}, name)).toThrow(
      expect.objectContaining({ code: 'InvalidName', name: 'InvalidName' }),
    );
  });

  it('accepts a name of 80 characters with dashes and underscores', async () => {
    const { instance } = stepFunctions(['pass']);
    const name = `run_${'x'.repeat(72)}-0-0`;
    expect(name).toHaveLength(80);
    expect((await finished(instance.start(`${PREFIX}pass`, {}, name))).status).toBe('SUCCEEDED');
  });

  it('answers the same execution for the same name and input while it runs', async () => {
    const { invoke, releaseAll } = heldInvoke();
    const { instance } = stepFunctions(['task'], invoke);
    const first = instance.start(`${PREFIX}task`, { a: 1 }, 'order-1');
    const second = instance.start(`${PREFIX}task`, { a: 1 }, 'order-1');
    expect(second).toBe(first);
    releaseAll();
    await first.done;
    expect(instance.list()).toHaveLength(1);
  });

  it('refuses the same name with another input while it runs', async () => {
    const { invoke, releaseAll } = heldInvoke();
    const { instance } = stepFunctions(['task'], invoke);
    const first = instance.start(`${PREFIX}task`, { a: 1 }, 'order-1');
    expect(() => instance.start(`${PREFIX}task`, { a: 2 }, 'order-1')).toThrow(
      expect.objectContaining({ code: 'ExecutionAlreadyExists' }),
    );
    releaseAll();
    await first.done;
  });

  it('refuses a name reused after its execution finished, even with the same input', async () => {
    const { instance } = stepFunctions(['pass']);
    await finished(instance.start(`${PREFIX}pass`, { a: 1 }, 'order-1'));
    expect(() => instance.start(`${PREFIX}pass`, { a: 1 }, 'order-1')).toThrow(
      expect.objectContaining({ code: 'ExecutionAlreadyExists' }),
    );
  });

  it('allows the same name on another state machine', async () => {
    const { instance } = stepFunctions(['pass', 'choice']);
    await finished(instance.start(`${PREFIX}pass`, {}, 'order-1'));
    expect((await finished(instance.start(`${PREFIX}choice`, { amount: 1 }, 'order-1'))).status).toBe(
      'SUCCEEDED',
    );
  });
});

describe('StepFunctions lookups', () => {
  it('refuses to start an unknown state machine with StateMachineDoesNotExist', () => {
    const { instance } = stepFunctions(['pass']);
    let caught: unknown;
    try {
      instance.start(`${PREFIX}missing`, {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StepFunctionsError);
    expect(caught).toMatchObject({ code: 'StateMachineDoesNotExist' });
  });

  it('answers ExecutionDoesNotExist for an unknown execution', () => {
    const { instance } = stepFunctions(['pass']);
    expect(() => instance.execution(`${PREFIX}pass:nope`)).toThrow(
      expect.objectContaining({ code: 'ExecutionDoesNotExist' }),
    );
  });

  it('finds an execution by its ARN', async () => {
    const { instance } = stepFunctions(['pass']);
    const execution = instance.start(`${PREFIX}pass`, {}, 'find-me');
    expect(instance.execution(execution.executionArn)).toBe(execution);
    await execution.done;
  });

  it('lists the specs of its state machines and finds one by ARN', () => {
    const { instance } = stepFunctions(['pass', 'fail']);
    expect(instance.specs().map((machine) => machine.name)).toEqual(['pass', 'fail']);
    expect(instance.spec(`${PREFIX}fail`)?.name).toBe('fail');
    expect(instance.spec(`${PREFIX}missing`)).toBeUndefined();
  });

  it('refuses an invalid definition when it is built', () => {
    expect(
      () =>
        new StepFunctions(
          [spec('broken', { StartAt: 'Nowhere', States: {} })],
          {} as TaskServices,
          new ConsoleLog('quiet', new PassThrough()),
          1,
        ),
    ).toThrow(/definition is invalid/);
  });
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('StepFunctions list', () => {
  it('lists executions newest first, filtered by state machine and by status', async () => {
    const { instance } = stepFunctions(['pass', 'fail']);
    const failed = await finished(instance.start(`${PREFIX}fail`, {}, 'first'));
    await pause(5);
    const passed = await finished(instance.start(`${PREFIX}pass`, {}, 'second'));
    await pause(5);
    const newest = await finished(instance.start(`${PREFIX}pass`, {}, 'third'));
    expect(instance.list().map((execution) => execution.name)).toEqual(['third', 'second', 'first']);
    expect(instance.list(`${PREFIX}pass`)).toEqual([newest, passed]);
    expect(instance.list(undefined, 'FAILED')).toEqual([failed]);
    expect(instance.list(`${PREFIX}pass`, 'FAILED')).toEqual([]);
  });
});

describe('StepFunctions stop and shutdown', () => {
  it('aborts a running execution and records ExecutionAborted last', async () => {
    const { instance } = stepFunctions(['wait'], undefined, 1);
    const execution = instance.start(`${PREFIX}wait`, {});
    const before = Date.now();
    const stopDate = instance.stop(execution.executionArn, 'Cancelled', 'by the operator');
    expect(stopDate).toBeGreaterThanOrEqual(before);
    await execution.done;
    expect(execution.status).toBe('ABORTED');
    expect(execution.stopDate).toBeDefined();
    expect(execution.history.at(-1)?.type).toBe('ExecutionAborted');
  });

  it('keeps the error and cause given to StopExecution', async () => {
    const { instance } = stepFunctions(['wait'], undefined, 1);
    const execution = instance.start(`${PREFIX}wait`, {});
    instance.stop(execution.executionArn, 'Cancelled', 'by the operator');
    await execution.done;
    expect(execution).toMatchObject({ status: 'ABORTED', error: 'Cancelled', cause: 'by the operator' });
  });

  it('leaves error and cause empty when StopExecution gives none', async () => {
    const { instance } = stepFunctions(['wait'], undefined, 1);
    const execution = instance.start(`${PREFIX}wait`, {});
    instance.stop(execution.executionArn);
    await execution.done;
    expect(execution.status).toBe('ABORTED');
    expect(execution.error).toBeUndefined();
    expect(execution.cause).toBeUndefined();
  });

  it('leaves a finished execution as it was', async () => {
    const { instance } = stepFunctions(['fail']);
    const execution = await finished(instance.start(`${PREFIX}fail`, {}));
    instance.stop(execution.executionArn, 'Late', 'too late');
    expect(execution).toMatchObject({
      status: 'FAILED',
      error: 'OrderRejected',
      cause: 'amount over the limit',
    });
  });

  it('answers ExecutionDoesNotExist when stopping an unknown execution', () => {
    const { instance } = stepFunctions(['wait']);
    expect(() => instance.stop(`${PREFIX}wait:nope`)).toThrow(
      expect.objectContaining({ code: 'ExecutionDoesNotExist' }),
    );
  });

  it('aborts every running execution on shutdown, and only those', async () => {
    const { instance } = stepFunctions(['pass', 'wait'], undefined, 1);
    const done = await finished(instance.start(`${PREFIX}pass`, {}));
    const waiting = [instance.start(`${PREFIX}wait`, {}), instance.start(`${PREFIX}wait`, {})];
    instance.shutdown();
    await Promise.all(waiting.map((execution) => execution.done));
    expect(waiting.map((execution) => execution.status)).toEqual(['ABORTED', 'ABORTED']);
    expect(done.status).toBe('SUCCEEDED');
  });
});

describe('StepFunctions history', () => {
  it('numbers events from 1, each pointing at the one before', async () => {
    const { instance } = stepFunctions(['pass']);
    const execution = await finished(instance.start(`${PREFIX}pass`, { a: 1 }));
    expect(execution.history.map((event) => [event.id, event.previousEventId])).toEqual(
      execution.history.map((_, index) => [index + 1, index]),
    );
  });

  it('records the execution from start to success with each state entered and exited', async () => {
    const { instance } = stepFunctions(['pass']);
    const execution = await finished(instance.start(`${PREFIX}pass`, { a: 1 }));
    expect(execution.history.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(execution.history[0]).toMatchObject({ executionStartedEventDetails: { input: '{"a":1}' } });
    const timestamps = execution.history.map((event) => event.timestamp);
    expect(timestamps).toEqual([...timestamps].sort((a, b) => a - b));
    expect(timestamps[0]).toBeGreaterThanOrEqual(execution.startDate);
  });

  it('ends the history of a failed execution with ExecutionFailed', async () => {
    const { instance } = stepFunctions(['fail']);
    const execution = await finished(instance.start(`${PREFIX}fail`, {}));
    expect(execution.history.at(-1)).toMatchObject({
      type: 'ExecutionFailed',
      executionFailedEventDetails: { error: 'OrderRejected', cause: 'amount over the limit' },
    });
  });

  it('records the branches of a Parallel state', async () => {
    const { instance } = stepFunctions(['parallel']);
    const execution = await finished(instance.start(`${PREFIX}parallel`, {}));
    const types = execution.history.map((event) => event.type);
    expect(types.filter((type) => type === 'ParallelStateStarted')).toHaveLength(2);
    expect(types.filter((type) => type === 'ParallelStateSucceeded')).toHaveLength(2);
  });
});

describe('StepFunctions with Task resources it does not emulate', () => {
  it('says so on the console once, when the machine is loaded, naming the resources', async () => {
    const written: string[] = [];
    const out = new PassThrough();
    out.on('data', (chunk: Buffer) => written.push(chunk.toString()));
    const instance = new StepFunctions(
      [
        spec('mixed', {
          StartAt: 'Route',
          States: {
            Route: {
              Type: 'Choice',
              Choices: [{ Variable: '$.publish', BooleanEquals: true, Next: 'Publish' }],
              Default: 'Done',
            },
            Publish: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', End: true },
            Done: { Type: 'Succeed' },
          },
        }),
      ],
      {} as TaskServices,
      new ConsoleLog('json', out),
      1,
    );
    const execution = await finished(instance.start(`${PREFIX}mixed`, { publish: false }));
    expect(execution.status).toBe('SUCCEEDED');
    const lines = written
      .join('')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ component: 'states', resources: ['arn:aws:states:::sns:publish'] });
    expect(lines.at(-1)).toMatchObject({ message: 'Execution succeeded', machine: 'mixed' });
  });
});

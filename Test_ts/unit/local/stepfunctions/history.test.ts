import { historyDetails } from '../../../../local/stepfunctions/history';

const AT = 1_736_935_200_000;

describe('historyDetails for execution events', () => {
  it('records ExecutionStarted with the input as JSON text', () => {
    expect(historyDetails({ type: 'ExecutionStarted', timestamp: AT, input: { orderId: 'o-1' } })).toEqual([
      {
        type: 'ExecutionStarted',
        details: { executionStartedEventDetails: { input: '{"orderId":"o-1"}' } },
      },
    ]);
  });

  it('records a missing input as the JSON null', () => {
    expect(historyDetails({ type: 'ExecutionStarted', timestamp: AT })).toEqual([
      { type: 'ExecutionStarted', details: { executionStartedEventDetails: { input: 'null' } } },
    ]);
  });

  it('records ExecutionSucceeded with the output as JSON text', () => {
    expect(historyDetails({ type: 'ExecutionSucceeded', timestamp: AT, output: [1, 'two'] })).toEqual([
      { type: 'ExecutionSucceeded', details: { executionSucceededEventDetails: { output: '[1,"two"]' } } },
    ]);
  });

  it('records ExecutionFailed with its error and a text cause kept as it is', () => {
    expect(
      historyDetails({ type: 'ExecutionFailed', timestamp: AT, Error: 'OrderRejected', Cause: 'bad order' }),
    ).toEqual([
      {
        type: 'ExecutionFailed',
        details: { executionFailedEventDetails: { error: 'OrderRejected', cause: 'bad order' } },
      },
    ]);
  });

  it('records a cause that is not text as JSON', () => {
    const [event] = historyDetails({
      type: 'ExecutionFailed',
      timestamp: AT,
      Error: 'States.Runtime',
      Cause: { reason: 'x' },
    });
    expect(event?.details).toEqual({
      executionFailedEventDetails: { error: 'States.Runtime', cause: '{"reason":"x"}' },
    });
  });

  it('records ExecutionAborted with no details', () => {
    expect(historyDetails({ type: 'ExecutionAborted', timestamp: AT })).toEqual([
      { type: 'ExecutionAborted', details: {} },
    ]);
  });

  it('records the library ExecutionTimeout as the ExecutionTimedOut history event', () => {
    expect(historyDetails({ type: 'ExecutionTimeout', timestamp: AT })).toEqual([
      { type: 'ExecutionTimedOut', details: {} },
    ]);
  });
});

describe('historyDetails for state events', () => {
  it.each(['Task', 'Pass', 'Choice', 'Wait', 'Parallel', 'Map', 'Succeed', 'Fail'])(
    'names the entered event after a %s state, with its name and input',
    (stateType) => {
      expect(
        historyDetails({
          type: 'StateEntered',
          timestamp: AT,
          state: { name: 'Step', type: stateType, input: { a: 1 } },
        }),
      ).toEqual([
        {
          type: `${stateType}StateEntered`,
          details: { stateEnteredEventDetails: { name: 'Step', input: '{"a":1}' } },
        },
      ]);
    },
  );

  it('names the exited event after the state type, with its name and output', () => {
    expect(
      historyDetails({
        type: 'StateExited',
        timestamp: AT,
        state: { name: 'Charge', type: 'Task', input: {}, output: { charged: true } },
      }),
    ).toEqual([
      {
        type: 'TaskStateExited',
        details: { stateExitedEventDetails: { name: 'Charge', output: '{"charged":true}' } },
      },
    ]);
  });

  it('records a failed Task state as TaskFailed with its error and cause', () => {
    expect(
      historyDetails({
        type: 'StateFailed',
        timestamp: AT,
        Error: 'PaymentDeclinedError',
        Cause: '{"errorType":"PaymentDeclinedError"}',
        state: { name: 'Charge', type: 'Task', input: {} },
      }),
    ).toEqual([
      {
        type: 'TaskFailed',
        details: {
          taskFailedEventDetails: {
            resourceType: 'local',
            resource: 'Charge',
            error: 'PaymentDeclinedError',
            cause: '{"errorType":"PaymentDeclinedError"}',
          },
        },
      },
    ]);
  });

  it('names a Task failure without an error States.TaskFailed', () => {
    const [event] = historyDetails({
      type: 'StateFailed',
      timestamp: AT,
      Cause: 'gone',
      state: { name: 'Charge', type: 'Task', input: {} },
    });
    expect(event?.details).toMatchObject({
      taskFailedEventDetails: { error: 'States.TaskFailed', cause: 'gone' },
    });
  });

  it.each(['Pass', 'Choice', 'Wait', 'Parallel', 'Map'])(
    'records nothing for a failed %s state',
    (stateType) => {
      expect(
        historyDetails({
          type: 'StateFailed',
          timestamp: AT,
          Error: 'States.Runtime',
          Cause: 'x',
          state: { name: 'Step', type: stateType, input: {} },
        }),
      ).toEqual([]);
    },
  );

  it('records nothing for a retried Task (its StateFailed already recorded the TaskFailed)', () => {
    expect(
      historyDetails({
        type: 'StateRetried',
        timestamp: AT,
        state: { name: 'Charge', type: 'Task', input: {} },
      }),
    ).toEqual([]);
  });

  it('records nothing for a retried state that is not a Task', () => {
    expect(
      historyDetails({
        type: 'StateRetried',
        timestamp: AT,
        state: { name: 'Fan', type: 'Parallel', input: {} },
      }),
    ).toEqual([]);
  });

  it('records nothing for a caught error (the state then exits normally)', () => {
    expect(
      historyDetails({
        type: 'StateCaught',
        timestamp: AT,
        state: { name: 'Charge', type: 'Task', input: {} },
      }),
    ).toEqual([]);
  });
});

describe('historyDetails for Map and Parallel events', () => {
  it.each(['MapIterationStarted', 'MapIterationSucceeded', 'MapIterationFailed'])(
    'records %s with the iteration index',
    (type) => {
      expect(historyDetails({ type, timestamp: AT, index: 2 })).toEqual([
        { type, details: { mapIterationEventDetails: { index: 2 } } },
      ]);
    },
  );

  it.each([
    ['ParallelBranchStarted', 'ParallelStateStarted'],
    ['ParallelBranchSucceeded', 'ParallelStateSucceeded'],
    ['ParallelBranchFailed', 'ParallelStateFailed'],
  ])('records %s as %s', (type, recorded) => {
    expect(historyDetails({ type, timestamp: AT })).toEqual([{ type: recorded, details: {} }]);
  });

  it('records nothing for an event type it does not know', () => {
    expect(historyDetails({ type: 'SomethingNew', timestamp: AT })).toEqual([]);
  });
});

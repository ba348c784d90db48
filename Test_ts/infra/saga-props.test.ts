import { Duration } from 'aws-cdk-lib';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Saga, type SagaProps, type SagaStep } from '../../lib/orchestration/saga';
import { lambda } from '../fixtures/orchestration/order-saga';
import { testStack } from '../support/stacks';

describe('Saga: fails if', () => {
  const build = (props: Partial<SagaProps>, step: Partial<SagaStep> = {}) => {
    const stack = testStack();
    const fn = lambda(stack, 'Fn');
    const undo = lambda(stack, 'Undo');
    return () =>
      new Saga(stack, 'Saga', {
        steps: [{ id: 'first', task: fn, compensation: undo, ...step }],
        ...props,
      });
  };

  it('there are no steps', () => {
    expect(build({ steps: [] })).toThrow('A saga needs at least one step');
  });

  it('two steps share an id', () => {
    const stack = testStack();
    const fn = lambda(stack, 'Fn');
    expect(
      () =>
        new Saga(stack, 'Saga', {
          steps: [
            { id: 'charge', task: fn },
            { id: 'charge', task: fn },
          ],
        }),
    ).toThrow('Saga step id "charge" is used twice');
  });

  it.each(['send-email', '1charge', '', 'a'.repeat(41), 'with space'])('a step id is %j', (id) => {
    expect(build({}, { id })).toThrow(
      `Saga step id "${id}" must be a letter then up to 39 letters, digits or _`,
    );
  });

  it.each(['SagaFailed', 'SagaSucceeded', 'SagaCompensationFailed'])(
    'a step id is the state name %s',
    (id) => {
      expect(build({}, { id })).toThrow(`Saga step id "${id}" is the name of a state the saga adds`);
    },
  );

  it('a step that may fail has a compensation', () => {
    expect(build({}, { onFailure: 'continue' })).toThrow(
      'Saga step "first": a step with onFailure "continue" has no compensation (its failure never compensates)',
    );
  });

  it.each([
    [{ maxAttempts: -1 }, 'maxAttempts must be a whole number from 0 to 99999999, got -1'],
    [{ maxAttempts: 1.5 }, 'maxAttempts must be a whole number from 0 to 99999999, got 1.5'],
    [
      { interval: Duration.millis(1500) },
      'interval must be a whole number of seconds, at least 1, got 1.5 seconds',
    ],
    [
      { interval: Duration.seconds(0) },
      'interval must be a whole number of seconds, at least 1, got 0 seconds',
    ],
    [{ backoffRate: 0.5 }, 'backoffRate must be at least 1, got 0.5'],
    [
      { interval: Duration.seconds(30), maxDelay: Duration.seconds(10) },
      'maxDelay (10 seconds) must be whole seconds, at least the interval (30 seconds)',
    ],
    [{ errors: [] }, 'errors must name at least one error'],
    [{ errors: ['States.ALL', 'Lambda.ServiceException'] }, 'errors: States.ALL must be alone'],
  ])('a step retry policy is %j', (retry, message) => {
    expect(build({}, { retry })).toThrow(`Saga step "first": retry.${message}`);
  });

  it('the saga retry policy is invalid, naming it', () => {
    expect(build({ retry: { maxAttempts: -2 } })).toThrow(
      'Saga step "first": retry.maxAttempts must be a whole number from 0 to 99999999, got -2',
    );
  });

  it('the compensation retry policy is invalid, naming it', () => {
    expect(build({ compensationRetry: { backoffRate: 0 } })).toThrow(
      'Saga compensationRetry.backoffRate must be at least 1, got 0',
    );
  });

  it('a business error is also a transient one', () => {
    expect(
      build({}, { businessErrors: ['PaymentDeclinedError'], retry: { errors: ['PaymentDeclinedError'] } }),
    ).toThrow('Saga step "first": PaymentDeclinedError is both a business error and retried');
  });

  it.each(['States.ALL', 'States.TaskFailed', ''])('a business error is %j', (name) => {
    expect(build({}, { businessErrors: [name] })).toThrow(
      `Saga step "first": business error "${name}" must be an error name, not empty or a wildcard`,
    );
  });

  it.each([Duration.millis(500), Duration.days(366)])('the timeout is %s', (timeout) => {
    expect(build({ timeout })).toThrow(
      `Saga timeout must be whole seconds from 1 second to 365 days, got ${timeout.toHumanString()}`,
    );
  });

  it('a task factory puts its result somewhere else than it is told', () => {
    const stack = testStack();
    const fn = lambda(stack, 'Fn');
    expect(
      () =>
        new Saga(stack, 'Saga', {
          steps: [
            {
              id: 'charge',
              task: ({ scope, stateName }) => new LambdaInvoke(scope, stateName, { lambdaFunction: fn }),
            },
          ],
        }),
    ).toThrow('Saga step "charge": the task must put its result at $.steps.charge (resultPath), not $');
  });
});

import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Fail,
  JsonPath,
  Pass,
  type State,
  Succeed,
  TaskInput,
  type TaskStateBase,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { SAGA_STATES, type SagaProps, type SagaStep, type SagaTask } from './saga-props';
import {
  applyRetry,
  DEFAULT_COMPENSATION_RETRY,
  DEFAULT_RETRY,
  type ResolvedRetryPolicy,
  resolveRetry,
} from './saga-retry';

/**
 * The execution state, as every state sees it:
 * `$.input` the execution input, unchanged; `$.steps.<id>` each completed step's result;
 * `$.failures.<id>` the error of each `continue` step that failed; once a step has failed,
 * `$.error` its error ({Error, Cause}) and `$.failure` {step, reason}; once a compensation has
 * failed, `$.compensationError` and `$.compensationFailure` likewise.
 */
const path = {
  input: '$.input',
  steps: '$.steps',
  failures: '$.failures',
  error: '$.error',
  failure: '$.failure',
  compensationError: '$.compensationError',
  compensationFailure: '$.compensationFailure',
} as const;

const identity = (stepId?: string) => ({
  executionName: JsonPath.executionName,
  ...(stepId === undefined ? {} : { stepId }),
});

const PAYLOADS = {
  step: (stepId: string) =>
    TaskInput.fromObject({
      input: JsonPath.objectAt(path.input),
      steps: JsonPath.objectAt(path.steps),
      saga: identity(stepId),
    }),
  compensation: (stepId: string) =>
    TaskInput.fromObject({
      input: JsonPath.objectAt(path.input),
      steps: JsonPath.objectAt(path.steps),
      error: JsonPath.objectAt(path.error),
      failure: JsonPath.objectAt(path.failure),
      saga: identity(stepId),
    }),
  success: () =>
    TaskInput.fromObject({
      input: JsonPath.objectAt(path.input),
      steps: JsonPath.objectAt(path.steps),
      failures: JsonPath.objectAt(path.failures),
      saga: identity(),
    }),
  failure: () =>
    TaskInput.fromObject({
      input: JsonPath.objectAt(path.input),
      steps: JsonPath.objectAt(path.steps),
      failures: JsonPath.objectAt(path.failures),
      error: JsonPath.objectAt(path.error),
      failure: JsonPath.objectAt(path.failure),
      saga: identity(),
    }),
};

export interface SagaDefinition {
  /** The first state. */
  readonly start: State;
  /** Every Lambda function the definition invokes, once each. */
  readonly invokedFunctions: readonly IFunction[];
}

const expectedResult = (resultPath: string) =>
  resultPath === JsonPath.DISCARD
    ? 'discard its result (resultPath JsonPath.DISCARD)'
    : `put its result at ${resultPath} (resultPath)`;
const actualResult = (resultPath: unknown) =>
  resultPath === JsonPath.DISCARD ? 'discard it' : String(resultPath ?? '$');

/** Builds the saga's states in `scope`; the props have been validated. */
class SagaDefinitionBuilder {
  private readonly functions = new Set<IFunction>();
  private readonly handlerRetry: ResolvedRetryPolicy;
  private readonly compensationRetry: ResolvedRetryPolicy;

  constructor(
    private readonly scope: Construct,
    private readonly props: SagaProps,
  ) {
    this.handlerRetry = resolveRetry(DEFAULT_RETRY, props.retry);
    this.compensationRetry = resolveRetry(DEFAULT_COMPENSATION_RETRY, props.compensationRetry);
  }

  build(): SagaDefinition {
    const succeeded = new Succeed(this.scope, SAGA_STATES.succeeded);
    const failed = new Fail(this.scope, SAGA_STATES.failed, {
      error: SAGA_STATES.failed,
      causePath: `${path.failure}.reason`,
    });
    const afterSteps = this.handler(
      'successHandler',
      SAGA_STATES.handleSuccess,
      PAYLOADS.success(),
      succeeded,
    );
    const afterCompensations = this.handler(
      'failureHandler',
      SAGA_STATES.handleFailure,
      PAYLOADS.failure(),
      failed,
    );
    const compensationsBefore = this.compensations(afterCompensations);
    const tasks = this.props.steps.map((step) => this.stepTask(step));
    tasks.forEach((task, index) => {
      const step = this.props.steps[index] as SagaStep;
      const next = tasks[index + 1] ?? afterSteps;
      task.next(next);
      if (step.onFailure === 'continue') {
        task.addCatch(next, { resultPath: `${path.failures}.${step.id}` });
      } else {
        task.addCatch(this.failureMarker(step.id, compensationsBefore[index] as State), {
          resultPath: path.error,
        });
      }
    });
    const prepare = new Pass(this.scope, SAGA_STATES.prepare, {
      parameters: { input: JsonPath.entirePayload, steps: {}, failures: {} },
    });
    prepare.next(tasks[0] as TaskStateBase);
    return { start: prepare, invokedFunctions: [...this.functions] };
  }

  /** The handler task (retried) followed by `end`, or `end` alone without a handler. */
  private handler(
    prop: 'successHandler' | 'failureHandler',
    stateName: string,
    payload: TaskInput,
    end: State,
  ): State {
    const handler = this.props[prop];
    if (!handler) return end;
    const task = this.task(handler, stateName, JsonPath.DISCARD, payload, `Saga ${prop}`);
    applyRetry(task, this.handlerRetry);
    task.next(end);
    return task;
  }

  /**
   * For each step, where its failure goes once recorded: the compensation of the nearest
   * completed step before it with one, which goes on to the one before, … then `end`.
   */
  private compensations(end: State): State[] {
    let compensationFailed: Fail | undefined;
    let undoCompleted = end;
    return this.props.steps.map((step) => {
      const before = undoCompleted;
      if (step.compensation) {
        const compensation = new LambdaInvoke(this.scope, SAGA_STATES.compensate(step.id), {
          lambdaFunction: step.compensation,
          payloadResponseOnly: true,
          retryOnServiceExceptions: false,
          payload: PAYLOADS.compensation(step.id),
          resultPath: JsonPath.DISCARD,
        });
        this.functions.add(step.compensation);
        applyRetry(compensation, this.compensationRetry);
        const marker = new Pass(this.scope, SAGA_STATES.compensationOfFailed(step.id), {
          parameters: {
            step: step.id,
            reason: JsonPath.format(
              `Compensation of step ${step.id} failed with {}; the steps before it were not compensated`,
              JsonPath.stringAt(`${path.compensationError}.Error`),
            ),
          },
          resultPath: path.compensationFailure,
        });
        compensationFailed ??= new Fail(this.scope, SAGA_STATES.compensationFailed, {
          error: SAGA_STATES.compensationFailed,
          causePath: `${path.compensationFailure}.reason`,
        });
        marker.next(compensationFailed);
        compensation.addCatch(marker, { resultPath: path.compensationError });
        compensation.next(before);
        undoCompleted = compensation;
      }
      return before;
    });
  }

  /** Records which step failed and why at `$.failure`, then goes to `next`. */
  private failureMarker(stepId: string, next: State): State {
    const marker = new Pass(this.scope, SAGA_STATES.stepFailed(stepId), {
      parameters: {
        step: stepId,
        reason: JsonPath.format(
          `Step ${stepId} failed with {}; the steps before it were compensated`,
          JsonPath.stringAt(`${path.error}.Error`),
        ),
      },
      resultPath: path.failure,
    });
    marker.next(next);
    return marker;
  }

  private stepTask(step: SagaStep): TaskStateBase {
    const resultPath = `${path.steps}.${step.id}`;
    const task = this.task(step.task, step.id, resultPath, PAYLOADS.step(step.id), `Saga step "${step.id}"`);
    applyRetry(task, resolveRetry(DEFAULT_RETRY, this.props.retry, step.retry), step.businessErrors);
    return task;
  }

  private task(
    task: SagaTask,
    stateName: string,
    resultPath: string,
    payload: TaskInput,
    owner: string,
  ): TaskStateBase {
    if (typeof task === 'function') {
      const state = task({ scope: this.scope, stateName, resultPath, payload });
      const actual = (state.toStateJson() as { ResultPath?: unknown }).ResultPath;
      if (actual !== resultPath) {
        throw new Error(`${owner}: the task must ${expectedResult(resultPath)}, not ${actualResult(actual)}`);
      }
      return state;
    }
    this.functions.add(task);
    return new LambdaInvoke(this.scope, stateName, {
      lambdaFunction: task,
      payloadResponseOnly: true,
      // The saga's own retry policy covers Lambda's service errors, with jitter.
      retryOnServiceExceptions: false,
      payload,
      resultPath,
    });
  }
}

export function buildSagaDefinition(scope: Construct, props: SagaProps): SagaDefinition {
  return new SagaDefinitionBuilder(scope, props).build();
}

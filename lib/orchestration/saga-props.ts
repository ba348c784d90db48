import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { TaskInput, TaskStateBase } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import {
  DEFAULT_COMPENSATION_RETRY,
  DEFAULT_RETRY,
  resolveRetry,
  retryPolicyProblem,
  type SagaRetryPolicy,
} from './saga-retry';

/** What a task factory is given to build its state. */
export interface SagaTaskContext {
  /** The scope to create the state in. */
  readonly scope: Construct;
  /** The state's name: use it as the state's id. */
  readonly stateName: string;
  /** Where the state must put its result (`resultPath`); the saga checks it does. */
  readonly resultPath: string;
  /** The payload the saga gives a Lambda function in this place, for tasks that want the same. */
  readonly payload: TaskInput;
}

/** Builds any Task state: an EventBridge PutEvents, a DynamoDB call, a LambdaInvoke of its own… */
export type SagaTaskFactory = (context: SagaTaskContext) => TaskStateBase;

/**
 * A Lambda function, invoked with the saga's payload and its result (the function's return
 * value, `payloadResponseOnly`) put at the place the saga gives it; or a factory for any task.
 */
export type SagaTask = IFunction | SagaTaskFactory;

export interface SagaStep {
  /**
   * Names the step: its state, its result at `$.steps.<id>`, its compensation state
   * `Compensate <id>`. A letter then up to 39 letters, digits or `_`.
   */
  readonly id: string;
  readonly task: SagaTask;
  /**
   * Undoes the step once it has succeeded, when a later step fails. Invoked with the input, the
   * step results, `$.error` and `$.failure`; its result is discarded.
   * @default nothing to undo
   */
  readonly compensation?: IFunction;
  /** Retries of transient errors, over the saga's `retry`. @default the saga's retry */
  readonly retry?: SagaRetryPolicy;
  /**
   * Errors that no retry can fix (a declined card): never retried, even by a wildcard in `retry`,
   * they go straight to the failure path.
   * @default none
   */
  readonly businessErrors?: readonly string[];
  /**
   * `compensate`: a failure (after retries) undoes the completed steps and fails the saga.
   * `continue`: a failure is recorded at `$.failures.<id>` and the next step runs (a confirmation
   * email that cannot be sent must not refund the order). Such a step has no compensation.
   * @default 'compensate'
   */
  readonly onFailure?: 'compensate' | 'continue';
}

export interface SagaProps {
  /** The steps, run in this order. */
  readonly steps: readonly SagaStep[];
  /**
   * Runs after the last step (for example: put `order.completed`, or `notification.failed` when
   * `$.failures` holds a step that may fail). Its result is discarded: the output is the state.
   * @default none: the saga succeeds after its last step
   */
  readonly successHandler?: SagaTask;
  /**
   * Runs after the compensations of a failed saga (for example: put `order.failed` with
   * `$.failure.reason`). Its result is discarded.
   * @default none: the saga fails right after its compensations
   */
  readonly failureHandler?: SagaTask;
  /** The retries of every step and handler, under each step's own `retry`. @default DEFAULT_RETRY */
  readonly retry?: SagaRetryPolicy;
  /** The retries of every compensation. @default DEFAULT_COMPENSATION_RETRY */
  readonly compensationRetry?: SagaRetryPolicy;
  /** The longest an execution may run, whole seconds up to 365 days. @default 1 hour */
  readonly timeout?: Duration;
  /**
   * Puts the states' input and output in the execution logs. Off by default: they carry the
   * order and its customer, which must not be copied into logs; the execution history keeps them.
   * @default false
   */
  readonly includeExecutionData?: boolean;
  /** Retention of the execution log group. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** What happens to the log group when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** A description of the saga, in its definition. @default none */
  readonly comment?: string;
}

/** The names of the states the saga adds around its steps. */
export const SAGA_STATES = {
  prepare: 'Prepare saga',
  handleSuccess: 'Handle success',
  handleFailure: 'Handle failure',
  succeeded: 'SagaSucceeded',
  failed: 'SagaFailed',
  compensationFailed: 'SagaCompensationFailed',
  stepFailed: (id: string) => `${id} failed`,
  compensate: (id: string) => `Compensate ${id}`,
  compensationOfFailed: (id: string) => `Compensate ${id} failed`,
} as const;

// Ids go into JSONPaths ($.steps.<id>) and States.Format strings: nothing there needs quoting.
const STEP_ID = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const RESERVED_IDS: ReadonlySet<string> = new Set([
  SAGA_STATES.succeeded,
  SAGA_STATES.failed,
  SAGA_STATES.compensationFailed,
]);
const WILDCARDS: ReadonlySet<string> = new Set(['', 'States.ALL', 'States.TaskFailed']);
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

function validateStep(step: SagaStep, props: SagaProps, seen: Set<string>): void {
  const { id } = step;
  if (!STEP_ID.test(id)) {
    throw new Error(`Saga step id "${id}" must be a letter then up to 39 letters, digits or _`);
  }
  if (RESERVED_IDS.has(id)) throw new Error(`Saga step id "${id}" is the name of a state the saga adds`);
  if (seen.has(id)) throw new Error(`Saga step id "${id}" is used twice`);
  seen.add(id);
  const fail = (problem: string) => {
    throw new Error(`Saga step "${id}": ${problem}`);
  };
  if (step.onFailure === 'continue' && step.compensation) {
    fail('a step with onFailure "continue" has no compensation (its failure never compensates)');
  }
  const retry = resolveRetry(DEFAULT_RETRY, props.retry, step.retry);
  const problem = retryPolicyProblem(retry);
  if (problem) fail(`retry.${problem}`);
  for (const name of step.businessErrors ?? []) {
    if (WILDCARDS.has(name)) fail(`business error "${name}" must be an error name, not empty or a wildcard`);
    if (retry.errors.includes(name)) fail(`${name} is both a business error and retried`);
  }
}

/** Checks the props before anything is built; throws naming the step and field at fault. */
export function validateSagaProps(props: SagaProps): void {
  if (props.steps.length === 0) throw new Error('A saga needs at least one step');
  const timeout = props.timeout;
  if (timeout) {
    const ms = timeout.toMilliseconds();
    if (ms % 1000 !== 0 || ms < 1000 || ms > ONE_YEAR_SECONDS * 1000) {
      throw new Error(
        `Saga timeout must be whole seconds from 1 second to 365 days, got ${timeout.toHumanString()}`,
      );
    }
  }
  const compensationProblem = retryPolicyProblem(
    resolveRetry(DEFAULT_COMPENSATION_RETRY, props.compensationRetry),
  );
  if (compensationProblem) throw new Error(`Saga compensationRetry.${compensationProblem}`);
  const seen = new Set<string>();
  for (const step of props.steps) validateStep(step, props, seen);
}

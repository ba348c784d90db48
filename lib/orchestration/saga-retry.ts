import { Duration } from 'aws-cdk-lib';
import { JitterType, type TaskStateBase } from 'aws-cdk-lib/aws-stepfunctions';

/**
 * Lambda's transient errors as Step Functions names them: service faults, the SDK client's
 * timeouts, and throttling. Spread it into `errors` to add a step's own transient errors.
 */
export const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

/**
 * How a task is retried. Every retry waits a random time between 0 and the backoff delay (full
 * jitter), so the executions a provider outage failed together do not come back together.
 */
export interface SagaRetryPolicy {
  /**
   * The transient errors to retry. `States.ALL` (alone) or `States.TaskFailed` retry every task
   * error but the step's business errors.
   * @default LAMBDA_TRANSIENT_ERRORS for steps and handlers; ['States.TaskFailed'] for compensations
   */
  readonly errors?: readonly string[];
  /** The delay before the first retry, in whole seconds. @default 1 second (2 for compensations) */
  readonly interval?: Duration;
  /** What each delay is multiplied by, at least 1. @default 2 */
  readonly backoffRate?: number;
  /** Retries after the first attempt; 0 never retries. @default 3 (6 for compensations) */
  readonly maxAttempts?: number;
  /** The longest delay between two attempts, in whole seconds. @default 20 seconds (60 for compensations) */
  readonly maxDelay?: Duration;
}

export type ResolvedRetryPolicy = Required<SagaRetryPolicy>;

export const DEFAULT_RETRY: ResolvedRetryPolicy = {
  errors: LAMBDA_TRANSIENT_ERRORS,
  interval: Duration.seconds(1),
  backoffRate: 2,
  maxAttempts: 3,
  maxDelay: Duration.seconds(20),
};

/** A compensation must succeed: it retries every task error, longer, before giving up. */
export const DEFAULT_COMPENSATION_RETRY: ResolvedRetryPolicy = {
  errors: ['States.TaskFailed'],
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 6,
  maxDelay: Duration.seconds(60),
};

/** The policy with each field from the last layer that sets it. */
export function resolveRetry(
  defaults: ResolvedRetryPolicy,
  ...layers: readonly (SagaRetryPolicy | undefined)[]
): ResolvedRetryPolicy {
  const resolved = { ...defaults };
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer ?? {})) {
      if (value !== undefined) Object.assign(resolved, { [key]: value });
    }
  }
  return resolved;
}

const MAX_ATTEMPTS = 99_999_999;
const seconds = (duration: Duration) => `${duration.toMilliseconds() / 1000} seconds`;
const isWholeSeconds = (duration: Duration) => duration.toMilliseconds() % 1000 === 0;

/** What is wrong with a policy, as `field …` for the caller to prefix, or undefined. */
export function retryPolicyProblem(policy: ResolvedRetryPolicy): string | undefined {
  const { errors, interval, backoffRate, maxAttempts, maxDelay } = policy;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 0 || maxAttempts > MAX_ATTEMPTS) {
    return `maxAttempts must be a whole number from 0 to ${MAX_ATTEMPTS}, got ${maxAttempts}`;
  }
  if (!isWholeSeconds(interval) || interval.toMilliseconds() < 1000) {
    return `interval must be a whole number of seconds, at least 1, got ${seconds(interval)}`;
  }
  if (!(backoffRate >= 1)) return `backoffRate must be at least 1, got ${backoffRate}`;
  if (!isWholeSeconds(maxDelay) || maxDelay.toMilliseconds() < interval.toMilliseconds()) {
    return `maxDelay (${seconds(maxDelay)}) must be whole seconds, at least the interval (${seconds(interval)})`;
  }
  if (errors.length === 0 || errors.some((error) => error === ''))
    return 'errors must name at least one error';
  if (errors.includes('States.ALL') && errors.length > 1) return 'errors: States.ALL must be alone';
  return undefined;
}

/**
 * Adds the retriers to a task: first the business errors with MaxAttempts 0 (Step Functions uses
 * the first retrier that matches, so they are never retried even by a wildcard), then the policy.
 */
export function applyRetry(
  task: TaskStateBase,
  policy: ResolvedRetryPolicy,
  businessErrors: readonly string[] = [],
): void {
  if (businessErrors.length > 0) task.addRetry({ errors: [...businessErrors], maxAttempts: 0 });
  task.addRetry({
    errors: [...policy.errors],
    interval: policy.interval,
    backoffRate: policy.backoffRate,
    maxAttempts: policy.maxAttempts,
    maxDelay: policy.maxDelay,
    jitterStrategy: JitterType.FULL,
  });
}

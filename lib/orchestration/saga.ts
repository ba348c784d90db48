import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { buildSagaDefinition } from './saga-definition';
import { type SagaProps, validateSagaProps } from './saga-props';

export {
  SAGA_STATES,
  type SagaProps,
  type SagaStep,
  type SagaTask,
  type SagaTaskContext,
  type SagaTaskFactory,
} from './saga-props';
export { LAMBDA_TRANSIENT_ERRORS, type SagaRetryPolicy } from './saga-retry';

/**
 * A saga as a Standard Step Functions state machine, declared as ordered steps and the
 * compensations that undo them (see docs/saga.md).
 *
 * Each step runs with retries of its transient errors (exponential backoff, full jitter); a
 * business error or exhausted retries runs the compensations of the completed steps in reverse
 * order, then the failure handler, and ends in `SagaFailed`. A compensation that still fails ends
 * in `SagaCompensationFailed`: the saga is half undone and needs an operator. A `continue` step
 * records its failure and the saga goes on. After the last step, the success handler runs.
 */
export class Saga extends Construct {
  readonly stateMachine: StateMachine;
  /** The execution logs: every history event, without the states' data unless asked. */
  readonly logGroup: LogGroup;
  /** The Lambda functions the state machine may invoke: tasks, compensations and handlers. */
  readonly invokedFunctions: readonly IFunction[];

  constructor(scope: Construct, id: string, props: SagaProps) {
    super(scope, id);
    validateSagaProps(props);
    // States in a scope of their own, so a step id never collides with this construct's children.
    const definition = buildSagaDefinition(new Construct(this, 'Definition'), props);
    this.invokedFunctions = definition.invokedFunctions;
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(definition.start),
      comment: props.comment,
      timeout: props.timeout ?? Duration.hours(1),
      tracingEnabled: true,
      logs: {
        destination: this.logGroup,
        level: LogLevel.ALL,
        includeExecutionData: props.includeExecutionData ?? false,
      },
    });
  }

  /** Allows `grantee` to start executions (StartExecution on this state machine alone). */
  grantStart(grantee: IGrantable): Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }
}

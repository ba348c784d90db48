import { AwsError, jsonService, type ServiceHandler } from '../services/aws-protocol';
import { type Execution, type StepFunctions, StepFunctionsError } from './step-functions';

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

function describe(execution: Execution) {
  return {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: seconds(execution.startDate),
    stopDate: seconds(execution.stopDate),
    input: execution.input,
    output: execution.output,
    error: execution.error,
    cause: execution.cause,
  };
}

function parseInput(text: unknown): unknown {
  if (text === undefined) return {};
  try {
    return JSON.parse(String(text));
  } catch {
    throw new AwsError('InvalidExecutionInput', 'Invalid State Machine Execution Input: must be JSON');
  }
}

function asApiError<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof StepFunctionsError) throw new AwsError(error.code, error.message);
    throw error;
  }
}

/** The Step Functions API on the wire (JSON 1.0, `AWSStepFunctions.*`). */
export function stepFunctionsApi(stepFunctions: StepFunctions): ServiceHandler {
  return jsonService(
    {
      StartExecution: (input) =>
        asApiError(() => {
          const execution = stepFunctions.start(
            String(input.stateMachineArn),
            parseInput(input.input),
            input.name as string | undefined,
          );
          return { executionArn: execution.executionArn, startDate: seconds(execution.startDate) };
        }),
      StartSyncExecution: async (input) => {
        const execution = asApiError(() =>
          stepFunctions.start(
            String(input.stateMachineArn),
            parseInput(input.input),
            input.name as string | undefined,
          ),
        );
        await execution.done;
        return describe(execution);
      },
      DescribeExecution: (input) =>
        asApiError(() => describe(stepFunctions.execution(String(input.executionArn)))),
      ListExecutions: (input) => ({
        executions: stepFunctions
          .list(input.stateMachineArn as string | undefined, input.statusFilter as string | undefined)
          .slice(0, (input.maxResults as number | undefined) || 100)
          .map((execution) => {
            const {
              input: _input,
              output: _output,
              error: _error,
              cause: _cause,
              ...summary
            } = describe(execution);
            return summary;
          }),
      }),
      GetExecutionHistory: (input) =>
        asApiError(() => {
          const history = [...stepFunctions.execution(String(input.executionArn)).history].map((event) => ({
            ...event,
            timestamp: seconds(event.timestamp),
          }));
          return { events: input.reverseOrder === true ? history.reverse() : history };
        }),
      StopExecution: (input) =>
        asApiError(() => ({
          stopDate: seconds(
            stepFunctions.stop(
              String(input.executionArn),
              input.error as string | undefined,
              input.cause as string | undefined,
            ),
          ),
        })),
      ListStateMachines: () => ({
        stateMachines: stepFunctions
          .specs()
          .map((spec) => ({ stateMachineArn: spec.arn, name: spec.name, type: spec.type })),
      }),
      DescribeStateMachine: (input) => {
        const spec = stepFunctions.spec(String(input.stateMachineArn));
        if (!spec)
          throw new AwsError(
            'StateMachineDoesNotExist',
            `State Machine Does Not Exist: '${String(input.stateMachineArn)}'`,
          );
        return {
          stateMachineArn: spec.arn,
          name: spec.name,
          type: spec.type,
          status: 'ACTIVE',
          definition: JSON.stringify(spec.definition),
        };
      },
    },
    'application/x-amz-json-1.0',
  );
}

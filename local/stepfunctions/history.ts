/** One event of an execution's history, in the Step Functions API's shape. */
export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: number;
  readonly type: string;
  readonly [details: string]: unknown;
}

interface LibraryEvent {
  readonly type: string;
  readonly timestamp: number;
  readonly input?: unknown;
  readonly output?: unknown;
  readonly Error?: string;
  readonly Cause?: unknown;
  readonly state?: {
    readonly name: string;
    readonly type: string;
    readonly input: unknown;
    readonly output?: unknown;
  };
  readonly index?: number;
}

const json = (value: unknown) => JSON.stringify(value ?? null);
const cause = (value: unknown) => (typeof value === 'string' ? value : json(value));

/** Turns an aws-local-stepfunctions event into the history event(s) Step Functions records. */
export function historyDetails(event: LibraryEvent): { type: string; details: Record<string, unknown> }[] {
  const state = event.state;
  switch (event.type) {
    case 'ExecutionStarted':
      return [
        { type: 'ExecutionStarted', details: { executionStartedEventDetails: { input: json(event.input) } } },
      ];
    case 'ExecutionSucceeded':
      return [
        {
          type: 'ExecutionSucceeded',
          details: { executionSucceededEventDetails: { output: json(event.output) } },
        },
      ];
    case 'ExecutionFailed':
      return [
        {
          type: 'ExecutionFailed',
          details: { executionFailedEventDetails: { error: event.Error, cause: cause(event.Cause) } },
        },
      ];
    case 'ExecutionAborted':
      return [{ type: 'ExecutionAborted', details: {} }];
    case 'ExecutionTimeout':
      return [{ type: 'ExecutionTimedOut', details: {} }];
    case 'StateEntered':
      return [
        {
          type: `${state?.type}StateEntered`,
          details: { stateEnteredEventDetails: { name: state?.name, input: json(state?.input) } },
        },
      ];
    case 'StateExited':
      return [
        {
          type: `${state?.type}StateExited`,
          details: { stateExitedEventDetails: { name: state?.name, output: json(state?.output) } },
        },
      ];
    // The library reports StateFailed before each StateRetried, so a retry adds no event of its own.
    case 'StateFailed':
      return state?.type === 'Task'
        ? [
            {
              type: 'TaskFailed',
              details: {
                taskFailedEventDetails: {
                  resourceType: 'local',
                  resource: state.name,
                  error: event.Error ?? 'States.TaskFailed',
                  cause: cause(event.Cause),
                },
              },
            },
          ]
        : [];
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed':
      return [{ type: event.type, details: { mapIterationEventDetails: { index: event.index } } }];
    case 'ParallelBranchStarted':
      return [{ type: 'ParallelStateStarted', details: {} }];
    case 'ParallelBranchSucceeded':
      return [{ type: 'ParallelStateSucceeded', details: {} }];
    case 'ParallelBranchFailed':
      return [{ type: 'ParallelStateFailed', details: {} }];
    default:
      return [];
  }
}

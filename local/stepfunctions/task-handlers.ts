/** What a Task state's resource calls locally, by resource ARN. */
export interface TaskServices {
  invokeFunction(
    nameOrArn: string,
    payload: unknown,
  ): Promise<{ payload?: unknown; error?: { errorType: string; errorMessage: string } }>;
  putEvents(entries: unknown[]): { FailedEntryCount: number; Entries: unknown[] };
  sendMessage(
    queueUrl: string,
    body: string,
    attributes?: Record<string, unknown>,
  ): { MessageId: string; MD5OfMessageBody: string };
  dynamodb(action: string, parameters: Record<string, unknown>): Promise<unknown>;
  startExecution(
    stateMachineArn: string,
    input: unknown,
    name?: string,
  ): { ExecutionArn: string; StartDate: number };
}

type LocalHandler = (input: unknown) => Promise<unknown>;

/** An error that Retry and Catch match by name, like a Task's error in Step Functions. */
export class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

const parameters = (input: unknown): Record<string, unknown> =>
  typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};

async function invoke(services: TaskServices, functionName: string, payload: unknown) {
  let outcome: Awaited<ReturnType<TaskServices['invokeFunction']>>;
  try {
    outcome = await services.invokeFunction(functionName, payload);
  } catch (error) {
    const name =
      error instanceof Error && error.name === 'TooManyRequestsException'
        ? 'Lambda.TooManyRequestsException'
        : 'Lambda.ServiceException';
    throw new TaskError(name, error instanceof Error ? error.message : String(error));
  }
  if (outcome.error) {
    throw new TaskError(
      outcome.error.errorType,
      JSON.stringify({ errorType: outcome.error.errorType, errorMessage: outcome.error.errorMessage }),
    );
  }
  return outcome.payload ?? null;
}

/** The local handler of one Task resource, or undefined when the resource is not emulated. */
export function taskHandlerFor(resource: string, services: TaskServices): LocalHandler | undefined {
  const integration = /^arn:aws[a-z-]*:states:::([a-z0-9-]+):([A-Za-z0-9]+)(\.sync(:2)?)?$/.exec(resource);
  if (!integration) {
    if (/^arn:aws[a-z-]*:lambda:/.test(resource)) return (input) => invoke(services, resource, input);
    return undefined;
  }
  const [, service, action, sync] = integration;
  // `.sync` waits for the job it starts; locally that wait is not emulated, so the task is not either.
  if (sync) return undefined;
  if (service === 'lambda' && action === 'invoke') {
    return async (input) => {
      const { FunctionName, Payload } = parameters(input);
      const payload = await invoke(services, String(FunctionName), Payload ?? {});
      return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
    };
  }
  if (service === 'events' && action === 'putEvents') {
    return async (input) => {
      const result = services.putEvents((parameters(input).Entries as unknown[] | undefined) ?? []);
      if (result.FailedEntryCount > 0) throw new TaskError('EventBridge.FailedEntry', JSON.stringify(result));
      return result;
    };
  }
  if (service === 'sqs' && action === 'sendMessage') {
    return async (input) => {
      const { QueueUrl, MessageBody, MessageAttributes } = parameters(input);
      const body = typeof MessageBody === 'string' ? MessageBody : JSON.stringify(MessageBody);
      return services.sendMessage(
        String(QueueUrl),
        body,
        MessageAttributes as Record<string, unknown> | undefined,
      );
    };
  }
  if (service === 'dynamodb' && ['getItem', 'putItem', 'updateItem', 'deleteItem'].includes(action ?? '')) {
    return (input) => services.dynamodb(action ?? '', parameters(input));
  }
  if (service === 'states' && action === 'startExecution') {
    return async (input) => {
      const { StateMachineArn, Input, Name } = parameters(input);
      return services.startExecution(String(StateMachineArn), Input ?? {}, Name as string | undefined);
    };
  }
  return undefined;
}

interface StateDefinition {
  readonly Type?: string;
  readonly Resource?: string;
  readonly Seconds?: number;
  readonly Retry?: readonly { readonly IntervalSeconds?: number }[];
  readonly Branches?: readonly { readonly States?: Record<string, StateDefinition> }[];
  readonly Iterator?: { readonly States?: Record<string, StateDefinition> };
  readonly ItemProcessor?: { readonly States?: Record<string, StateDefinition> };
}

/** Every state of a definition, including those inside Parallel branches and Map iterators. */
export function allStates(
  states: Readonly<Record<string, StateDefinition>> | undefined,
): [string, StateDefinition][] {
  return Object.entries(states ?? {}).flatMap(([name, state]) => [
    [name, state] as [string, StateDefinition],
    ...(state.Branches ?? []).flatMap((branch) => allStates(branch.States)),
    ...allStates(state.Iterator?.States),
    ...allStates(state.ItemProcessor?.States),
  ]);
}

export interface ExecutionOverrides {
  readonly taskResourceLocalHandlers: Record<string, LocalHandler>;
  readonly waitTimeOverrides: Record<string, number>;
  /** Task resources that run nowhere locally. */
  readonly unsupported: string[];
}

/**
 * The overrides that run a definition against the local services, with waits scaled. Retries are
 * scaled in the definition itself (time-scale.ts), where they keep their backoff.
 */
export function overridesFor(
  definition: { readonly States?: Record<string, StateDefinition> },
  services: TaskServices,
  timeScale: number,
): ExecutionOverrides {
  const overrides: ExecutionOverrides = {
    taskResourceLocalHandlers: {},
    waitTimeOverrides: {},
    unsupported: [],
  };
  for (const [name, state] of allStates(definition.States)) {
    if (state.Type === 'Task' && state.Resource) {
      const handler = taskHandlerFor(state.Resource, services);
      if (handler) overrides.taskResourceLocalHandlers[name] = handler;
      else overrides.unsupported.push(state.Resource);
    }
    if (timeScale !== 1 && state.Type === 'Wait' && typeof state.Seconds === 'number') {
      overrides.waitTimeOverrides[name] = state.Seconds * 1000 * timeScale;
    }
  }
  return overrides;
}

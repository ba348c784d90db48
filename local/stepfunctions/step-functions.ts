import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import type { ConsoleLog } from '../runtime/console-log';
import type { StateMachineSpec } from '../template/topology-types';
import { type HistoryEvent, historyDetails } from './history';
import { type ExecutionOverrides, overridesFor, type TaskServices } from './task-handlers';
import { scaledDefinition } from './time-scale';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface Execution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: number;
  status: ExecutionStatus;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  readonly history: HistoryEvent[];
  abort?: () => void;
  /** Set by StopExecution: what the execution ends with once the run has unwound. */
  stopRequest?: { readonly error?: string; readonly cause?: string };
  done: Promise<void>;
}

/** Raised for the Step Functions API's own errors (`ExecutionAlreadyExists`, …). */
export class StepFunctionsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

interface Machine {
  readonly spec: StateMachineSpec;
  readonly machine: StateMachine;
  readonly overrides: Omit<ExecutionOverrides, 'unsupported'>;
}

// Step Functions' name rule: 1–80 characters, none blank, reserved or a control character.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects.
const VALID_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

type Failure = { readonly name?: string; readonly message?: string };

function statusOf(failure: Failure): ExecutionStatus {
  if (failure.name === 'ExecutionAbortedError') return 'ABORTED';
  if (failure.name === 'ExecutionTimeoutError') return 'TIMED_OUT';
  return 'FAILED';
}

/**
 * The local Step Functions: each state machine of the template run by aws-local-stepfunctions,
 * with its Task states calling the local services, and executions kept with their history.
 */
export class StepFunctions {
  private readonly machines = new Map<string, Machine>();
  private readonly executions = new Map<string, Execution>();

  constructor(
    specs: readonly StateMachineSpec[],
    services: TaskServices,
    private readonly console: ConsoleLog,
    timeScale: number,
  ) {
    for (const spec of specs) {
      // ARNs are local ones; the definition itself is validated (scaling keeps it valid).
      const machine = new StateMachine(scaledDefinition(spec.definition, timeScale) as never, {
        validationOptions: { checkArn: false },
      });
      // The definition is fixed, so its handlers and scaled timings are too: built once per machine.
      const { unsupported, ...overrides } = overridesFor(spec.definition as never, services, timeScale);
      if (unsupported.length > 0) {
        this.console.system('states', 'Task resources not emulated (they would call AWS)', {
          machine: spec.name,
          resources: unsupported,
        });
      }
      this.machines.set(spec.arn, { spec, machine, overrides });
    }
  }

  specs(): StateMachineSpec[] {
    return [...this.machines.values()].map((machine) => machine.spec);
  }

  spec(arn: string): StateMachineSpec | undefined {
    return this.machines.get(arn)?.spec;
  }

  /** StartExecution, with Step Functions' rule for reused names. */
  start(stateMachineArn: string, input: unknown, name: string = randomUUID()): Execution {
    const machine = this.machines.get(stateMachineArn);
    if (!machine)
      throw new StepFunctionsError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    if (!VALID_NAME.test(name)) throw new StepFunctionsError('InvalidName', `Invalid Name: '${name}'`);
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const inputText = JSON.stringify(input ?? {});
    const existing = this.executions.get(executionArn);
    if (existing) {
      // The same name and input while it runs is the same request; anything else is a conflict.
      if (existing.status === 'RUNNING' && existing.input === inputText) return existing;
      throw new StepFunctionsError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const execution: Execution = {
      executionArn,
      stateMachineArn,
      name,
      input: inputText,
      startDate: Date.now(),
      status: 'RUNNING',
      history: [],
      done: Promise.resolve(),
    };
    this.executions.set(executionArn, execution);
    execution.done = this.run(machine, execution, input);
    return execution;
  }

  private async run(machine: Machine, execution: Execution, input: unknown): Promise<void> {
    const run = machine.machine.run(input as never, {
      // The handlers take and return JSON values; the library's types are narrower than `unknown`.
      overrides: machine.overrides as never,
      context: {
        Execution: {
          Id: execution.executionArn,
          Name: execution.name,
          Input: input,
          StartTime: new Date(execution.startDate).toISOString(),
        },
        StateMachine: { Id: machine.spec.arn, Name: machine.spec.name },
      } as never,
    });
    execution.abort = run.abort;
    const recording = this.record(execution, run.eventLogs);
    let failure: Failure | undefined;
    try {
      execution.output = JSON.stringify(await run.result);
    } catch (error) {
      failure = error as Failure;
    }
    // The history's last event says why the execution failed: read it once the history is complete.
    await recording;
    if (execution.stopRequest) {
      execution.status = 'ABORTED';
      execution.error = execution.stopRequest.error;
      execution.cause = execution.stopRequest.cause;
    } else if (failure) {
      const last = execution.history.at(-1) as
        | { executionFailedEventDetails?: { error?: string; cause?: string } }
        | undefined;
      execution.status = statusOf(failure);
      execution.error = last?.executionFailedEventDetails?.error ?? failure.name;
      execution.cause = last?.executionFailedEventDetails?.cause ?? failure.message;
    } else {
      execution.status = 'SUCCEEDED';
    }
    execution.stopDate = Date.now();
    this.console.system('states', `Execution ${execution.status.toLowerCase()}`, {
      execution: execution.name,
      machine: machine.spec.name,
    });
  }

  private async record(execution: Execution, events: AsyncGenerator<unknown>): Promise<void> {
    for await (const event of events) {
      for (const { type, details } of historyDetails(event as never)) {
        const id = execution.history.length + 1;
        execution.history.push({
          id,
          previousEventId: id - 1,
          timestamp: (event as { timestamp: number }).timestamp,
          type,
          ...details,
        });
      }
    }
  }

  execution(executionArn: string): Execution {
    const execution = this.executions.get(executionArn);
    if (!execution)
      throw new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return execution;
  }

  list(stateMachineArn?: string, status?: string): Execution[] {
    return [...this.executions.values()]
      .filter(
        (execution) =>
          (!stateMachineArn || execution.stateMachineArn === stateMachineArn) &&
          (!status || execution.status === status),
      )
      .sort((a, b) => b.startDate - a.startDate);
  }

  stop(executionArn: string, error?: string, cause?: string): number {
    const execution = this.execution(executionArn);
    if (execution.status === 'RUNNING') {
      execution.stopRequest = { error, cause };
      execution.abort?.();
    }
    return Date.now();
  }

  /** Aborts every running execution (on shutdown). */
  shutdown(): void {
    for (const execution of this.executions.values()) if (execution.status === 'RUNNING') execution.abort?.();
  }
}

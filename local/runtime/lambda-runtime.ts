import { functionNameOf } from '../template/naming';
import type { FunctionSpec } from '../template/topology-types';
import type { ConsoleLog } from './console-log';
import { FunctionPool, type InvokeOutcome } from './function-pool';
import type { LogStore } from './log-store';

export interface LambdaRuntimeOptions {
  readonly functions: readonly FunctionSpec[];
  /** Environment every function gets: region, local credentials, AWS_ENDPOINT_URL_*. */
  readonly baseEnvironment: Readonly<Record<string, string>>;
  /** Concurrent environments per function without reserved concurrency. */
  readonly defaultConcurrency: number;
  readonly logs: LogStore;
  readonly console: ConsoleLog;
  /** Multiplies the delays between asynchronous retries. @default 1 */
  readonly timeScale?: number;
}

/** Lambda retries a failed asynchronous invocation twice, a minute and two minutes later. */
const ASYNC_RETRY_DELAYS_MS = [60_000, 120_000];
const THROTTLE_RETRY_DELAY_MS = 1000;
const MAX_THROTTLE_RETRIES = 20;

export interface FunctionStats {
  readonly name: string;
  readonly logicalId: string;
  readonly invocations: number;
  readonly errors: number;
  readonly throttles: number;
  readonly active: number;
  readonly warm: number;
}

/** `IngestOrderB895FBFB` → `IngestOrder`: CDK's hash suffix says nothing to a reader. */
export function displayName(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '');
}

/** Lambda's reserved environment variables for a function. */
function lambdaEnvironment(
  spec: FunctionSpec,
  base: Readonly<Record<string, string>>,
): Record<string, string> {
  const logLevel = spec.environment.POWERTOOLS_LOG_LEVEL;
  return {
    ...base,
    ...spec.environment,
    AWS_LAMBDA_FUNCTION_NAME: spec.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memorySize),
    AWS_LAMBDA_LOG_GROUP_NAME: spec.logGroupName,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_FORMAT: 'JSON',
    ...(logLevel ? { AWS_LAMBDA_LOG_LEVEL: logLevel } : {}),
    AWS_EXECUTION_ENV: `AWS_Lambda_${spec.runtime}`,
    _HANDLER: `${spec.handlerFile
      .split('/')
      .pop()
      ?.replace(/\.[cm]?js$/, '')}.${spec.handlerExport}`,
    LAMBDA_TASK_ROOT: spec.handlerFile.slice(0, spec.handlerFile.lastIndexOf('/')),
    TZ: ':UTC',
  };
}

/** The local Lambda service: every function's environments, invocations and statistics. */
export class LambdaRuntime {
  private readonly pools = new Map<string, FunctionPool>();
  private readonly counters = new Map<string, { invocations: number; errors: number; throttles: number }>();
  private readonly asyncWork = new Set<Promise<void>>();

  constructor(private readonly options: LambdaRuntimeOptions) {
    for (const spec of options.functions) {
      options.logs.ensureGroup(spec.logGroupName);
      const label = displayName(spec.logicalId);
      this.pools.set(
        spec.name,
        new FunctionPool(spec, {
          environment: lambdaEnvironment(spec, options.baseEnvironment),
          maxConcurrency: spec.reservedConcurrency ?? options.defaultConcurrency,
          throttleWhenFull: spec.reservedConcurrency !== undefined,
          onLog: (line, stream) => {
            options.logs.put(spec.logGroupName, stream, line);
            options.console.functionLine(label, line);
          },
        }),
      );
      this.counters.set(spec.name, { invocations: 0, errors: 0, throttles: 0 });
    }
  }

  /** The pool of a function by name, ARN or partial ARN (qualifiers are ignored locally). */
  pool(nameOrArn: string): FunctionPool | undefined {
    return this.pools.get(functionNameOf(nameOrArn));
  }

  specs(): FunctionSpec[] {
    return [...this.pools.values()].map((pool) => pool.spec);
  }

  /** A synchronous (RequestResponse) invocation. Throws TooManyRequestsError when throttled. */
  async invoke(nameOrArn: string, event: unknown, clientContext?: unknown): Promise<InvokeOutcome> {
    const pool = this.pool(nameOrArn);
    if (!pool)
      throw Object.assign(new Error(`Function not found: ${nameOrArn}`), {
        name: 'ResourceNotFoundException',
      });
    const counter = this.counters.get(pool.spec.name) ?? { invocations: 0, errors: 0, throttles: 0 };
    counter.invocations += 1;
    try {
      const outcome = await pool.invoke(event, clientContext);
      if (outcome.error) {
        counter.errors += 1;
        this.logError(pool, outcome);
      }
      return outcome;
    } catch (error) {
      if (error instanceof Error && error.name === 'TooManyRequestsException') counter.throttles += 1;
      throw error;
    }
  }

  /**
   * An asynchronous (Event) invocation: accepted at once, then run with Lambda's retries: a
   * throttled invocation is retried until it runs, a failed one twice more.
   */
  invokeAsync(nameOrArn: string, event: unknown): void {
    if (!this.pool(nameOrArn))
      throw Object.assign(new Error(`Function not found: ${nameOrArn}`), {
        name: 'ResourceNotFoundException',
      });
    const work = this.runAsync(nameOrArn, event);
    this.asyncWork.add(work);
    void work.finally(() => this.asyncWork.delete(work));
  }

  /** Resolves once every asynchronous invocation started so far has finished. */
  async idle(): Promise<void> {
    while (this.asyncWork.size > 0) await Promise.allSettled([...this.asyncWork]);
  }

  private async runAsync(nameOrArn: string, event: unknown): Promise<void> {
    const scale = this.options.timeScale ?? 1;
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms * scale));
    let throttles = 0;
    for (let attempt = 0; attempt <= ASYNC_RETRY_DELAYS_MS.length; ) {
      try {
        const outcome = await this.invoke(nameOrArn, event);
        if (!outcome.error) return;
        if (attempt === ASYNC_RETRY_DELAYS_MS.length) return;
        await pause(ASYNC_RETRY_DELAYS_MS[attempt] ?? 0);
        attempt += 1;
      } catch (error) {
        if (
          !(error instanceof Error && error.name === 'TooManyRequestsException') ||
          throttles >= MAX_THROTTLE_RETRIES
        )
          return;
        throttles += 1;
        await pause(THROTTLE_RETRY_DELAY_MS);
      }
    }
  }

  stats(): FunctionStats[] {
    return [...this.pools.values()].map((pool) => ({
      name: pool.spec.name,
      logicalId: pool.spec.logicalId,
      ...(this.counters.get(pool.spec.name) ?? { invocations: 0, errors: 0, throttles: 0 }),
      active: pool.active,
      warm: pool.warm,
    }));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.stop()));
  }

  /** Writes the error the Node.js runtime logs for a failed invocation. */
  private logError(pool: FunctionPool, outcome: InvokeOutcome): void {
    const line = JSON.stringify({
      timestamp: new Date().toISOString(),
      level: 'ERROR',
      requestId: outcome.requestId,
      message: 'Invoke Error',
      errorType: outcome.error?.errorType,
      errorMessage: outcome.error?.errorMessage,
      stackTrace: outcome.error?.trace,
    });
    this.options.logs.put(pool.spec.logGroupName, 'runtime', line);
    this.options.console.functionLine(displayName(pool.spec.logicalId), line);
  }
}

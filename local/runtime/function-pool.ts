import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { FunctionSpec } from '../template/topology-types';

const WORKER_SCRIPT = path.join(__dirname, 'worker.mjs');

export interface LambdaError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

export interface InvokeOutcome {
  readonly requestId: string;
  /** The handler's result, parsed from its JSON, when it succeeded. */
  readonly payload?: unknown;
  readonly error?: LambdaError;
  readonly durationMs: number;
  readonly coldStart: boolean;
}

/** The function is at its concurrency limit (reserved concurrency). */
export class TooManyRequestsError extends Error {
  override readonly name = 'TooManyRequestsException';
  constructor(functionName: string, limit: number) {
    super(`Rate Exceeded. ${functionName} is at its concurrency limit of ${limit}`);
  }
}

export interface PoolOptions {
  readonly environment: Readonly<Record<string, string>>;
  readonly maxConcurrency: number;
  /** Refuse invocations beyond `maxConcurrency` (reserved concurrency) instead of queueing them. */
  readonly throttleWhenFull: boolean;
  /** Receives every line the function writes. */
  readonly onLog: (line: string, logStreamName: string) => void;
}

interface Grant {
  readonly environment: ExecutionEnvironment;
  readonly coldStart: boolean;
}

interface Pending {
  readonly resolve: (outcome: { ok: true; payload: string } | { ok: false; error: LambdaError }) => void;
}

class ExecutionEnvironment {
  readonly worker: Worker;
  readonly ready: Promise<LambdaError | undefined>;
  readonly logStreamName: string;
  pending?: Pending;
  invocations = 0;

  constructor(spec: FunctionSpec, options: PoolOptions) {
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
    this.logStreamName = `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
    this.worker = new Worker(WORKER_SCRIPT, {
      workerData: { handlerFile: spec.handlerFile, handlerExport: spec.handlerExport },
      env: { ...options.environment, AWS_LAMBDA_LOG_STREAM_NAME: this.logStreamName },
      // The host's flags (tsx's loader under `npm start`) would slow every cold start and differ from Lambda.
      execArgv: [],
      stdout: true,
      stderr: true,
    });
    for (const stream of [this.worker.stdout, this.worker.stderr]) {
      createInterface({ input: stream }).on('line', (line) => options.onLog(line, this.logStreamName));
    }
    this.ready = new Promise((resolve) => {
      this.worker.on(
        'message',
        (message: { type: string; ok?: boolean; payload?: string; error?: LambdaError }) => {
          if (message.type === 'ready') resolve(undefined);
          else if (message.type === 'init-error') resolve(message.error);
          else if (message.type === 'result')
            this.settle(
              message.ok
                ? { ok: true, payload: message.payload ?? 'null' }
                : {
                    ok: false,
                    error: message.error ?? { errorType: 'Error', errorMessage: 'Unknown error' },
                  },
            );
        },
      );
      const crash = (error: LambdaError) => {
        resolve(error);
        this.settle({ ok: false, error });
      };
      this.worker.on('error', (error) =>
        crash({
          errorType: 'Runtime.ExitError',
          errorMessage: `${error.name}: ${error.message}`,
          trace: error.stack?.split('\n'),
        }),
      );
      this.worker.on('exit', (code) =>
        crash({ errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with code ${code}` }),
      );
    });
  }

  private settle(outcome: Parameters<Pending['resolve']>[0]): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve(outcome);
  }
}

function traceHeader(): string {
  const epoch = Math.floor(Date.now() / 1000).toString(16);
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}

/**
 * The execution environments of one function: created on demand up to its concurrency, one at
 * a time, kept warm, each running one invocation at a time; an invocation past the function's
 * timeout stops its environment, as Lambda does.
 */
export class FunctionPool {
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly all = new Set<ExecutionEnvironment>();
  private readonly waiting: ((grant: Grant) => void)[] = [];
  /** Environments in their init phase. */
  private starting = 0;
  private stopped = false;

  constructor(
    readonly spec: FunctionSpec,
    private readonly options: PoolOptions,
  ) {}

  get active(): number {
    return this.all.size - this.idle.length;
  }

  get warm(): number {
    return this.all.size;
  }

  async invoke(event: unknown, clientContext?: unknown): Promise<InvokeOutcome> {
    const { environment, coldStart } = await this.acquire();
    const requestId = randomUUID();
    const started = performance.now();
    const initError = await environment.ready;
    if (initError) {
      this.discard(environment);
      return { requestId, error: initError, durationMs: performance.now() - started, coldStart };
    }
    const outcome = await this.run(environment, requestId, event, clientContext);
    const durationMs = performance.now() - started;
    if (outcome.ok) {
      this.release(environment);
      return { requestId, payload: JSON.parse(outcome.payload), durationMs, coldStart };
    }
    if (outcome.error.errorType === 'Sandbox.Timedout' || outcome.error.errorType.startsWith('Runtime.')) {
      this.discard(environment);
    } else {
      this.release(environment);
    }
    return { requestId, error: outcome.error, durationMs, coldStart };
  }

  private run(environment: ExecutionEnvironment, requestId: string, event: unknown, clientContext: unknown) {
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    return new Promise<Parameters<Pending['resolve']>[0]>((resolve) => {
      const timer = setTimeout(() => {
        environment.pending = undefined;
        resolve({
          ok: false,
          error: {
            errorType: 'Sandbox.Timedout',
            errorMessage: `${requestId} Task timed out after ${this.spec.timeoutSeconds.toFixed(2)} seconds`,
          },
        });
      }, timeoutMs);
      environment.pending = {
        resolve: (outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        },
      };
      environment.invocations += 1;
      environment.worker.postMessage({
        type: 'invoke',
        id: requestId,
        event,
        deadline: Date.now() + timeoutMs,
        invocationEnv: { _X_AMZN_TRACE_ID: traceHeader() },
        context: {
          functionName: this.spec.name,
          functionVersion: '$LATEST',
          invokedFunctionArn: this.spec.arn,
          memoryLimitInMB: String(this.spec.memorySize),
          awsRequestId: requestId,
          logGroupName: this.spec.logGroupName,
          logStreamName: environment.logStreamName,
          clientContext,
        },
      });
    });
  }

  private async acquire(): Promise<Grant> {
    if (this.stopped) throw new Error(`${this.spec.name} is stopped`);
    const idle = this.idle.pop();
    if (idle) return { environment: idle, coldStart: false };
    if (this.all.size < this.options.maxConcurrency) {
      if (this.starting === 0) return { environment: this.spawn(), coldStart: true };
    } else if (this.options.throttleWhenFull) {
      throw new TooManyRequestsError(this.spec.name, this.options.maxConcurrency);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(environment: ExecutionEnvironment): void {
    const next = this.waiting.shift();
    if (next) next({ environment, coldStart: false });
    else this.idle.push(environment);
  }

  private discard(environment: ExecutionEnvironment): void {
    this.all.delete(environment);
    void environment.worker.terminate();
    this.growForWaiters();
  }

  /**
   * One environment starts at a time: a burst waits for the one starting or for a busy one to
   * free up, and the pool grows again only if invocations are still waiting once it is ready.
   * Starting them all at once would spend the laptop's CPU on cold starts the burst never needed.
   */
  private growForWaiters(): void {
    if (this.stopped || this.starting > 0 || this.all.size >= this.options.maxConcurrency) return;
    const next = this.waiting.shift();
    if (next) next({ environment: this.spawn(), coldStart: true });
  }

  private spawn(): ExecutionEnvironment {
    const environment = new ExecutionEnvironment(this.spec, this.options);
    this.all.add(environment);
    this.starting += 1;
    void environment.ready.then(() => {
      this.starting -= 1;
      this.growForWaiters();
    });
    return environment;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.all].map((environment) => environment.worker.terminate()));
    this.all.clear();
    this.idle.length = 0;
  }
}

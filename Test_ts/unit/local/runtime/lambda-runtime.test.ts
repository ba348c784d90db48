import { execFile } from 'node:child_process';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { ConsoleLog } from '../../../../local/runtime/console-log';
import { TooManyRequestsError } from '../../../../local/runtime/function-pool';
import { LambdaRuntime } from '../../../../local/runtime/lambda-runtime';
import { LogStore } from '../../../../local/runtime/log-store';
import { functionSpec } from '../../../fixtures/lambda/function-spec';
import { waitFor } from '../../../support/wait';

const run = promisify(execFile);
const FIXTURES = path.join(__dirname, '..', '..', '..', 'fixtures', 'lambda');

describe('LambdaRuntime', () => {
  const logs = new LogStore();
  const output = new PassThrough();
  const lines: string[] = [];
  output.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  const runtime = new LambdaRuntime({
    functions: [
      functionSpec('echo', 'echo'),
      functionSpec('fail', 'fail'),
      functionSpec('sleepy', 'sleep', { timeoutSeconds: 1 }),
      functionSpec('single', 'sleep', { reservedConcurrency: 1 }),
      functionSpec('queued', 'sleep'),
      functionSpec('logger', 'log'),
      functionSpec('callback', 'callback'),
      functionSpec('broken', 'handler', { handlerFile: path.join(FIXTURES, 'broken.mjs') }),
      functionSpec('flags', 'runtimeFlags'),
      functionSpec('mapped', 'runtimeFlags', { environment: { NODE_OPTIONS: '--enable-source-maps' } }),
    ],
    baseEnvironment: { AWS_REGION: 'us-east-1' },
    defaultConcurrency: 1,
    logs,
    console: new ConsoleLog('json', output),
  });

  afterAll(() => runtime.stop());

  it('runs the handler with the event, a real context and the function environment', async () => {
    const outcome = await runtime.invoke('echo', { hello: 'world' });
    const payload = outcome.payload as Record<string, unknown>;
    expect(outcome.error).toBeUndefined();
    expect(payload.event).toEqual({ hello: 'world' });
    expect(payload.functionName).toBe('echo');
    expect(payload.requestId).toBe(outcome.requestId);
    expect(payload.remainingMs).toBeGreaterThan(2000);
    expect(payload.remainingMs).toBeLessThanOrEqual(3000);
    expect(payload.env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'echo',
      AWS_REGION: 'us-east-1',
      GREETING: 'hello',
    });
    expect(String((payload.env as Record<string, string>).TRACE)).toMatch(
      /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=/,
    );
  });

  it('keeps an environment warm: module state survives, and only the first call is a cold start', async () => {
    const first = await runtime.invoke('arn:aws:lambda:us-east-1:000000000000:function:echo', {});
    const second = await runtime.invoke('echo', {});
    expect((second.payload as { invocations: number }).invocations).toBe(
      (first.payload as { invocations: number }).invocations + 1,
    );
    expect(second.coldStart).toBe(false);
  });

  it('reports a handler error with its type and message', async () => {
    const outcome = await runtime.invoke('fail', {});
    expect(outcome.error).toMatchObject({ errorType: 'PaymentDeclinedError', errorMessage: 'card declined' });
  });

  it('stops a handler past its timeout, and the next invocation gets a fresh environment', async () => {
    const timedOut = await runtime.invoke('sleepy', { ms: 5000 });
    expect(timedOut.error?.errorType).toBe('Sandbox.Timedout');
    expect(timedOut.error?.errorMessage).toContain('Task timed out after 1.00 seconds');
    expect(timedOut.durationMs).toBeLessThan(2500);
    const next = await runtime.invoke('sleepy', { ms: 1 });
    expect(next.payload).toBe('awake');
    expect(next.coldStart).toBe(true);
  });

  it('throttles beyond reserved concurrency', async () => {
    const running = runtime.invoke('single', { ms: 300 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(runtime.invoke('single', { ms: 1 })).rejects.toThrow(TooManyRequestsError);
    await expect(running).resolves.toMatchObject({ payload: 'awake' });
    expect(runtime.stats().find((stats) => stats.name === 'single')?.throttles).toBe(1);
  });

  it('queues beyond the local concurrency when no concurrency is reserved', async () => {
    const results = await Promise.all([
      runtime.invoke('queued', { ms: 100 }),
      runtime.invoke('queued', { ms: 100 }),
    ]);
    expect(results.map((result) => result.payload)).toEqual(['awake', 'awake']);
  });

  it('sends what the function writes to its log group and to the console with its name', async () => {
    await runtime.invoke('logger', { correlation: 'corr-42' });
    // The worker's stdout reaches the host after the invocation's result: wait for the line in both.
    await waitFor(
      () =>
        logs.events('/aws/lambda/logger', { contains: 'corr-42' }).length > 0 &&
        lines.some((line) => line.includes('corr-42'))
          ? true
          : undefined,
      'the function’s line in its log group and on the console',
    );
    const stored = logs.events('/aws/lambda/logger').map((event) => JSON.parse(event.message));
    expect(stored).toContainEqual(expect.objectContaining({ message: 'hello', correlation_id: 'corr-42' }));
    const printed = lines.map((line) => JSON.parse(line)).filter((record) => record.function === 'logger');
    expect(printed).toContainEqual(expect.objectContaining({ message: 'hello', correlation_id: 'corr-42' }));
  });

  it('runs callback-style handlers', async () => {
    expect((await runtime.invoke('callback', { value: 21 })).payload).toEqual({ doubled: 42 });
  });

  it('reports a failing init phase on every invocation', async () => {
    const outcome = await runtime.invoke('broken', {});
    expect(outcome.error?.errorMessage).toContain('EVENT_BUS_NAME is missing');
  });

  it('enables source maps only for a function whose NODE_OPTIONS asks for them, as Lambda does', async () => {
    expect((await runtime.invoke('mapped', {})).payload).toMatchObject({ sourceMapsEnabled: true });
    expect((await runtime.invoke('flags', {})).payload).toMatchObject({ sourceMapsEnabled: false });
  });

  it('starts execution environments without the host’s loader or flags', async () => {
    const { stdout } = await run(process.execPath, [
      '--import',
      'tsx',
      path.join(FIXTURES, 'invoke-under-tsx.ts'),
    ]);
    const { host, outcome } = JSON.parse(stdout) as {
      host: string[];
      outcome: { payload?: { execArgv: string[] }; error?: unknown };
    };
    expect(host).toContain('tsx');
    expect(outcome.error).toBeUndefined();
    expect(outcome.payload?.execArgv).toEqual([]);
  }, 30_000);

  it('finds a function by name, ARN or partial ARN, with or without a qualifier', async () => {
    for (const reference of [
      'echo:live',
      'arn:aws:lambda:us-east-1:000000000000:function:echo:live',
      '000000000000:function:echo',
    ]) {
      expect(runtime.pool(reference)?.spec.name).toBe('echo');
    }
  });

  it('refuses a function it does not know', async () => {
    await expect(runtime.invoke('nope', {})).rejects.toThrow('Function not found: nope');
  });
});

describe('LambdaRuntime cold starts under a burst', () => {
  const runtime = new LambdaRuntime({
    functions: [functionSpec('burst', 'sleep')],
    baseEnvironment: { AWS_REGION: 'us-east-1' },
    defaultConcurrency: 4,
    logs: new LogStore(),
    console: new ConsoleLog('json', new PassThrough()),
  });

  afterAll(() => runtime.stop());

  // On a laptop, starting every environment at once costs more CPU than the waiting it saves.
  it('starts one environment at a time, and adds more while invocations keep waiting', async () => {
    const burst = Array.from({ length: 6 }, () => runtime.invoke('burst', { ms: 400 }));
    expect(runtime.pool('burst')?.warm).toBe(1);

    const results = await Promise.all(burst);
    expect(results.map((result) => result.payload)).toEqual(Array(6).fill('awake'));
    const warm = runtime.pool('burst')?.warm ?? 0;
    expect(warm).toBeGreaterThan(1);
    expect(warm).toBeLessThanOrEqual(4);
    expect(results.filter((result) => result.coldStart)).toHaveLength(warm);
  });
});

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { synthesize } from '../../../local/template/synth';

// `npm start` as a person runs it: the CLI starts the local cloud, says when it is ready, and
// stops cleanly on Ctrl-C (SIGINT).

const ROOT = path.join(__dirname, '..', '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
let assembly: string;

beforeAll(() => {
  assembly = synthesize({ outdir: mkdtempSync(path.join(tmpdir(), 'junction-cli-')) });
}, 60_000);

/** Every CLI started by a test that has not exited yet; afterEach kills what a failed test left. */
const running = new Set<ChildProcess>();

/**
 * Starts the CLI in its own process group, so that cleanup reaches tsx and the Node.js process it
 * runs the CLI in.
 */
function startCli(args: readonly string[]): ChildProcess {
  const child = spawn(TSX, ['local/main.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** `promise`, or `fallback` once `ms` have passed; the timer never outlives the race. */
async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<F>((resolve) => {
        timer = setTimeout(() => resolve(fallback), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

afterEach(async () => {
  for (const child of [...running]) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is gone already.
    }
    await within(exitOf(child), 5_000, undefined);
  }
  running.clear();
});

function readyLine(child: ChildProcess): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch (error) {
        reject(new Error(`not a JSON line: ${line} (${String(error)})`));
        return;
      }
      if (record.event === 'ready') resolve(record);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before it was ready`)));
  });
}

const SPAWN_SYNC = { cwd: ROOT, encoding: 'utf8', timeout: 30_000 } as const;

describe('the local cloud CLI', () => {
  it('starts from an assembly, reports ready in JSON, serves, and stops on SIGINT', async () => {
    const child = startCli(['--assembly', assembly, '--aws-port', '0', '--api-port', '0', '--json']);
    const ready = await readyLine(child);
    expect(ready).toMatchObject({
      event: 'ready',
      stack: 'Junction-dev',
      notEmulated: expect.objectContaining({ 'AWS::IAM::Role': expect.any(Number) }),
    });
    const health = await fetch(`${String(ready.awsEndpoint)}/_local/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const exited = exitOf(child);
    child.kill('SIGINT');
    expect(await within(exited, 10_000, 'still running')).toBe(0);
  }, 60_000);

  it('prints its usage', () => {
    const result = spawnSync(TSX, ['local/main.ts', '--help'], SPAWN_SYNC);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--time-scale');
  });

  it('refuses a bad option with a clear message', () => {
    const result = spawnSync(TSX, ['local/main.ts', '--time-scale', 'fast'], SPAWN_SYNC);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--time-scale must be a non-negative number, got "fast"');
  });
});

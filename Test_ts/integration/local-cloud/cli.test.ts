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

function readyLine(child: ChildProcess): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const record = JSON.parse(line) as Record<string, unknown>;
      if (record.event === 'ready') resolve(record);
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code} before it was ready`)));
  });
}

describe('the local cloud CLI', () => {
  it('starts from an assembly, reports ready in JSON, serves, and stops on SIGINT', async () => {
    const child = spawn(
      TSX,
      ['local/main.ts', '--assembly', assembly, '--aws-port', '0', '--api-port', '0', '--json'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const ready = await readyLine(child);
    expect(ready).toMatchObject({
      event: 'ready',
      stack: 'Junction-dev',
      notEmulated: expect.objectContaining({ 'AWS::IAM::Role': expect.any(Number) }),
    });
    const health = await fetch(`${String(ready.awsEndpoint)}/_local/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    const code = await Promise.race([
      exited,
      new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 10_000)),
    ]);
    expect(code).toBe(0);
  }, 60_000);

  it('prints its usage', () => {
    const result = spawnSync(TSX, ['local/main.ts', '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--time-scale');
  });

  it('refuses a bad option with a clear message', () => {
    const result = spawnSync(TSX, ['local/main.ts', '--time-scale', 'fast'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--time-scale must be a non-negative number, got "fast"');
  });
});

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = path.join(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

export interface CliStartup {
  /** From spawning `tsx local/main.ts` to its ready line: what a person waits after `npm start`. */
  readonly wallMs: number;
  readonly readyMs: number;
  readonly synthMs: number;
  readonly rssMb: number;
}

/** Resident memory of a process and its descendants (tsx runs the script in a child node). */
function rssMbOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const own = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return own + children.reduce((sum, child) => sum + rssMbOf(Number(child)), 0);
}

/** Starts the CLI in a fresh process, as `npm start` does, and stops it with Ctrl-C once it is ready. */
export function measureCliStartup(stage: string): Promise<CliStartup> {
  const started = performance.now();
  const child = spawn(
    TSX,
    [
      '--disable-warning=ExperimentalWarning',
      'local/main.ts',
      '--json',
      '--stage',
      stage,
      '--aws-port',
      '0',
      '--api-port',
      '0',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`the local cloud exited with ${code} before it was ready`)),
    );
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.includes('"event":"ready"')) return;
      const record = JSON.parse(line) as { readyMs?: number; synthMs?: number };
      const startup = {
        wallMs: performance.now() - started,
        readyMs: record.readyMs ?? Number.NaN,
        synthMs: record.synthMs ?? Number.NaN,
        rssMb: child.pid === undefined ? Number.NaN : rssMbOf(child.pid),
      };
      child.removeAllListeners('exit');
      child.once('exit', () => resolve(startup));
      child.kill('SIGINT');
    });
  });
}

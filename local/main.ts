import path from 'node:path';
import { parseArgs } from 'node:util';
import { LocalCloud } from './cloud';
import type { LogMode } from './runtime/console-log';

const USAGE = `Usage: npm start -- [options]

Runs the synthesized Junction stack on loopback: no AWS account, no Docker.

Options:
  --stage <name>        stage to synthesize (dev or prod)            [dev]
  --assembly <dir>      run an existing cloud assembly instead of synthesizing
  --aws-port <port>     the AWS endpoint's port                       [4566]
  --api-port <port>     the API's port                                 [3000]
  --region <region>     the local region                               [us-east-1]
  --time-scale <n>      multiply long AWS waits (0.01 = 100x faster)   [1]
  --json                logs as one JSON object per line
  --quiet               no function logs, no banner
  --help                this text`;

function number(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0)
    throw new Error(`--${name} must be a non-negative number, got "${value}"`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      stage: { type: 'string' },
      assembly: { type: 'string' },
      'aws-port': { type: 'string' },
      'api-port': { type: 'string' },
      region: { type: 'string' },
      'time-scale': { type: 'string' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const logMode: LogMode = values.quiet ? 'quiet' : values.json ? 'json' : 'pretty';
  const cloud = await LocalCloud.start({
    assemblyDir: values.assembly,
    outdir: path.join(process.cwd(), 'cdk.out'),
    context: values.stage ? { stage: values.stage } : {},
    awsPort: number(values['aws-port'], 'aws-port', 4566),
    apiPort: number(values['api-port'], 'api-port', 3000),
    region: values.region,
    timeScale: number(values['time-scale'], 'time-scale', 1),
    logMode,
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (logMode !== 'quiet') process.stdout.write(`\n${signal}: stopping the local cloud…\n`);
    void cloud.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import { benchLocalCloud } from './local-cloud';
import { benchMapping } from './mapping';

/** `npm run bench [-- name]`: runs the named benchmarks, or all of them. */
const BENCHMARKS: Readonly<Record<string, () => Promise<void>>> = {
  local: benchLocalCloud,
  mapping: benchMapping,
};

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  const unknown = names.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) {
    throw new Error(`Unknown benchmark: ${unknown.join(', ')}. Known: ${Object.keys(BENCHMARKS).join(', ')}`);
  }
  for (const name of names.length > 0 ? names : Object.keys(BENCHMARKS)) await BENCHMARKS[name]?.();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

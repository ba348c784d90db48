import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import type { compileMapping } from '../../utils/mapping/compile';

/**
 * The mapping engine as a function runs it: one esbuild bundle. Loaded through tsx instead, every
 * call between its modules goes through a CommonJS export getter, which halves its speed here
 * and would measure the benchmark's loader rather than the engine.
 */
export function bundledCompileMapping(): typeof compileMapping {
  const outfile = path.join(mkdtempSync(path.join(tmpdir(), 'junction-bench-')), 'mapping-engine.cjs');
  buildSync({
    entryPoints: [path.join(__dirname, '../../utils/mapping/compile.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    outfile,
    logLevel: 'error',
  });
  return (require(outfile) as { compileMapping: typeof compileMapping }).compileMapping;
}

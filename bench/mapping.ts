import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { textTable } from '../utils/format/text-table';
import type { CompiledMapping } from '../utils/mapping/compile';
import { bundledCompileMapping } from './mapping/engine-bundle';
import { handwritten, type MappingName } from './mapping/handwritten';
import { customerInputs, orderInputs } from './mapping/inputs';
import { MAPPING_NAMES, specOf, twins } from './mapping/twins';
import { median, round } from './stats';

// The mapping engine's targets: a compiled spec maps at least 50 times as fast as the same mapping
// in JSONata, and at most 2 times slower than the code a developer would write by hand.

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const compileMapping = bundledCompileMapping();
const RUN_MS = 300;
const WARMUP_MS = 300;
const ITEM_COUNTS = [1, 10, 100] as const;
/** Distinct inputs per case, cycled, so no implementation maps one record over and over. */
const POOL = 16;
const JSONATA_TARGET = 50;
const HANDWRITTEN_TARGET = 2;

type Implementation = 'compiled' | 'jsonata' | 'handwritten';
const IMPLEMENTATIONS: readonly Implementation[] = ['compiled', 'jsonata', 'handwritten'];

interface Case {
  readonly mapping: MappingName;
  /** Line items per order; undefined for the customer mapping, which has none. */
  readonly items: number | undefined;
  readonly inputs: readonly unknown[];
}

// Written by every measured call, so no result can be optimised away.
let sink: unknown;

const cases = (): Case[] =>
  MAPPING_NAMES.flatMap((mapping): Case[] =>
    mapping === 'customer.to.crm'
      ? [{ mapping, items: undefined, inputs: customerInputs(POOL) }]
      : ITEM_COUNTS.map((items) => ({ mapping, items, inputs: orderInputs(items, POOL) })),
  );

const label = (testCase: Case) =>
  testCase.items === undefined ? 'customer, no items' : `${testCase.items} items`;

const runners = (compiled: CompiledMapping, mapping: MappingName) => ({
  compiled: (input: unknown) => compiled.map(input),
  jsonata: (input: unknown) => twins[mapping].evaluate(input),
  handwritten: handwritten[mapping],
});

/** Aborts the benchmark unless all three give the same output (same data, same key order) for every input. */
async function assertSameOutputs(testCase: Case, compiled: CompiledMapping): Promise<void> {
  for (const [index, input] of testCase.inputs.entries()) {
    const expected = compiled.map(input);
    // JSONata builds objects without a prototype: compare their data, copied into plain objects.
    const outputs = {
      jsonata: structuredClone(await twins[testCase.mapping].evaluate(input)),
      handwritten: handwritten[testCase.mapping](input),
    };
    for (const [implementation, output] of Object.entries(outputs)) {
      if (isDeepStrictEqual(output, expected) && JSON.stringify(output) === JSON.stringify(expected))
        continue;
      throw new Error(
        `${testCase.mapping} (${label(testCase)}), input ${index}: the ${implementation} output differs from the compiled spec's; not benchmarking.\n` +
          `compiled:       ${JSON.stringify(expected)}\n${implementation.padEnd(15)} ${JSON.stringify(output)}`,
      );
    }
  }
}

/** Maps inputs in turn for `ms` milliseconds; returns operations per second. */
async function opsPerSecond(
  run: (input: unknown) => unknown,
  inputs: readonly unknown[],
  ms: number,
  awaits: boolean,
): Promise<number> {
  // Checking the clock every few calls keeps its cost out of the fast implementations' figures.
  const batch = 8;
  let operations = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let step = 0; step < batch; step++) {
      const input = inputs[(operations + step) % inputs.length];
      sink = awaits ? await run(input) : run(input);
    }
    operations += batch;
    elapsed = performance.now() - started;
  }
  return (operations * 1000) / elapsed;
}

async function measure(testCase: Case) {
  const compiled = compileMapping(specOf(testCase.mapping));
  await assertSameOutputs(testCase, compiled);
  const run = runners(compiled, testCase.mapping);
  for (const implementation of IMPLEMENTATIONS)
    await opsPerSecond(run[implementation], testCase.inputs, WARMUP_MS, implementation === 'jsonata');
  const runs: Record<Implementation, number[]> = { compiled: [], jsonata: [], handwritten: [] };
  // Interleaved, so drift in the machine's speed hits all three alike.
  for (let index = 0; index < RUNS; index++) {
    for (const implementation of IMPLEMENTATIONS)
      runs[implementation].push(
        await opsPerSecond(run[implementation], testCase.inputs, RUN_MS, implementation === 'jsonata'),
      );
  }
  const medians = {
    compiled: median(runs.compiled),
    jsonata: median(runs.jsonata),
    handwritten: median(runs.handwritten),
  };
  const compiledOverJsonata = medians.compiled / medians.jsonata;
  const handwrittenOverCompiled = medians.handwritten / medians.compiled;
  process.stdout.write(
    `${testCase.mapping} (${label(testCase)}): compiled ${Math.round(medians.compiled)} ops/s, ` +
      `JSONata ${Math.round(medians.jsonata)}, hand-written ${Math.round(medians.handwritten)}\n`,
  );
  return {
    mapping: testCase.mapping,
    items: testCase.items ?? null,
    opsPerSecond: medians,
    runs,
    compiledOverJsonata,
    compiledOverJsonataMet: compiledOverJsonata >= JSONATA_TARGET,
    handwrittenOverCompiled,
    handwrittenOverCompiledMet: handwrittenOverCompiled <= HANDWRITTEN_TARGET,
  };
}

/** The commit measured, and whether the working tree had changes on top of it. */
function gitState(): { sha: string | null; dirty: boolean | null } {
  const git = (...args: string[]) =>
    execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return { sha: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain') !== '' };
  } catch {
    return { sha: null, dirty: null };
  }
}

const ops = (value: number) => (value >= 100 ? String(Math.round(value)) : String(round(value, 1)));
const verdict = (met: boolean) => (met ? 'met' : 'MISSED');

export async function benchMapping(): Promise<void> {
  const results = [];
  for (const testCase of cases()) results.push(await measure(testCase));
  const rows = results.map((result) => [
    result.mapping,
    result.items === null ? 'n/a (customer input, run once)' : result.items,
    ops(result.opsPerSecond.compiled),
    ops(result.opsPerSecond.jsonata),
    ops(result.opsPerSecond.handwritten),
    `${round(result.compiledOverJsonata)}x ${verdict(result.compiledOverJsonataMet)}`,
    `${round(result.handwrittenOverCompiled, 2)}x ${verdict(result.handwrittenOverCompiledMet)}`,
  ]);
  process.stdout.write(
    `\nMapping specs (the engine as one esbuild bundle, as deployed), ops/s, medians over ${RUNS} runs of ${RUN_MS} ms after ${WARMUP_MS} ms warm-up, ${POOL} distinct inputs per case (outputs checked equal first)\n\n` +
      `${textTable(['mapping', 'items', 'compiled', 'JSONata', 'hand-written', `compiled/JSONata (>= ${JSONATA_TARGET}x)`, `hand-written/compiled (<= ${HANDWRITTEN_TARGET}x)`], rows)}\n`,
  );
  const file = path.join(__dirname, 'results', 'mapping.json');
  mkdirSync(path.dirname(file), { recursive: true });
  const metadata = {
    measuredAt: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    git: gitState(),
  };
  const config = {
    runs: RUNS,
    runMs: RUN_MS,
    warmupMs: WARMUP_MS,
    inputsPerCase: POOL,
    targets: { compiledOverJsonata: JSONATA_TARGET, handwrittenOverCompiled: HANDWRITTEN_TARGET },
  };
  writeFileSync(file, `${JSON.stringify({ metadata, config, results }, null, 2)}\n`);
  process.stdout.write(`\nWrote ${path.relative(process.cwd(), file)}\n`);
  // Read once, so the writes to it cannot be treated as dead.
  if (sink === undefined) throw new Error('the measured calls produced no output');
}

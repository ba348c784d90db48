import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { catalogSchemaSources } from '../../../utils/events/catalog';
import { runSchemasCli } from '../../../utils/schemas/cli';
import type { EventSchemaSource } from '../../../utils/schemas/registry-files';

const V10 = z.object({ id: z.string(), size: z.enum(['s', 'm']) });
const sources: EventSchemaSource[] = [
  { type: 'thing.made', version: '1.0', schema: V10 },
  { type: 'thing.made', version: '1.1', schema: V10.extend({ colour: z.string().optional() }) },
];

let directory: string;
let out: string[];
let err: string[];

function run(args: string[], withSources = sources): number {
  return runSchemasCli(args, {
    directory,
    displayDirectory: 'specs/schemas',
    sources: withSources,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
}

beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'junction-schemas-cli-'));
  out = [];
  err = [];
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe('schemas CLI', () => {
  it('fails check before anything was generated, naming each missing file', () => {
    expect(run(['check'])).toBe(1);
    expect(err).toEqual(
      expect.arrayContaining([
        'specs/schemas/thing.made/1.0.json is missing',
        'specs/schemas/thing.made/1.1.json is missing',
        'Run `npm run schemas -- generate` to write the schema files from the zod schemas.',
      ]),
    );
  });

  it('generates the files, after which check passes', () => {
    expect(run(['generate'])).toBe(0);
    expect(out).toEqual([
      'wrote specs/schemas/thing.made/1.0.json',
      'wrote specs/schemas/thing.made/1.1.json',
    ]);
    out = [];
    expect(run(['check'])).toBe(0);
    expect(err).toEqual([]);
    expect(out).toEqual([
      'specs/schemas: 2 schema files match the zod schemas, and every minor version is compatible with the previous one',
    ]);
  });

  it('fails check on a hand-edited file', () => {
    run(['generate']);
    writeFileSync(path.join(directory, 'thing.made', '1.0.json'), '{}\n');
    expect(run(['check'])).toBe(1);
    expect(err[0]).toMatch(
      /^specs\/schemas\/thing\.made\/1\.0\.json differs from what its zod schema generates/,
    );
  });

  it('fails check when a minor breaks consumers of the previous one, even with the files in sync', () => {
    const breaking: EventSchemaSource[] = [
      sources[0] as EventSchemaSource,
      { type: 'thing.made', version: '1.1', schema: z.object({ id: z.number(), size: z.enum(['s']) }) },
    ];
    run(['generate'], breaking);
    err = [];
    expect(run(['check'], breaking)).toBe(1);
    expect(err).toEqual([
      'thing.made 1.1 breaks consumers of 1.0: id: type changed from string to number',
      'thing.made 1.1 breaks consumers of 1.0: size: enum narrowed, "m" removed',
      'A change that breaks consumers of the previous minor needs a new major version (docs/events.md).',
    ]);
  });

  it('explains its usage on an unknown command', () => {
    expect(run(['publish'])).toBe(2);
    expect(run([])).toBe(2);
    expect(err[0]).toBe('Usage: npm run schemas -- <generate|check>');
  });
});

describe('bin/schemas.ts', () => {
  const root = path.join(__dirname, '..', '..', '..');

  function runBin(args: string[]) {
    return spawnSync(
      process.execPath,
      [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'bin/schemas.ts', ...args],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
  }

  it('checks the committed specs/schemas against the event catalog and passes', () => {
    const result = runBin(['check']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      `specs/schemas: ${catalogSchemaSources().length} schema files match the zod schemas`,
    );
  });

  it('exits 2 with the usage on an unknown command', () => {
    const result = runBin(['nonsense']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Usage: npm run schemas -- <generate|check>');
  });
});

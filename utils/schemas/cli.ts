import { checkMinorCompatibility } from './compatibility';
import {
  type EventSchemaSource,
  eventDataJsonSchema,
  findDrift,
  readSchemaFiles,
  renderSchemaFiles,
  writeSchemaFiles,
} from './registry-files';

export interface SchemasCliOptions {
  /** Where the schema files live (`specs/schemas`). */
  readonly directory: string;
  /** The directory as messages name it. @default `directory` */
  readonly displayDirectory?: string;
  readonly sources: readonly EventSchemaSource[];
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const USAGE = 'Usage: npm run schemas -- <generate|check>';

function generate(options: SchemasCliOptions, shown: string): number {
  const { written, removed } = writeSchemaFiles(options.directory, renderSchemaFiles(options.sources));
  for (const file of written) options.out(`wrote ${shown}/${file}`);
  for (const file of removed) options.out(`removed ${shown}/${file} (no zod schema in the event catalog)`);
  return 0;
}

function check(options: SchemasCliOptions, shown: string): number {
  const expected = renderSchemaFiles(options.sources);
  const drift = findDrift(expected, readSchemaFiles(options.directory), shown);
  // Compatibility is judged on what the zod schemas generate, so a break shows even before `generate`.
  const breaks = checkMinorCompatibility(
    options.sources.map((source) => ({ ...source, schema: eventDataJsonSchema(source) })),
  );
  for (const problem of drift) options.err(problem);
  if (drift.length > 0)
    options.err('Run `npm run schemas -- generate` to write the schema files from the zod schemas.');
  for (const problem of breaks) options.err(problem);
  if (breaks.length > 0) {
    options.err(
      'A change that breaks consumers of the previous minor needs a new major version (docs/events.md).',
    );
  }
  if (drift.length > 0 || breaks.length > 0) return 1;
  options.out(
    `${shown}: ${expected.size} schema files match the zod schemas, and every minor version is compatible with the previous one`,
  );
  return 0;
}

/** `generate` writes `specs/schemas` from the zod schemas; `check` fails on drift or a breaking minor. */
export function runSchemasCli(args: readonly string[], options: SchemasCliOptions): number {
  const shown = options.displayDirectory ?? options.directory;
  const [command, ...rest] = args;
  if (rest.length === 0 && command === 'generate') return generate(options, shown);
  if (rest.length === 0 && command === 'check') return check(options, shown);
  options.err(USAGE);
  return 2;
}

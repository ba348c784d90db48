import { readFileSync } from 'node:fs';
import { MappingError, MappingSpecError } from './errors';
import { loadMappingSpec, loadMappingSpecs } from './load';

export interface CliOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const USAGE = `Usage:
  npm run mapping -- check [SPEC.json ...]     check specs (every spec in specs/mappings when none is given)
  npm run mapping -- run SPEC.json INPUT.json  map one input and print the output
`;

function check(files: readonly string[], io: CliOutput): number {
  const compiled = files.length === 0 ? loadMappingSpecs() : files.map((file) => loadMappingSpec(file));
  for (const mapping of compiled) {
    io.out(`✓ ${mapping.name} ${mapping.version}: ${mapping.spec.transformations.length} transformations\n`);
  }
  return 0;
}

function run(specFile: string, inputFile: string, io: CliOutput): number {
  const mapping = loadMappingSpec(specFile);
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(inputFile, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    io.err(`${inputFile}: cannot read the input (${reason})\n`);
    return 1;
  }
  io.out(`${JSON.stringify(mapping.map(input), null, 2)}\n`);
  return 0;
}

/** `npm run mapping -- …`; returns the exit code: 0 done, 1 a spec or record failed, 2 usage. */
export function runMappingCli(args: readonly string[], io: CliOutput): number {
  const [command, ...rest] = args;
  try {
    if (command === 'check') return check(rest, io);
    if (command === 'run' && rest.length === 2) return run(rest[0] as string, rest[1] as string, io);
  } catch (error) {
    if (error instanceof MappingSpecError || error instanceof MappingError) {
      io.err(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  io.err(USAGE);
  return 2;
}

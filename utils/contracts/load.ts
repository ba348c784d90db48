import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { contractFromDocument, type IntegrationContract } from './contract';
import { ContractFileError } from './errors';

/** `specs/contracts` of the repository. */
export const CONTRACTS_DIR = path.resolve(__dirname, '../../specs/contracts');

/** The document of a contract's YAML text; a syntax error names the file. */
export function readContractDocument(text: string, file: string): unknown {
  const document = parseDocument(text, { prettyErrors: false });
  const [error] = document.errors;
  if (error)
    throw new ContractFileError(file, [{ field: '(file)', message: `not valid YAML: ${error.message}` }]);
  return document.toJS();
}

/** Checks and builds a contract from its YAML text; `file` is shown in errors. */
export function parseContract(text: string, file: string): IntegrationContract {
  return contractFromDocument(readContractDocument(text, file), file);
}

export function readContractText(file: string, displayName: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ContractFileError(displayName, [{ field: '(file)', message: `cannot read it (${reason})` }]);
  }
}

/** Reads, checks and builds one contract file; errors show its path relative to the working directory. */
export function loadContract(file: string): IntegrationContract {
  const displayName = path.relative(process.cwd(), file);
  return parseContract(readContractText(file, displayName), displayName);
}

/** The YAML files of a contract directory, sorted. */
export function contractFiles(dir = CONTRACTS_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => path.join(dir, entry.name))
    .sort();
}

/**
 * Every contract in `dir` (specs/contracts by default). Called at synth, so a broken contract fails
 * `cdk synth` with its file and field.
 */
export function loadContracts(dir = CONTRACTS_DIR): IntegrationContract[] {
  return contractFiles(dir).map(loadContract);
}

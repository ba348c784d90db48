import path from 'node:path';
import { contractDrift, writeContractJson } from './bundle';
import { ContractFileError } from './errors';
import { CONTRACTS_DIR, loadContracts } from './load';

export interface CliOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const USAGE = `Usage:
  npx tsx bin/contracts.ts check [DIR]      check the contracts (specs/contracts by default) and their JSON
  npx tsx bin/contracts.ts generate [DIR]   write the JSON that Lambda bundles import, from the YAML
`;

function check(dir: string, io: CliOutput): number {
  for (const contract of loadContracts(dir)) {
    const endpoints = Object.keys(contract.endpoints).length;
    io.out(
      `✓ ${contract.name} ${contract.version}: ${endpoints} endpoint${endpoints === 1 ? '' : 's'} (${contract.file})\n`,
    );
  }
  const drift = contractDrift(dir);
  for (const { file, reason } of drift) {
    io.err(`${path.relative(process.cwd(), file)} is ${reason}: run \`npx tsx bin/contracts.ts generate\`\n`);
  }
  return drift.length === 0 ? 0 : 1;
}

function generate(dir: string, io: CliOutput): number {
  loadContracts(dir);
  for (const file of writeContractJson(dir)) io.out(`wrote ${path.relative(process.cwd(), file)}\n`);
  return 0;
}

/** Returns the exit code: 0 done, 1 a contract is broken or its JSON drifted, 2 usage. */
export function runContractsCli(args: readonly string[], io: CliOutput): number {
  const [command, dir = CONTRACTS_DIR, ...rest] = args;
  if (rest.length > 0 || (command !== 'check' && command !== 'generate')) {
    io.err(USAGE);
    return 2;
  }
  try {
    return command === 'check' ? check(dir, io) : generate(dir, io);
  } catch (error) {
    if (!(error instanceof ContractFileError)) throw error;
    io.err(`${error.message}\n`);
    return 1;
  }
}

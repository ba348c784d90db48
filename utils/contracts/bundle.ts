import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { CONTRACTS_DIR, contractFiles, readContractDocument, readContractText } from './load';

/**
 * A Lambda bundle cannot read `specs/` at run time, and esbuild has no YAML loader by default, so every
 * contract has a JSON twin (`payment.yaml` → `payment.json`) that connectors import; esbuild inlines
 * JSON. The YAML stays the source: `npx tsx bin/contracts.ts generate` writes the JSON, and a test (and
 * `check`) fails when the two drift apart. They are compared as data, so formatting is free.
 */

export interface ContractDrift {
  readonly file: string;
  readonly reason: 'missing' | 'stale';
}

const jsonFileOf = (yamlFile: string) => yamlFile.replace(/\.ya?ml$/, '.json');

function documentOf(yamlFile: string): unknown {
  const displayName = path.relative(process.cwd(), yamlFile);
  return readContractDocument(readContractText(yamlFile, displayName), displayName);
}

/** The JSON files that are missing or no longer hold their YAML's document. */
export function contractDrift(dir = CONTRACTS_DIR): ContractDrift[] {
  return contractFiles(dir).flatMap((yamlFile): ContractDrift[] => {
    const file = jsonFileOf(yamlFile);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return [{ file, reason: 'missing' }];
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return [{ file, reason: 'stale' }];
    }
    return isDeepStrictEqual(json, documentOf(yamlFile)) ? [] : [{ file, reason: 'stale' }];
  });
}

/** Writes the JSON twin of every YAML contract in `dir`; returns the files written. */
export function writeContractJson(dir = CONTRACTS_DIR): string[] {
  return contractFiles(dir).map((yamlFile) => {
    const file = jsonFileOf(yamlFile);
    writeFileSync(file, `${JSON.stringify(documentOf(yamlFile), null, 2)}\n`);
    return file;
  });
}

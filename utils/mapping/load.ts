import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type CompiledMapping, compileMapping } from './compile';
import { MappingSpecError } from './errors';
import type { JsonSchema } from './schema-types';

/** `specs/` of the repository: mapping specs in `mappings/`, event schemas in `schemas/`. */
export const SPECS_DIR = path.resolve(__dirname, '../../specs');

/** Reads `<schemasDir>/<type>/<version>.json` for a reference such as `order.created/1.1`. */
export function schemaFiles(
  schemasDir = path.join(SPECS_DIR, 'schemas'),
): (reference: string) => JsonSchema | undefined {
  const cache = new Map<string, JsonSchema | undefined>();
  return (reference) => {
    if (!cache.has(reference)) {
      let schema: JsonSchema | undefined;
      try {
        schema = JSON.parse(readFileSync(path.join(schemasDir, `${reference}.json`), 'utf8')) as JsonSchema;
      } catch {
        schema = undefined;
      }
      cache.set(reference, schema);
    }
    return cache.get(reference);
  };
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new MappingSpecError(file, '(file)', `cannot read it (${(error as NodeJS.ErrnoException).code})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MappingSpecError(file, '(file)', `not valid JSON: ${(error as Error).message}`);
  }
}

export interface LoadOptions {
  /** @default specs/schemas of the repository */
  readonly schemasDir?: string;
  /** Shown as the file in errors. @default the path relative to the working directory */
  readonly displayName?: string;
}

/** Reads, checks (types included) and compiles one spec file. */
export function loadMappingSpec(file: string, options: LoadOptions = {}): CompiledMapping {
  const displayName = options.displayName ?? path.relative(process.cwd(), file);
  return compileMapping(readJson(file), { file: displayName, schemas: schemaFiles(options.schemasDir) });
}

/** Every spec in `dir`; each file must be named after its mapping (`order.to.invoice.json`). */
export function loadMappingSpecs(
  dir = path.join(SPECS_DIR, 'mappings'),
  options: Omit<LoadOptions, 'displayName'> = {},
): CompiledMapping[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
  return files.map((name) => {
    const file = path.join(dir, name);
    const compiled = loadMappingSpec(file, options);
    if (`${compiled.name}.json` !== name) {
      throw new MappingSpecError(
        path.relative(process.cwd(), file),
        'mapping',
        `expected the file to be named ${compiled.name}.json`,
      );
    }
    return compiled;
  });
}

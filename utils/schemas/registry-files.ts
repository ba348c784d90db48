import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { JsonSchema } from './compatibility';

/** One version of an event type's `data`, as the event catalog defines it. */
export interface EventSchemaSource {
  readonly type: string;
  readonly version: string;
  readonly schema: z.ZodType;
}

/** `<type>/<major.minor>.json`, relative to the schema directory, always with `/`. */
export function schemaFilePath(type: string, version: string): string {
  return `${type}/${version}.json`;
}

/**
 * The JSON Schema (draft 2020-12) of an event's `data`. `io: 'input'` describes what travels on the
 * bus — what producers must send and consumers must accept — so a plain object does not forbid
 * unknown fields, as a newer minor may add some, and a field with a default stays optional.
 */
export function eventDataJsonSchema(source: EventSchemaSource): JsonSchema {
  const generated = z.toJSONSchema(source.schema, { target: 'draft-2020-12', io: 'input' });
  const { $schema, ...rest } = generated as JsonSchema;
  return {
    $schema,
    $id: `urn:junction:event-data:${source.type}:${source.version}`,
    title: `${source.type} ${source.version} data`,
    ...rest,
  };
}

/** Every schema file's expected content, by relative path, in catalog order. */
export function renderSchemaFiles(sources: readonly EventSchemaSource[]): Map<string, string> {
  return new Map(
    sources.map((source) => [
      schemaFilePath(source.type, source.version),
      `${JSON.stringify(eventDataJsonSchema(source), null, 2)}\n`,
    ]),
  );
}

/** The `<type>/<version>.json` files under `directory`, by relative path; none if it is absent. */
export function readSchemaFiles(directory: string): Map<string, string> {
  const files = new Map<string, string>();
  let types: string[];
  try {
    types = readdirSync(directory, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return files;
    throw error;
  }
  for (const type of types) {
    for (const name of readdirSync(path.join(directory, type)).sort()) {
      if (!name.endsWith('.json')) continue;
      files.set(`${type}/${name}`, readFileSync(path.join(directory, type, name), 'utf8'));
    }
  }
  return files;
}

function firstDifference(expected: string, actual: string): string {
  const want = expected.split('\n');
  const found = actual.split('\n');
  const line = want.findIndex((text, index) => text !== found[index]);
  const at = line < 0 ? want.length : line;
  const show = (text: string | undefined) => (text === undefined ? 'end of file' : text.trim());
  return `line ${at + 1}: expected ${show(want[at])}, found ${show(found[at])}`;
}

/**
 * What differs between the files the zod schemas generate and the files on disk: missing,
 * extra (no zod schema behind it) or changed by hand. `shown` is the directory as messages name it.
 */
export function findDrift(
  expected: ReadonlyMap<string, string>,
  actual: ReadonlyMap<string, string>,
  shown: string,
): string[] {
  const problems: string[] = [];
  for (const [file, content] of expected) {
    const found = actual.get(file);
    if (found === undefined) problems.push(`${shown}/${file} is missing`);
    else if (found !== content) {
      problems.push(
        `${shown}/${file} differs from what its zod schema generates (${firstDifference(content, found)})`,
      );
    }
  }
  for (const file of actual.keys()) {
    if (!expected.has(file)) problems.push(`${shown}/${file} has no zod schema in the event catalog`);
  }
  return problems;
}

/** Writes every expected file and removes schema files that no longer have a zod schema. */
export function writeSchemaFiles(
  directory: string,
  expected: ReadonlyMap<string, string>,
): { written: string[]; removed: string[] } {
  const removed = [...readSchemaFiles(directory).keys()].filter((file) => !expected.has(file));
  for (const file of removed) rmSync(path.join(directory, file));
  for (const [file, content] of expected) {
    mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
    writeFileSync(path.join(directory, file), content);
  }
  return { written: [...expected.keys()], removed };
}

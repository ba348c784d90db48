import { readFileSync } from 'node:fs';
import path from 'node:path';
import jsonata from 'jsonata';
import type { MappingName } from './handwritten';

/** The mappings benchmarked, in the order they are reported. */
export const MAPPING_NAMES: readonly MappingName[] = [
  'order.to.invoice',
  'order.to.analytics',
  'customer.to.crm',
];

const SPECS_DIR = path.resolve(__dirname, '../../specs/mappings');
const TWINS_DIR = path.join(__dirname, 'twins');

/** The spec file's JSON, as `compileMapping` takes it. */
export const specOf = (name: MappingName): unknown =>
  JSON.parse(readFileSync(path.join(SPECS_DIR, `${name}.json`), 'utf8'));

/** The JSONata twin of each spec (`twins/<mapping>.jsonata`), parsed once as it would be in production. */
export const twins: Readonly<Record<MappingName, jsonata.Expression>> = Object.fromEntries(
  MAPPING_NAMES.map((name) => [name, jsonata(readFileSync(path.join(TWINS_DIR, `${name}.jsonata`), 'utf8'))]),
) as Record<MappingName, jsonata.Expression>;

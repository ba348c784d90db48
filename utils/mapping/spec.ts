import { z } from 'zod';
import { fieldPath } from '../validation/issues';
import { MappingSpecError } from './errors';

/** The shape of a mapping spec file (`specs/mappings/*.json`); docs/mapping.md describes each field. */
export const TRANSFORMATION_TYPES = ['direct', 'array', 'constant', 'lookup', 'format', 'concat'] as const;

export const TransformationSchema = z.strictObject({
  /** Where the value goes in the output: `invoice.line_items[*].amount`. */
  target: z.string().min(1),
  type: z.enum(TRANSFORMATION_TYPES),
  /** The input field read; with `[*]` it also sets the items an array transformation runs over. */
  source: z.string().min(1).optional(),
  /** concat: the fields joined, in order. */
  sources: z.array(z.string().min(1)).min(1).optional(),
  /** concat: put between the parts. @default '' */
  separator: z.string().optional(),
  /** Computes the value instead of copying `source` (fields relative to the current item). */
  formula: z.string().optional(),
  /** constant: the value set. */
  value: z.json().optional(),
  /** lookup: the name of a table in `lookups`. */
  table: z.string().min(1).optional(),
  /** How the value is written: `iso8601`, `decimal:2`, `minor-to-major:2`, `upper`, … */
  format: z.string().min(1).optional(),
  /** The output when the value is absent (or, for lookup, not in the table). */
  default: z.json().optional(),
  /** An absent value fails the record instead of leaving the target out. @default false */
  required: z.boolean().optional(),
  /** A boolean formula; the transformation is skipped where it is false. */
  when: z.string().optional(),
  description: z.string().optional(),
});

export const MappingSpecSchema = z.strictObject({
  $schema: z.string().optional(),
  mapping: z
    .string()
    .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'Expected a dotted name such as order.to.invoice'),
  version: z.string().regex(/^\d+\.\d+$/, 'Expected major.minor, such as 1.0'),
  description: z.string().optional(),
  /** The input's top-level fields and the event schema each follows (`"order": "order.created/1.1"`). */
  input: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
      z.string().regex(/^[a-z][a-z0-9_.]*\/\d+\.\d+$/, 'Expected type/version, such as order.created/1.1'),
    )
    .optional(),
  /** Value tables for lookup transformations. */
  lookups: z.record(z.string(), z.record(z.string(), z.json())).optional(),
  transformations: z.array(TransformationSchema).min(1),
});

export type Transformation = z.infer<typeof TransformationSchema>;
export type MappingSpec = z.infer<typeof MappingSpecSchema>;

/** Validates the file's JSON as a spec; the first problem is thrown with its location. */
export function parseMappingSpec(raw: unknown, file?: string): MappingSpec {
  const parsed = MappingSpecSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  const location = issue && issue.path.length > 0 ? fieldPath(issue.path) : '(spec)';
  throw new MappingSpecError(file, location, issue?.message ?? 'invalid spec');
}

import { MappingSpecError } from './errors';
import { mappingRunner } from './mapping-runner';
import { renderPath } from './paths';
import { inputFieldTypes, type JsonSchema } from './schema-types';
import { type MappingSpec, parseMappingSpec } from './spec';
import { type InputTypes, planTransformation, type TransformationPlan } from './transformation-plan';

export interface CompileOptions {
  /** Named in every error, so a failed synth points at the file. */
  readonly file?: string;
  /**
   * Finds an input schema by its reference (`order.created/1.1`). Given, fields and formulas are
   * type-checked against the spec's `input` schemas; the synth and the CLI pass it.
   */
  readonly schemas?: (reference: string) => JsonSchema | undefined;
}

/** A spec compiled into plain functions: `map` is a synchronous call that builds a fresh output. */
export interface CompiledMapping {
  readonly name: string;
  readonly version: string;
  readonly spec: MappingSpec;
  map(input: unknown): Record<string, unknown>;
}

function typesOf(spec: MappingSpec, options: CompileOptions): InputTypes | undefined {
  if (!options.schemas || !spec.input) return undefined;
  const schemas: Record<string, JsonSchema> = {};
  for (const [field, reference] of Object.entries(spec.input)) {
    const schema = options.schemas(reference);
    if (!schema)
      throw new MappingSpecError(options.file, `input.${field}`, `no schema ${reference} in specs/schemas`);
    schemas[field] = schema;
  }
  return inputFieldTypes(schemas);
}

/** Two transformations may not write the same target, nor one inside the other's value. */
function checkTargets(plans: readonly TransformationPlan[], file: string | undefined): void {
  const written = new Map<string, number>();
  for (const plan of plans) {
    const segments = plan.target.segments;
    for (let length = 1; length <= segments.length; length++) {
      const prefix = renderPath(segments.slice(0, length));
      const owner = written.get(prefix);
      if (owner === undefined) continue;
      const detail =
        length === segments.length
          ? `${plan.target.text} is already written by transformations[${owner}]`
          : `${plan.target.text} is inside ${prefix}, written by transformations[${owner}]`;
      throw new MappingSpecError(file, `transformations[${plan.index}].target`, detail);
    }
    written.set(renderPath(segments), plan.index);
  }
  for (const plan of plans) {
    for (const [path, owner] of written) {
      if (
        owner !== plan.index &&
        (path.startsWith(`${plan.target.text}.`) || path.startsWith(`${plan.target.text}[`))
      )
        throw new MappingSpecError(
          file,
          `transformations[${owner}].target`,
          `${path} is inside ${plan.target.text}, written by transformations[${plan.index}]`,
        );
    }
  }
}

/** Checks a spec (shape, paths, formulas, formats, tables, types) and compiles it; throws MappingSpecError. */
export function compileMapping(raw: unknown, options: CompileOptions = {}): CompiledMapping {
  const { file } = options;
  const spec = parseMappingSpec(raw, file);
  const types = typesOf(spec, options);
  const plans = spec.transformations.map((transformation, index) =>
    planTransformation(transformation, index, spec, types, (location, detail) => {
      throw new MappingSpecError(file, `transformations[${index}]${location}`, detail);
    }),
  );
  checkTargets(plans, file);
  return { name: spec.mapping, version: spec.version, spec, map: mappingRunner(plans, spec.mapping) };
}

import { type Format, FormatError, parseFormat } from './formats';
import {
  type CompiledFormula,
  checkFormula,
  compileFormula,
  type FormulaType,
  parseFormula,
} from './formula';
import { type FieldPath, type PathSegment, PathSyntaxError, parsePath, renderPath } from './paths';
import type { MappingSpec, Transformation } from './spec';

/** Reports a spec problem at `location` within the transformation (`''` for the whole of it). */
export type SpecProblem = (location: string, detail: string) => never;

/** The input field types, when the spec names its input schemas. */
export type InputTypes = (path: readonly PathSegment[]) => FormulaType | undefined;

/** What the runner needs of one transformation, checked and parsed. */
export interface TransformationPlan {
  readonly index: number;
  readonly target: FieldPath;
  /** The path up to and including the last `[*]` of the source: the items the value is taken from. */
  readonly iteration: readonly PathSegment[];
  /** The value's source relative to the current item (or the root when it has no `[*]`). */
  readonly source?: readonly PathSegment[];
  readonly sourceIsRelative: boolean;
  readonly sources?: readonly { readonly path: readonly PathSegment[]; readonly relative: boolean }[];
  readonly separator: string;
  readonly formula?: CompiledFormula;
  readonly when?: CompiledFormula;
  readonly value?: unknown;
  readonly table?: { readonly name: string; readonly entries: Readonly<Record<string, unknown>> };
  readonly format?: Format;
  readonly hasDefault: boolean;
  readonly defaultValue?: unknown;
  readonly required: boolean;
}

const describeType = (type: FormulaType): string =>
  type.kind === 'array' ? `array of ${describeType(type.items)}` : type.kind;

function pathOf(text: string, location: string, problem: SpecProblem): FieldPath {
  try {
    return parsePath(text);
  } catch (error) {
    if (error instanceof PathSyntaxError) problem(location, `${text}: ${error.message}`);
    throw error;
  }
}

/** The prefix of `path` up to and including its last wildcard. */
function iterationOf(path: readonly PathSegment[]): PathSegment[] {
  return path.slice(0, path.lastIndexOf('*') + 1);
}

const startsWith = (path: readonly PathSegment[], prefix: readonly PathSegment[]) =>
  prefix.every((segment, position) => path[position] === segment);

function requireShape(transformation: Transformation, problem: SpecProblem): void {
  const { type } = transformation;
  const present = (field: keyof Transformation) => transformation[field] !== undefined;
  const only: [keyof Transformation, Transformation['type'], string][] = [
    ['table', 'lookup', 'no table (only lookup has one)'],
    ['value', 'constant', 'no value (only constant has one)'],
    ['sources', 'concat', 'no sources (only concat has them)'],
    ['separator', 'concat', 'no separator (only concat has one)'],
  ];
  for (const [field, owner, detail] of only)
    if (present(field) && type !== owner) problem(`.${field}`, detail);
  if (type === 'constant') {
    if (!present('value')) problem('.value', 'expected a value for a constant');
    if (present('formula') || present('format')) problem('', 'a constant has no formula or format');
  } else if (type === 'concat') {
    if (!present('sources')) problem('.sources', 'expected a list of sources to join');
    if (present('source') || present('formula'))
      problem('', 'concat joins its sources: no source or formula');
  } else {
    if (type === 'array' && !present('source')) problem('.source', 'expected a path with [*] to map over');
    if (!present('source') && !present('formula')) problem('', 'expected a source or a formula');
    if (type === 'lookup' && !present('table')) problem('.table', 'expected a lookup table');
    if (type === 'format' && !present('format')) problem('.format', 'expected a format');
  }
}

function checkedFormula(
  text: string,
  location: string,
  iteration: readonly PathSegment[],
  types: InputTypes | undefined,
  problem: SpecProblem,
): { compiled: CompiledFormula; type: FormulaType } {
  try {
    const ast = parseFormula(text);
    const type = checkFormula(ast, {
      inArray: iteration.length > 0,
      ...(types && { fieldTypes: (scope, path) => types(scope === 'item' ? [...iteration, ...path] : path) }),
    });
    return { compiled: compileFormula(ast), type };
  } catch (error) {
    if (error instanceof Error && 'position' in error) problem(location, `${text}: ${error.message}`);
    throw error;
  }
}

/** Checks one transformation against its type's rules and the input schemas, and parses it. */
export function planTransformation(
  transformation: Transformation,
  index: number,
  spec: MappingSpec,
  types: InputTypes | undefined,
  problem: SpecProblem,
): TransformationPlan {
  requireShape(transformation, problem);
  const { type } = transformation;
  const target = pathOf(transformation.target, '.target', problem);
  const source =
    transformation.source === undefined ? undefined : pathOf(transformation.source, '.source', problem);
  const sources = transformation.sources?.map((text, position) =>
    pathOf(text, `.sources[${position}]`, problem),
  );
  if (type === 'direct' && source && source.wildcards > 0) problem('.source', 'expected a path without [*]');
  if (type === 'array' && source && source.wildcards === 0) problem('.source', 'expected a path with [*]');

  const iterating = source ?? sources?.find((path) => path.wildcards > 0);
  const iteration = iterating ? iterationOf(iterating.segments) : [];
  for (const [position, path] of (sources ?? []).entries()) {
    if (path.wildcards > 0 && !startsWith(path.segments, iteration))
      problem(`.sources[${position}]`, `expected the same [*] prefix as the first, ${renderPath(iteration)}`);
  }
  const depth = iteration.filter((segment) => segment === '*').length;
  if (target.wildcards !== depth)
    problem('.target', `expected a target with ${depth} [*], as its source has`);

  let valueType: FormulaType | undefined;
  for (const [location, path] of [
    ['.source', source],
    ...(sources ?? []).map((path, position) => [`.sources[${position}]`, path] as const),
  ] as const) {
    if (!path || !types) continue;
    const found = types(path.segments);
    if (!found) problem(location, `no field ${path.text} in the input schemas`);
    if (location === '.source') valueType = found;
  }
  const formula =
    transformation.formula === undefined
      ? undefined
      : checkedFormula(transformation.formula, '.formula', iteration, types, problem);
  if (formula) valueType = formula.type;
  const when =
    transformation.when === undefined
      ? undefined
      : checkedFormula(transformation.when, '.when', iteration, types, problem);
  if (when && when.type.kind !== 'boolean' && when.type.kind !== 'any')
    problem('.when', `expected a boolean condition, found ${describeType(when.type)}`);

  let table: TransformationPlan['table'];
  if (transformation.table !== undefined) {
    const tables = spec.lookups ?? {};
    const entries = Object.hasOwn(tables, transformation.table) ? tables[transformation.table] : undefined;
    if (!entries) {
      const known = Object.keys(tables).join(', ') || '(none)';
      problem('.table', `no lookup table "${transformation.table}": expected one of ${known}`);
    }
    table = { name: transformation.table, entries };
    valueType = undefined;
  }
  let format: Format | undefined;
  if (transformation.format !== undefined) {
    try {
      format = parseFormat(transformation.format);
    } catch (error) {
      if (error instanceof FormatError) problem('.format', error.reason);
      throw error;
    }
    const kind = valueType?.kind;
    if (kind && kind !== 'any' && !(format.accepts as readonly string[]).includes(kind))
      problem('.format', `${format.name} takes a ${format.accepts.join(' or ')}, but the value is a ${kind}`);
  }
  const relative = (path: FieldPath) => path.wildcards > 0;
  return {
    index,
    target,
    iteration,
    ...(source && {
      source: relative(source) ? source.segments.slice(iteration.length) : source.segments,
    }),
    sourceIsRelative: source ? relative(source) : false,
    ...(sources && {
      sources: sources.map((path) => ({
        path: relative(path) ? path.segments.slice(iteration.length) : path.segments,
        relative: relative(path),
      })),
    }),
    separator: transformation.separator ?? '',
    ...(formula && { formula: formula.compiled }),
    ...(when && { when: when.compiled }),
    ...(transformation.value !== undefined && { value: transformation.value }),
    ...(table && { table }),
    ...(format && { format }),
    hasDefault: transformation.default !== undefined,
    defaultValue: transformation.default,
    required: transformation.required ?? false,
  };
}

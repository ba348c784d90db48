import { describeValue } from './formats';
import { compileGetter, type PathSegment } from './paths';
import type { TransformationPlan } from './transformation-plan';

/** Returned by a value step when the target is left out. */
export const SKIP: unique symbol = Symbol('skip');

/** One transformation's value for one item (or the root): the value to write, or SKIP. */
export type ValueStep = (item: unknown, root: unknown, index: number) => unknown;

/** Why a value could not be made; the runner turns it into a MappingError naming the field. */
export class Failure {
  constructor(
    readonly field: readonly PathSegment[] | undefined,
    readonly reason: string,
  ) {}
}

/** A private copy of a JSON value from the spec, so no output shares (or can alter) the spec's. */
const copyOf = (value: unknown) =>
  typeof value === 'object' && value !== null ? structuredClone(value) : value;

function reader(plan: TransformationPlan): ValueStep {
  if (plan.formula) return plan.formula;
  if (plan.value !== undefined) {
    const value = plan.value;
    return typeof value === 'object' && value !== null ? () => structuredClone(value) : () => value;
  }
  if (plan.sources) {
    const parts = plan.sources.map(({ path, relative }) => ({ read: compileGetter(path), relative }));
    const separator = plan.separator;
    return (item, root) => {
      let joined: string | undefined;
      for (const part of parts) {
        const value = part.read(part.relative ? item : root);
        if (value === undefined || value === null) continue;
        if (typeof value === 'object') throw new Failure(undefined, `cannot join ${describeValue(value)}`);
        joined = joined === undefined ? String(value) : joined + separator + String(value);
      }
      return joined;
    };
  }
  const read = compileGetter(plan.source ?? []);
  return plan.sourceIsRelative ? (item) => read(item) : (_item, root) => read(root);
}

/**
 * The value step of a plan: condition, read or compute, default or required, lookup, format.
 * Each step is composed only of the parts the transformation uses, since it runs per record and
 * per item.
 */
export function valueStep(plan: TransformationPlan): ValueStep {
  const read = reader(plan);
  const { when, table, format, hasDefault, defaultValue, required } = plan;
  const absent: () => unknown = hasDefault
    ? () => copyOf(defaultValue)
    : required
      ? () => {
          throw new Failure(undefined, 'required but missing');
        }
      : () => SKIP;

  let step: ValueStep;
  if (!table && !format) {
    step = (item, root, index) => {
      const value = read(item, root, index);
      return value === undefined || value === null ? absent() : value;
    };
  } else if (!table && format) {
    const apply = format.apply;
    step = (item, root, index) => {
      const value = read(item, root, index);
      return value === undefined || value === null ? absent() : apply(value);
    };
  } else {
    const entries = table?.entries ?? {};
    const apply = format?.apply;
    step = (item, root, index) => {
      const value = read(item, root, index);
      if (value === undefined || value === null) return absent();
      const key = typeof value === 'object' ? undefined : String(value);
      if (key === undefined || !Object.hasOwn(entries, key)) {
        if (hasDefault) return copyOf(defaultValue);
        throw new Failure(undefined, `no entry for ${JSON.stringify(value)} in lookup "${table?.name}"`);
      }
      const found = copyOf(entries[key]);
      return apply ? apply(found) : found;
    };
  }
  if (!when) return step;
  const unconditional = step;
  return (item, root, index) => {
    const condition = when(item, root, index);
    if (condition === true) return unconditional(item, root, index);
    if (condition === false) return SKIP;
    throw new Failure(undefined, `condition gave ${describeValue(condition)}, expected a boolean`);
  };
}

import { MappingError } from './errors';
import { describeValue, FormatError } from './formats';
import { FormulaEvaluationError } from './formula';
import { compileGetter, type Getter, type PathSegment, renderPath, splitAtWildcards } from './paths';
import { ensureList, ensureObject, setIn } from './target-writer';
import type { TransformationPlan } from './transformation-plan';
import { Failure, SKIP, type ValueStep, valueStep } from './value-step';

// Local copies: transpiled to CommonJS (tsx, jest), every use of an imported name is a property
// read on the module, which costs in loops that run per item.
const skip = SKIP;
const writeIn = setIn;
const listAt = ensureList;
const objectAt = ensureObject;

/** One transformation, ready to write: its value step and where it writes inside its element or the root. */
interface Writer {
  readonly plan: TransformationPlan;
  readonly value: ValueStep;
  readonly keys: readonly PathSegment[];
  /** Set when `keys` is a single name, the common case, written without a walk. */
  readonly key: PathSegment | undefined;
}

/**
 * The transformations that run over the same items into the same target array: they share one
 * loop, so each record's items are visited once and each output element is made once.
 */
interface Loop {
  readonly levels: readonly Getter[];
  /** Per level, the keys from the level's container to its target array. */
  readonly targetKeys: readonly (readonly PathSegment[])[];
  readonly writers: Writer[];
  /** The items themselves are the values (`skus[*]`): one writer, whose skipped items are left out. */
  readonly itemsAreValues: boolean;
  /** Every writer sets one field of the element: the element's fields, to copy for a new element. */
  shape?: Record<PathSegment, unknown>;
}

/**
 * Consecutive transformations without items that write into the same object (`events[0].params`):
 * the object is found once per record, on the first value written.
 */
interface Block {
  readonly parent: readonly PathSegment[];
  readonly writers: Writer[];
}

type Unit = { readonly loop: Loop } | { readonly block: Block };

const sameKeys = (a: readonly PathSegment[], b: readonly PathSegment[]) =>
  a.length === b.length && a.every((segment, position) => segment === b[position]);

function writerOf(plan: TransformationPlan): Writer {
  const groups = splitAtWildcards(plan.target.segments);
  const keys = groups[groups.length - 1] ?? [];
  return { plan, value: valueStep(plan), keys, key: keys.length === 1 ? keys[0] : undefined };
}

/** Orders the work: loops sit where their first transformation is, so outputs keep the spec's order. */
function unitsOf(plans: readonly TransformationPlan[]): Unit[] {
  const units: Unit[] = [];
  const loops = new Map<string, Loop>();
  for (const plan of plans) {
    const writer = writerOf(plan);
    if (plan.iteration.length === 0) {
      const parent = plan.target.segments.slice(0, -1);
      const last = units[units.length - 1];
      const rootWriter = { ...writer, key: plan.target.segments[plan.target.segments.length - 1] };
      if (last && 'block' in last && sameKeys(last.block.parent, parent)) last.block.writers.push(rootWriter);
      else units.push({ block: { parent, writers: [rootWriter] } });
      continue;
    }
    const targetKeys = splitAtWildcards(plan.target.segments).slice(0, -1);
    const id = `${renderPath(plan.iteration)} → ${JSON.stringify(targetKeys)}`;
    const existing = loops.get(id);
    if (existing) existing.writers.push(writer);
    else {
      const levels = splitAtWildcards(plan.iteration)
        .slice(0, -1)
        .map((keys) => compileGetter(keys));
      const loop = { levels, targetKeys, writers: [writer], itemsAreValues: writer.keys.length === 0 };
      loops.set(id, loop);
      units.push({ loop });
    }
  }
  for (const unit of units) {
    if (!('loop' in unit)) continue;
    const { writers } = unit.loop;
    if (writers.every((writer) => writer.key !== undefined))
      unit.loop.shape = Object.fromEntries(writers.map((writer) => [writer.key, undefined]));
  }
  return units;
}

/** Compiles the plans into one function that builds a fresh output per input. */
export function mappingRunner(
  plans: readonly TransformationPlan[],
  mapping: string,
): (input: unknown) => Record<string, unknown> {
  const units = unitsOf(plans);
  // What is being mapped, kept for the error message should it fail.
  let current: Writer | undefined;
  const indices: number[] = [];

  const concrete = (segments: readonly PathSegment[], wildcards = indices.length): PathSegment[] => {
    let seen = 0;
    return segments.map((segment) =>
      segment === '*' && seen < wildcards ? (indices[seen++] as number) : segment,
    );
  };

  const runLoop = (loop: Loop, level: number, node: unknown, root: unknown, container: object): void => {
    const list = (loop.levels[level] as Getter)(node);
    if (!Array.isArray(list)) {
      const listPath = () => concrete(loop.writers[0]?.plan.iteration.slice(0, -1) ?? [], level);
      if (list !== undefined && list !== null) {
        current = loop.writers[0];
        throw new Failure(listPath(), `expected an array, found ${describeValue(list)}`);
      }
      current = loop.writers.find((writer) => writer.plan.required);
      if (current) throw new Failure(listPath(), 'required but missing');
      return;
    }
    const targetList = listAt(container as Record<string, unknown>, loop.targetKeys[level] ?? []);
    if (level < loop.levels.length - 1) {
      const nextIsList = loop.targetKeys[level + 1]?.length === 0;
      for (let index = 0; index < list.length; index++) {
        indices[level] = index;
        let element = targetList[index] as object | undefined;
        if (element === undefined) targetList[index] = element = nextIsList ? [] : {};
        runLoop(loop, level + 1, list[index], root, element);
      }
      return;
    }
    const writers = loop.writers;
    if (loop.itemsAreValues) {
      const writer = writers[0] as Writer;
      current = writer;
      for (let index = 0; index < list.length; index++) {
        indices[level] = index;
        const value = writer.value(list[index], root, index);
        if (value !== skip) targetList.push(value);
      }
      return;
    }
    const shape = loop.shape;
    for (let index = 0; index < list.length; index++) {
      indices[level] = index;
      const item = list[index];
      let element = targetList[index] as Record<PathSegment, unknown> | undefined;
      if (element === undefined && shape) {
        // A new element gets all its fields at once, in the spec's order, as a literal would.
        targetList[index] = element = { ...shape };
        for (let position = 0; position < writers.length; position++) {
          const writer = writers[position] as Writer;
          current = writer;
          const value = writer.value(item, root, index);
          if (value === skip) delete element[writer.key as PathSegment];
          else element[writer.key as PathSegment] = value;
        }
        continue;
      }
      if (element === undefined) targetList[index] = element = {};
      for (let position = 0; position < writers.length; position++) {
        const writer = writers[position] as Writer;
        current = writer;
        const value = writer.value(item, root, index);
        if (value === skip) continue;
        if (writer.key !== undefined) element[writer.key] = value;
        else writeIn(element, writer.keys, value);
      }
    }
  };

  const faultyField = (plan: TransformationPlan, failure: Failure): string => {
    if (failure.field) return renderPath(failure.field);
    const relative = plan.sourceIsRelative || plan.sources?.some((part) => part.relative);
    if (plan.source && !plan.formula)
      return renderPath(concrete([...(relative ? plan.iteration : []), ...plan.source]));
    return renderPath(concrete(plan.target.segments));
  };

  const translate = (error: unknown): unknown => {
    const plan = current?.plan;
    let failure: Failure | undefined;
    if (error instanceof Failure) failure = error;
    else if (error instanceof FormatError) failure = new Failure(undefined, error.reason);
    else if (error instanceof FormulaEvaluationError) {
      const prefix = error.scope === 'item' && plan ? concrete(plan.iteration) : [];
      failure = new Failure(error.field && [...prefix, ...error.field], error.reason);
    }
    if (!failure || !plan) return error;
    return new MappingError(
      mapping,
      plan.index,
      plan.target.text,
      faultyField(plan, failure),
      failure.reason,
    );
  };

  return (input) => {
    const output: Record<string, unknown> = {};
    try {
      for (const unit of units) {
        if ('loop' in unit) {
          runLoop(unit.loop, 0, input, input, output);
          continue;
        }
        const { parent, writers } = unit.block;
        let container: Record<PathSegment, unknown> | undefined;
        for (let position = 0; position < writers.length; position++) {
          const writer = writers[position] as Writer;
          current = writer;
          const value = writer.value(input, input, 0);
          if (value === skip) continue;
          container ??= parent.length === 0 ? output : objectAt(output, parent);
          container[writer.key as PathSegment] = value;
        }
      }
    } catch (error) {
      throw translate(error);
    }
    return output;
  };
}

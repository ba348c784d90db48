/**
 * Reading field paths from records. A missing field, or a step into something that is not an
 * object or array, reads as absent (undefined). Only a wildcard insists on an array.
 */
import { type FieldNode, type FormulaNode, type Step, stepsOf, WILDCARD } from './ast';
import type { FormulaEvaluationError } from './errors';
import { describeValue, type Evaluate, failure, fieldFailure, operandFailure } from './runtime';

/** An object that is not an array: the only value a name step reads from. */
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The parser refuses Object.prototype's names; methods of other prototypes (a Date's) read as absent. */
const dataOnly = (value: unknown) => (typeof value === 'function' ? undefined : value);

// Each reader closure loads its property itself rather than through one shared helper, so no
// single load site has to serve every field name of every formula.

function readStep(value: unknown, step: Step): unknown {
  if (typeof step === 'string') return isRecord(value) ? dataOnly(value[step]) : undefined;
  return Array.isArray(value) ? value[step] : undefined;
}

function readSteps(value: unknown, steps: readonly Step[]): unknown {
  let current = value;
  for (let k = 0; k < steps.length && current !== undefined; k++)
    current = readStep(current, steps[k] as Step);
  return current;
}

/** A reader for a path without wildcards; the usual one- and two-name paths get their own closures. */
function compileReader(steps: readonly Step[]): (value: unknown) => unknown {
  const [first, second] = steps;
  if (steps.length === 0) return (value) => value;
  if (steps.length === 1 && typeof first === 'string') {
    return (value) => (isRecord(value) ? dataOnly(value[first]) : undefined);
  }
  if (steps.length === 2 && typeof first === 'string' && typeof second === 'string') {
    return (value) => {
      const inner = isRecord(value) ? value[first] : undefined;
      return isRecord(inner) ? dataOnly(inner[second]) : undefined;
    };
  }
  return (value) => readSteps(value, steps);
}

export function compileFieldRead(node: FieldNode): Evaluate {
  const steps = stepsOf(node.path);
  if (steps.includes(WILDCARD)) return compileGather(node, steps);
  const fromRoot = node.base === 'root';
  const [first] = steps;
  if (steps.length === 1 && typeof first === 'string') {
    return fromRoot
      ? (_scope, root) => (isRecord(root) ? dataOnly(root[first]) : undefined)
      : (scope) => (isRecord(scope) ? dataOnly(scope[first]) : undefined);
  }
  const read = compileReader(steps);
  return fromRoot ? (_scope, root) => read(root) : (scope) => read(scope);
}

/** Collects what a wildcard path reaches into `out`; false when a wildcard meets something not an array. */
function gatherInto(value: unknown, steps: readonly Step[], start: number, out: unknown[]): boolean {
  let current = value;
  for (let k = start; k < steps.length; k++) {
    const step = steps[k] as Step;
    if (step === WILDCARD) {
      if (!Array.isArray(current)) return false;
      for (const item of current) if (!gatherInto(item, steps, k + 1, out)) return false;
      return true;
    }
    current = readStep(current, step);
  }
  out.push(current);
  return true;
}

interface Located {
  readonly path: readonly Step[];
  readonly value: unknown;
}

/**
 * The concrete paths of what a wildcard path reaches, in gathering order, or the first
 * non-array a wildcard met. Only failures call it, to name the field at fault.
 */
function locate(
  value: unknown,
  steps: readonly Step[],
  start: number,
  path: Step[],
  out: Located[],
): Located | undefined {
  let current = value;
  for (let k = start; k < steps.length; k++) {
    const step = steps[k] as Step;
    if (step === WILDCARD) {
      if (!Array.isArray(current)) return { path, value: current };
      for (let item = 0; item < current.length; item++) {
        const notArray = locate(current[item], steps, k + 1, [...path, item], out);
        if (notArray) return notArray;
      }
      return undefined;
    }
    current = readStep(current, step);
    path.push(step);
  }
  out.push({ path, value: current });
  return undefined;
}

function notArrayFailure(node: FieldNode, steps: readonly Step[], scope: unknown, root: unknown) {
  const notArray = locate(node.base === 'root' ? root : scope, steps, 0, [], []);
  const reason = `expected an array, found ${describeValue(notArray?.value)}`;
  return fieldFailure(reason, node.position, node.base, notArray?.path ?? [], scope, root);
}

function compileGather(node: FieldNode, steps: readonly Step[]): Evaluate {
  const fromRoot = node.base === 'root';
  return (scope, root) => {
    const items: unknown[] = [];
    if (gatherInto(fromRoot ? root : scope, steps, 0, items)) return items;
    throw notArrayFailure(node, steps, scope, root);
  };
}

/**
 * How an aggregate walks its argument without building an array when it can: `list` gives the
 * array to iterate (for `items[*].amount`, the `items` array itself) and `item` reads each
 * element's value (`amount`), or is undefined when the elements are the values.
 */
export interface ListAccess {
  readonly list: Evaluate;
  readonly item: ((element: unknown) => unknown) | undefined;
  /** The failure for a `list` value that is not an array. */
  readonly notArray: (value: unknown, scope: unknown, root: unknown) => FormulaEvaluationError;
  /** The failure for the value of element `index`, naming its concrete field. */
  readonly badItem: (
    index: number,
    value: unknown,
    expected: string,
    scope: unknown,
    root: unknown,
  ) => FormulaEvaluationError;
}

export function compileList(node: FormulaNode, evaluate: Evaluate, expected: string): ListAccess {
  const steps = node.kind === 'field' ? stepsOf(node.path) : [];
  const wildcards = steps.filter((step) => step === WILDCARD).length;
  const itemReason = (value: unknown, itemExpected: string) =>
    `expected ${itemExpected}, found ${describeValue(value)}`;
  if (node.kind !== 'field' || wildcards === 0) {
    const notArray = (value: unknown, scope: unknown, root: unknown) =>
      operandFailure(node, value, expected, scope, root);
    const badItem = (index: number, value: unknown, itemExpected: string, scope: unknown, root: unknown) =>
      node.kind === 'field'
        ? fieldFailure(
            itemReason(value, itemExpected),
            node.position,
            node.base,
            [...steps, index],
            scope,
            root,
          )
        : failure(itemReason(value, itemExpected), node.position, undefined, scope, root);
    return { list: evaluate, item: undefined, notArray, badItem };
  }
  const fromRoot = node.base === 'root';
  if (wildcards === 1) {
    const at = steps.indexOf(WILDCARD);
    const prefix = steps.slice(0, at);
    const suffix = steps.slice(at + 1);
    const readPrefix = compileReader(prefix);
    return {
      list: fromRoot ? (_scope, root) => readPrefix(root) : (scope) => readPrefix(scope),
      item: suffix.length === 0 ? undefined : compileReader(suffix),
      notArray: (value, scope, root) =>
        fieldFailure(
          `expected an array, found ${describeValue(value)}`,
          node.position,
          node.base,
          prefix,
          scope,
          root,
        ),
      badItem: (index, value, itemExpected, scope, root) => {
        const field = [...prefix, index, ...suffix];
        return fieldFailure(itemReason(value, itemExpected), node.position, node.base, field, scope, root);
      },
    };
  }
  return {
    list: evaluate,
    item: undefined,
    notArray: (_value, scope, root) => notArrayFailure(node, steps, scope, root),
    badItem: (index, value, itemExpected, scope, root) => {
      const items: Located[] = [];
      locate(fromRoot ? root : scope, steps, 0, [], items);
      const field = items[index]?.path ?? [];
      return fieldFailure(itemReason(value, itemExpected), node.position, node.base, field, scope, root);
    },
  };
}

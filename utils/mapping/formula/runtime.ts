/** What compiled closures share: their signature, and the failures they throw (built only on the failing path). */
import { type FormulaNode, hasWildcard, stepsOf } from './ast';
import { FormulaEvaluationError } from './errors';

/** One compiled node: `(scope, root, index) => value`. */
export type Evaluate = (scope: unknown, root: unknown, index: number) => unknown;

export interface CompiledNode {
  readonly node: FormulaNode;
  readonly evaluate: Evaluate;
  /** True when the node reads no field, so `value` was computed once at compile time. */
  readonly constant: boolean;
  readonly value?: unknown;
}

export const TEXT = 'a string, number or boolean';
export const PRIMITIVE = 'a string, number, boolean or null';

/** How a failure names a value: its JSON kind, or `absent` for a missing field. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'absent';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  // Field reads treat methods as absent (see fields.ts), so a failure names them so too.
  return typeof value === 'function' ? 'absent' : typeof value;
}

/** Bare paths are relative to the scope argument, which is the root itself outside array transformations. */
const scopeName = (scope: unknown, root: unknown) => (scope === root ? 'root' : 'item');

/** A failure at `position`; when `cause` is a field (without wildcards), the failure names it. */
export function failure(
  reason: string,
  position: number,
  cause: FormulaNode | undefined,
  scope: unknown,
  root: unknown,
): FormulaEvaluationError {
  if (cause?.kind === 'field' && !hasWildcard(cause)) {
    const fieldScope = cause.base === 'root' ? 'root' : scopeName(scope, root);
    return new FormulaEvaluationError(reason, { scope: fieldScope, field: stepsOf(cause.path), position });
  }
  return new FormulaEvaluationError(reason, { scope: scopeName(scope, root), position });
}

/** A failure naming a concrete field path (an item reached through a wildcard). */
export function fieldFailure(
  reason: string,
  position: number,
  base: 'scope' | 'root',
  field: readonly (string | number)[],
  scope: unknown,
  root: unknown,
): FormulaEvaluationError {
  const fieldScope = base === 'root' ? 'root' : scopeName(scope, root);
  return new FormulaEvaluationError(reason, { scope: fieldScope, field, position });
}

/** An operand of the wrong kind: `expected a number, found string`. */
export function operandFailure(
  node: FormulaNode,
  value: unknown,
  expected: string,
  scope: unknown,
  root: unknown,
): FormulaEvaluationError {
  return failure(`expected ${expected}, found ${describeValue(value)}`, node.position, node, scope, root);
}

export function rangeFailure(value: number, position: number, scope: unknown, root: unknown) {
  const reason = Number.isFinite(value)
    ? 'result is beyond the safe integer range'
    : 'result is not a finite number';
  return failure(reason, position, undefined, scope, root);
}

/**
 * A number or boolean as text. Fractions keep 15 significant digits, as JSONata's $string does,
 * so `0.1 + 0.2` reads `0.3`; integers print in full.
 */
export function stringify(value: number | boolean): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)));
}

/** The text of an operand of `&`, concat or string; a failure unless it is a string, number or boolean. */
export function textOf(value: unknown, node: FormulaNode, scope: unknown, root: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return stringify(value);
  throw operandFailure(node, value, TEXT, scope, root);
}

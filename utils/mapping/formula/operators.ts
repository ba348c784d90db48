/**
 * Closures for the operators: one per operator (and a variant for a constant right operand), so a
 * run never switches on the operator; failures are built only when thrown.
 */
import type { BinaryNode, FormulaNode } from './ast';
import {
  type CompiledNode,
  type Evaluate,
  failure,
  textOf as importedTextOf,
  operandFailure,
  PRIMITIVE,
  rangeFailure,
} from './runtime';

// CommonJS transpilers (tsx, SWC) turn each use of an imported binding into a getter call, which
// showed up in profiles: the closures below use module-local names only.
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const textOf = importedTextOf;
const isPrimitive = (value: unknown) =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

export function compileUnary(operator: '-' | '!', operand: CompiledNode): Evaluate {
  const { evaluate, node } = operand;
  if (operator === '-') {
    return (scope, root, index) => {
      const value = evaluate(scope, root, index);
      if (typeof value !== 'number') throw operandFailure(node, value, 'a number', scope, root);
      return 0 - value; // 0 - 0 is 0, where -0 would be -0
    };
  }
  return (scope, root, index) => {
    const value = evaluate(scope, root, index);
    if (typeof value !== 'boolean') throw operandFailure(node, value, 'a boolean', scope, root);
    return !value;
  };
}

export function compileBinary(node: BinaryNode, left: CompiledNode, right: CompiledNode): Evaluate {
  switch (node.operator) {
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return compileArithmetic(node, left, right);
    case '&':
      return compileConcatenation([left, right]);
    case '==':
    case '!=':
      return compileEquality(node.operator === '==', left, right);
    case '&&':
    case '||':
      return compileLogic(node.operator === '&&', left, right);
    case '??': {
      const readLeft = left.evaluate;
      const readRight = right.evaluate;
      return (scope, root, index) => {
        const value = readLeft(scope, root, index);
        return value === undefined || value === null ? readRight(scope, root, index) : value;
      };
    }
    default:
      return compileOrder(node.operator, left, right);
  }
}

/** Integer money stays exact: any result past ±MAX_SAFE_INTEGER (or not finite) fails instead of rounding. */
function compileArithmetic(node: BinaryNode, left: CompiledNode, right: CompiledNode): Evaluate {
  const readLeft = left.evaluate;
  const readRight = right.evaluate;
  const at = node.operatorPosition;
  const badOperand = (a: unknown, b: unknown, scope: unknown, root: unknown) =>
    typeof a !== 'number'
      ? operandFailure(left.node, a, 'a number', scope, root)
      : operandFailure(right.node, b, 'a number', scope, root);
  const divisionByZero = (scope: unknown, root: unknown) =>
    failure('division by zero', at, right.node, scope, root);
  if (right.constant && typeof right.value === 'number' && right.value !== 0) {
    return compileArithmeticByConstant(node, left, right.value);
  }
  switch (node.operator) {
    case '+':
      return (scope, root, index) => {
        const a = readLeft(scope, root, index);
        const b = readRight(scope, root, index);
        if (typeof a !== 'number' || typeof b !== 'number') throw badOperand(a, b, scope, root);
        const result = a + b;
        if (result <= MAX_SAFE && result >= -MAX_SAFE) return result;
        throw rangeFailure(result, at, scope, root);
      };
    case '-':
      return (scope, root, index) => {
        const a = readLeft(scope, root, index);
        const b = readRight(scope, root, index);
        if (typeof a !== 'number' || typeof b !== 'number') throw badOperand(a, b, scope, root);
        const result = a - b;
        if (result <= MAX_SAFE && result >= -MAX_SAFE) return result;
        throw rangeFailure(result, at, scope, root);
      };
    case '*':
      return (scope, root, index) => {
        const a = readLeft(scope, root, index);
        const b = readRight(scope, root, index);
        if (typeof a !== 'number' || typeof b !== 'number') throw badOperand(a, b, scope, root);
        const result = a * b;
        if (result <= MAX_SAFE && result >= -MAX_SAFE) return result;
        throw rangeFailure(result, at, scope, root);
      };
    case '/':
      return (scope, root, index) => {
        const a = readLeft(scope, root, index);
        const b = readRight(scope, root, index);
        if (typeof a !== 'number' || typeof b !== 'number') throw badOperand(a, b, scope, root);
        if (b === 0) throw divisionByZero(scope, root);
        const result = a / b;
        if (result <= MAX_SAFE && result >= -MAX_SAFE) return result;
        throw rangeFailure(result, at, scope, root);
      };
    default:
      return (scope, root, index) => {
        const a = readLeft(scope, root, index);
        const b = readRight(scope, root, index);
        if (typeof a !== 'number' || typeof b !== 'number') throw badOperand(a, b, scope, root);
        if (b === 0) throw divisionByZero(scope, root);
        return a % b;
      };
  }
}

/** `amount * 100`, `total / 100`: the right operand is a non-zero number known at compile time. */
function compileArithmeticByConstant(node: BinaryNode, left: CompiledNode, b: number): Evaluate {
  const { evaluate: readLeft, node: leftNode } = left;
  const at = node.operatorPosition;
  const operate = {
    '+': (a: number) => a + b,
    '-': (a: number) => a - b,
    '*': (a: number) => a * b,
    '/': (a: number) => a / b,
    '%': (a: number) => a % b,
  }[node.operator as '+' | '-' | '*' | '/' | '%'];
  return (scope, root, index) => {
    const a = readLeft(scope, root, index);
    if (typeof a !== 'number') throw operandFailure(leftNode, a, 'a number', scope, root);
    const result = operate(a);
    if (result <= MAX_SAFE && result >= -MAX_SAFE) return result;
    throw rangeFailure(result, at, scope, root);
  };
}

/**
 * `a & b & c …` as one closure over all the parts (the compiler flattens chains of `&`), with
 * neighbouring constant parts joined at compile time.
 */
export function compileConcatenation(parts: readonly CompiledNode[]): Evaluate {
  const merged: CompiledNode[] = [];
  for (const part of parts) {
    const previous = merged[merged.length - 1];
    if (part.constant && previous?.constant && isText(part.value) && isText(previous.value)) {
      const value = textOfConstant(previous.value) + textOfConstant(part.value);
      merged[merged.length - 1] = { node: previous.node, evaluate: () => value, constant: true, value };
    } else {
      merged.push(part);
    }
  }
  const reads = merged.map((part) => part.evaluate);
  const nodes = merged.map((part) => part.node);
  const [first, second] = merged;
  if (merged.length === 2 && first && second) {
    const { evaluate: readLeft, node: leftNode } = first;
    const { evaluate: readRight, node: rightNode } = second;
    return (scope, root, index) => {
      const a = readLeft(scope, root, index);
      const b = readRight(scope, root, index);
      return (
        (typeof a === 'string' ? a : textOf(a, leftNode, scope, root)) +
        (typeof b === 'string' ? b : textOf(b, rightNode, scope, root))
      );
    };
  }
  return (scope, root, index) => {
    let text = '';
    for (let k = 0; k < reads.length; k++) {
      const value = (reads[k] as Evaluate)(scope, root, index);
      text += typeof value === 'string' ? value : textOf(value, nodes[k] as FormulaNode, scope, root);
    }
    return text;
  };
}

const isText = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
/** Only called on values isText accepted, so it cannot fail. */
const textOfConstant = (value: unknown) => textOf(value, { kind: 'null', position: 0 }, undefined, undefined);

/** Strict equality of primitives; an absent, object or array operand fails. */
function compileEquality(equal: boolean, left: CompiledNode, right: CompiledNode): Evaluate {
  const { evaluate: readLeft, node: leftNode } = left;
  const { evaluate: readRight, node: rightNode } = right;
  return (scope, root, index) => {
    const a = readLeft(scope, root, index);
    if (!isPrimitive(a)) throw operandFailure(leftNode, a, PRIMITIVE, scope, root);
    const b = readRight(scope, root, index);
    if (!isPrimitive(b)) throw operandFailure(rightNode, b, PRIMITIVE, scope, root);
    return (a === b) === equal;
  };
}

/** && and || on booleans, reading the right side only when it decides. */
function compileLogic(isAnd: boolean, left: CompiledNode, right: CompiledNode): Evaluate {
  const { evaluate: readLeft, node: leftNode } = left;
  const { evaluate: readRight, node: rightNode } = right;
  return (scope, root, index) => {
    const a = readLeft(scope, root, index);
    if (typeof a !== 'boolean') throw operandFailure(leftNode, a, 'a boolean', scope, root);
    if (a !== isAnd) return a;
    const b = readRight(scope, root, index);
    if (typeof b !== 'boolean') throw operandFailure(rightNode, b, 'a boolean', scope, root);
    return b;
  };
}

function orderFailure(
  a: unknown,
  b: unknown,
  left: FormulaNode,
  right: FormulaNode,
  scope: unknown,
  root: unknown,
) {
  if (typeof a === 'number') return operandFailure(right, b, 'a number', scope, root);
  if (typeof a === 'string') return operandFailure(right, b, 'a string', scope, root);
  return operandFailure(left, a, 'a number or a string', scope, root);
}

/** < <= > >= on two numbers or two strings (the casts only tell TypeScript both sides match). */
function compileOrder(operator: '<' | '<=' | '>' | '>=', left: CompiledNode, right: CompiledNode): Evaluate {
  const { evaluate: readLeft, node: leftNode } = left;
  const { evaluate: readRight, node: rightNode } = right;
  const comparable = (a: unknown, b: unknown) =>
    (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
  switch (operator) {
    case '<':
      return (scope, root, index) => {
        const a = readLeft(scope, root, index);
        const b = readRight(scope, root, index);
        if (comparable(a, b)) return (a as number) < (b as number);
        throw orderFailure(a, b, leftNode, rightNode, scope, root);
      };
    case '<=':
      return (scope, root, index) => {
        const a = readLeft(scope, root, index);
        const b = readRight(scope, root, index);
        if (comparable(a, b)) return (a as number) <= (b as number);
        throw orderFailure(a, b, leftNode, rightNode, scope, root);
      };
    case '>':
      return (scope, root, index) => {
        const a = readLeft(scope, root, index);
        const b = readRight(scope, root, index);
        if (comparable(a, b)) return (a as number) > (b as number);
        throw orderFailure(a, b, leftNode, rightNode, scope, root);
      };
    default:
      return (scope, root, index) => {
        const a = readLeft(scope, root, index);
        const b = readRight(scope, root, index);
        if (comparable(a, b)) return (a as number) >= (b as number);
        throw orderFailure(a, b, leftNode, rightNode, scope, root);
      };
  }
}

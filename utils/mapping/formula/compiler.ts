/**
 * Compiles a parsed formula once into nested closures; running it is a plain synchronous call.
 * Parts that read no field are computed at compile time, unless they fail, in which case they
 * fail at run time like the rest.
 */
import type { FormulaAst, FormulaNode } from './ast';
import { FormulaTypeError } from './errors';
import { compileFieldRead } from './fields';
import { checkArity, FUNCTIONS } from './functions';
import { compileBinary, compileConcatenation, compileUnary } from './operators';
import { type CompiledNode, type Evaluate, operandFailure } from './runtime';

/** Runs the formula on one record: bare paths read `scope`, `$` paths read `root`, `$index` is `index`. */
export type CompiledFormula = (scope: unknown, root: unknown, index: number) => unknown;

export function compileFormula(ast: FormulaAst): CompiledFormula {
  return compileNode(ast.root).evaluate;
}

const constant = (node: FormulaNode, value: unknown): CompiledNode => ({
  node,
  evaluate: () => value,
  constant: true,
  value,
});

/** Computes `evaluate` now when all its parts are constant and it succeeds on them. */
function folded(node: FormulaNode, parts: readonly CompiledNode[], evaluate: Evaluate): CompiledNode {
  if (parts.every((part) => part.constant)) {
    try {
      return constant(node, evaluate(undefined, undefined, 0));
    } catch {
      // It fails on every record: leave the failure to run time, with the record's scope.
    }
  }
  return { node, evaluate, constant: false };
}

function compileNode(node: FormulaNode): CompiledNode {
  switch (node.kind) {
    case 'number':
    case 'string':
    case 'boolean':
      return constant(node, node.value);
    case 'null':
      return constant(node, null);
    case 'field':
      return { node, evaluate: compileFieldRead(node), constant: false };
    case 'itemIndex':
      return { node, evaluate: (_scope, _root, index) => index, constant: false };
    case 'unary': {
      const operand = compileNode(node.operand);
      return folded(node, [operand], compileUnary(node.operator, operand));
    }
    case 'binary': {
      if (node.operator === '&') {
        const parts = concatenationParts(node).map(compileNode);
        return folded(node, parts, compileConcatenation(parts));
      }
      const left = compileNode(node.left);
      const right = compileNode(node.right);
      return folded(node, [left, right], compileBinary(node, left, right));
    }
    case 'conditional': {
      const parts = [
        compileNode(node.test),
        compileNode(node.consequent),
        compileNode(node.alternate),
      ] as const;
      return folded(node, parts, compileConditional(...parts));
    }
    case 'call': {
      const fn = FUNCTIONS.get(node.name);
      if (fn === undefined) throw new FormulaTypeError(node.position, 'a known function', node.name);
      checkArity(fn, node);
      const args = node.args.map(compileNode);
      return folded(node, args, fn.compile(args, node));
    }
  }
}

/** The operands of a chain of `&`, in order: `a & b & (c & d)` gives a, b, c, d. */
function concatenationParts(node: FormulaNode): FormulaNode[] {
  if (node.kind !== 'binary' || node.operator !== '&') return [node];
  return [...concatenationParts(node.left), ...concatenationParts(node.right)];
}

function compileConditional(test: CompiledNode, consequent: CompiledNode, alternate: CompiledNode): Evaluate {
  const { evaluate: readTest, node: testNode } = test;
  const readConsequent = consequent.evaluate;
  const readAlternate = alternate.evaluate;
  return (scope, root, index) => {
    const condition = readTest(scope, root, index);
    if (condition === true) return readConsequent(scope, root, index);
    if (condition === false) return readAlternate(scope, root, index);
    throw operandFailure(testNode, condition, 'a boolean', scope, root);
  };
}

/**
 * The type checker. It infers a formula's result type and refuses what cannot work on any record:
 * unknown fields (when the schema is known), operands and arguments of the wrong type, wildcards
 * outside aggregates, and $index outside array transformations. An `any` operand passes; the
 * compiled formula checks it at run time.
 */
import {
  type BinaryNode,
  type CallNode,
  type FieldNode,
  type FormulaAst,
  type FormulaNode,
  renderFieldNode,
} from './ast';
import { column, FormulaTypeError } from './errors';
import { checkArity, FUNCTIONS, PARAMETER_EXPECTED, type ParameterKind } from './functions';
import { PRIMITIVE, TEXT } from './runtime';
import {
  ANY,
  arrayOf,
  BOOLEAN,
  type FieldTypes,
  type FormulaType,
  NUMBER,
  STRING,
  sameType,
  typeName,
} from './types';

export interface CheckOptions {
  /** The schema's field types; without it every field is `any`, checked at run time only. */
  readonly fieldTypes?: FieldTypes;
  /** Whether the formula runs per item of an array transformation (bare paths read the item, $index is known). */
  readonly inArray: boolean;
}

export function checkFormula(ast: FormulaAst, options: CheckOptions): FormulaType {
  return new Checker(options).typeOf(ast.root, false);
}

type Kind = FormulaType['kind'];

const WILDCARD_HINT = 'a wildcard is allowed only as the argument of sum, count, avg, min or max';

class Checker {
  constructor(private readonly options: CheckOptions) {}

  /** `listAllowed`: the node is the argument of an aggregate, where a wildcard path may stand. */
  typeOf(node: FormulaNode, listAllowed: boolean): FormulaType {
    switch (node.kind) {
      case 'number':
        return NUMBER;
      case 'string':
        return STRING;
      case 'boolean':
        return BOOLEAN;
      case 'null':
        return { kind: 'null' };
      case 'field':
        return this.fieldType(node, listAllowed);
      case 'itemIndex':
        if (this.options.inArray) return NUMBER;
        throw new FormulaTypeError(
          node.position,
          'an array transformation',
          '$index',
          undefined,
          `${column(node.position)}: $index is only available inside an array transformation`,
        );
      case 'unary':
        if (node.operator === '-') this.expect(node.operand, ['number'], 'a number');
        else this.expect(node.operand, ['boolean'], 'a boolean');
        return node.operator === '-' ? NUMBER : BOOLEAN;
      case 'binary':
        return this.binaryType(node);
      case 'conditional': {
        this.expect(node.test, ['boolean'], 'a boolean');
        return unify(this.typeOf(node.consequent, false), this.typeOf(node.alternate, false));
      }
      case 'call':
        return this.callType(node);
    }
  }

  private fieldType(node: FieldNode, listAllowed: boolean): FormulaType {
    const rendered = renderFieldNode(node);
    const wildcard = node.path.some((segment) => segment.kind === 'wildcard');
    if (wildcard && !listAllowed) {
      throw new FormulaTypeError(node.position, 'a single value', rendered, WILDCARD_HINT);
    }
    const { fieldTypes, inArray } = this.options;
    if (fieldTypes === undefined) return wildcard ? arrayOf(ANY) : ANY;
    const scope = node.base === 'root' || !inArray ? 'root' : 'item';
    const path = node.path.map((segment) => (segment.kind === 'name' ? segment.name : '*'));
    const type = fieldTypes(scope, path);
    if (type === undefined) {
      if (path.length === 0) return ANY;
      const message = `${column(node.position)}: unknown field ${rendered}`;
      throw new FormulaTypeError(node.position, 'a field of the schema', rendered, undefined, message);
    }
    return wildcard ? arrayOf(type) : type;
  }

  private binaryType(node: BinaryNode): FormulaType {
    const { left, right } = node;
    switch (node.operator) {
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
        this.expect(left, ['number'], 'a number');
        this.expect(right, ['number'], 'a number');
        return NUMBER;
      case '&':
        this.expect(left, ['string', 'number', 'boolean'], TEXT);
        this.expect(right, ['string', 'number', 'boolean'], TEXT);
        return STRING;
      case '&&':
      case '||':
        this.expect(left, ['boolean'], 'a boolean');
        this.expect(right, ['boolean'], 'a boolean');
        return BOOLEAN;
      case '==':
      case '!=': {
        const leftType = this.expect(left, ['string', 'number', 'boolean', 'null'], PRIMITIVE);
        const rightType = this.expect(right, ['string', 'number', 'boolean', 'null'], PRIMITIVE);
        const known = (type: FormulaType) => type.kind !== 'any' && type.kind !== 'null';
        if (known(leftType) && known(rightType) && leftType.kind !== rightType.kind) {
          throw this.mismatch(right, `a ${leftType.kind}`, rightType);
        }
        return BOOLEAN;
      }
      case '??': {
        const leftType = this.typeOf(left, false);
        const rightType = this.typeOf(right, false);
        return leftType.kind === 'null' ? rightType : unify(leftType, rightType);
      }
      default: {
        // < <= > >=: two numbers or two strings.
        const leftType = this.expect(left, ['number', 'string'], 'a number or a string');
        if (leftType.kind === 'any') this.expect(right, ['number', 'string'], 'a number or a string');
        else this.expect(right, [leftType.kind], `a ${leftType.kind}`);
        return BOOLEAN;
      }
    }
  }

  private callType(node: CallNode): FormulaType {
    const fn = FUNCTIONS.get(node.name);
    if (fn === undefined) {
      throw new FormulaTypeError(node.position, 'a known function', node.name);
    }
    checkArity(fn, node);
    const alone = node.args.length === 1;
    const listAllowed = fn.list === 'always' || (fn.list === 'alone' && alone);
    node.args.forEach((arg, index) => {
      const kind = (fn.params[index] ?? fn.params[fn.params.length - 1]) as ParameterKind;
      const type = this.typeOf(arg, listAllowed);
      if (fn.list === 'alone' && alone) {
        const expected = 'a number or an array of numbers';
        const items = type.kind === 'array' ? type.items : undefined;
        if (items && items.kind !== 'number' && items.kind !== 'any')
          throw this.mismatch(arg, expected, type);
        if (!items) this.accept(arg, type, ['number'], expected);
      } else {
        this.acceptParameter(arg, type, kind);
      }
    });
    return fn.returns;
  }

  private acceptParameter(arg: FormulaNode, type: FormulaType, kind: ParameterKind): void {
    const expected = PARAMETER_EXPECTED[kind];
    if (kind === 'array') this.accept(arg, type, ['array'], expected);
    else if (kind === 'numbers') {
      this.accept(arg, type, ['array'], expected);
      if (type.kind === 'array' && type.items.kind !== 'any' && type.items.kind !== 'number') {
        throw this.mismatch(arg, expected, type);
      }
    } else if (kind === 'text') this.accept(arg, type, ['string', 'number', 'boolean'], expected);
    else if (kind === 'numeric') this.accept(arg, type, ['string', 'number'], expected);
    else this.accept(arg, type, [kind], expected);
  }

  /** Types `node` and throws unless it is one of `kinds` (or `any`). */
  private expect(node: FormulaNode, kinds: readonly Kind[], expected: string): FormulaType {
    const type = this.typeOf(node, false);
    this.accept(node, type, kinds, expected);
    return type;
  }

  private accept(node: FormulaNode, type: FormulaType, kinds: readonly Kind[], expected: string): void {
    if (type.kind !== 'any' && !kinds.includes(type.kind)) throw this.mismatch(node, expected, type);
  }

  private mismatch(node: FormulaNode, expected: string, found: FormulaType): FormulaTypeError {
    const field = node.kind === 'field' ? renderFieldNode(node) : undefined;
    return new FormulaTypeError(node.position, expected, typeName(found), field);
  }
}

/** The type of a value that is one of two types: either, when they agree, else `any`. */
function unify(a: FormulaType, b: FormulaType): FormulaType {
  return sameType(a, b) ? a : ANY;
}

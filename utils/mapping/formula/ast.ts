/** The syntax tree of a formula. Every node keeps `position`, its 0-based offset in the text. */

export type FormulaPathSegment =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'element'; readonly index: number }
  | { readonly kind: 'wildcard' };

export type BinaryOperator =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '&'
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '&&'
  | '||'
  | '??';

export type FormulaNode =
  | { readonly kind: 'number'; readonly value: number; readonly position: number }
  | { readonly kind: 'string'; readonly value: string; readonly position: number }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly position: number }
  | { readonly kind: 'null'; readonly position: number }
  | FieldNode
  | { readonly kind: 'itemIndex'; readonly position: number }
  | {
      readonly kind: 'unary';
      /** `not` is read as `!`. */
      readonly operator: '-' | '!';
      readonly operand: FormulaNode;
      readonly position: number;
    }
  | BinaryNode
  | {
      readonly kind: 'conditional';
      readonly test: FormulaNode;
      readonly consequent: FormulaNode;
      readonly alternate: FormulaNode;
      readonly position: number;
    }
  | CallNode;

/** A path: bare ones start at the scope (the current array item, else the root), `$` ones at the root. */
export interface FieldNode {
  readonly kind: 'field';
  readonly base: 'scope' | 'root';
  readonly path: readonly FormulaPathSegment[];
  readonly position: number;
}

export interface BinaryNode {
  readonly kind: 'binary';
  /** `and` and `or` are read as `&&` and `||`. */
  readonly operator: BinaryOperator;
  readonly left: FormulaNode;
  readonly right: FormulaNode;
  readonly position: number;
  readonly operatorPosition: number;
}

export interface CallNode {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly FormulaNode[];
  readonly position: number;
}

export interface FormulaAst {
  readonly root: FormulaNode;
  readonly text: string;
}

/** A path step as the runtime walks it: a property name, an array index, or WILDCARD. */
export type Step = string | number;
export const WILDCARD = -1;

export const stepsOf = (path: readonly FormulaPathSegment[]): Step[] =>
  path.map((segment) =>
    segment.kind === 'name' ? segment.name : segment.kind === 'element' ? segment.index : WILDCARD,
  );

export const hasWildcard = (node: FieldNode) => node.path.some((segment) => segment.kind === 'wildcard');

/** The path as written: `items[*].sku`, `$.order.id`. */
export function renderFieldNode(node: FieldNode): string {
  let text = node.base === 'root' ? '$' : '';
  for (const segment of node.path) {
    if (segment.kind === 'element') text += `[${segment.index}]`;
    else if (segment.kind === 'wildcard') text += '[*]';
    else text += text === '' ? segment.name : `.${segment.name}`;
  }
  return text;
}

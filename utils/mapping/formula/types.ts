/** The static types of formulas, as the checker infers them from literals, operators and the schema. */

export type FormulaType =
  | { readonly kind: 'number' }
  | { readonly kind: 'string' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'null' }
  | { readonly kind: 'object' }
  | { readonly kind: 'any' }
  | { readonly kind: 'array'; readonly items: FormulaType };

/**
 * The type of a field path in a scope; undefined when the schema has no such field.
 * Segments are property names, and '*' for an array element: both `items[*].sku` and
 * `items[0].sku` ask for `['items', '*', 'sku']`, and the answer is the type of one `sku`
 * (the checker itself makes a wildcard path an array of it).
 */
export type FieldTypes = (scope: 'item' | 'root', path: readonly string[]) => FormulaType | undefined;

export const NUMBER: FormulaType = { kind: 'number' };
export const STRING: FormulaType = { kind: 'string' };
export const BOOLEAN: FormulaType = { kind: 'boolean' };
export const NULL: FormulaType = { kind: 'null' };
export const OBJECT: FormulaType = { kind: 'object' };
export const ANY: FormulaType = { kind: 'any' };

export const arrayOf = (items: FormulaType): FormulaType => ({ kind: 'array', items });

export function sameType(a: FormulaType, b: FormulaType): boolean {
  if (a.kind === 'array' && b.kind === 'array') return sameType(a.items, b.items);
  return a.kind === b.kind;
}

/** `number`, `array of string`: how messages name a type. */
export function typeName(type: FormulaType): string {
  return type.kind === 'array' ? `array of ${typeName(type.items)}` : type.kind;
}

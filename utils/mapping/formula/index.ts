/**
 * Junction's formula language for mapping specs (`"formula": "unit_amount * quantity"`):
 * parse once, check against the schema's field types, compile once to closures, run per record.
 */
export type { BinaryOperator, FieldNode, FormulaAst, FormulaNode, FormulaPathSegment } from './ast';
export { type CheckOptions, checkFormula } from './checker';
export { type CompiledFormula, compileFormula } from './compiler';
export { FormulaEvaluationError, FormulaSyntaxError, FormulaTypeError, renderFieldPath } from './errors';
export { FUNCTION_NAMES } from './functions';
export { parseFormula } from './parser';
export type { FieldTypes, FormulaType } from './types';

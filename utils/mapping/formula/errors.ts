/**
 * The three ways a formula fails: it does not parse, its types do not fit, or a record it runs on
 * does not fit. Messages carry positions, types and field paths, never the record's values.
 */

/** `at column 7`: messages count columns from 1, positions from 0. */
export const column = (position: number) => `at column ${position + 1}`;

export class FormulaSyntaxError extends Error {
  constructor(
    /** 0-based character offset in the formula text. */
    readonly position: number,
    readonly expected: string,
    readonly found: string,
    detail?: string,
    message = `${column(position)}: expected ${expected} but found ${found}${detail ? ` (${detail})` : ''}`,
  ) {
    super(message);
    this.name = 'FormulaSyntaxError';
  }
}

export class FormulaTypeError extends Error {
  constructor(
    /** 0-based character offset in the formula text. */
    readonly position: number,
    readonly expected: string,
    readonly found: string,
    detail?: string,
    message = `${column(position)}: expected ${expected}, found ${found}${detail ? ` (${detail})` : ''}`,
  ) {
    super(message);
    this.name = 'FormulaTypeError';
  }
}

export interface EvaluationFailure {
  /** Whether `field` is relative to the current item or to the root. */
  readonly scope: 'item' | 'root';
  /** The field at fault, with concrete indexes (`['items', 1, 'quantity']`); absent when no field caused it. */
  readonly field?: readonly (string | number)[];
  /** 0-based character offset of the failing part of the formula. */
  readonly position: number;
}

export class FormulaEvaluationError extends Error {
  readonly scope: 'item' | 'root';
  readonly field?: readonly (string | number)[];
  readonly position: number;

  constructor(
    readonly reason: string,
    failure: EvaluationFailure,
  ) {
    const where = failure.field ? ` (${renderFieldPath(failure.field)})` : '';
    super(`${column(failure.position)}: ${reason}${where}`);
    this.name = 'FormulaEvaluationError';
    this.scope = failure.scope;
    if (failure.field) this.field = failure.field;
    this.position = failure.position;
  }
}

/** `items[1].quantity` from `['items', 1, 'quantity']`. */
export function renderFieldPath(field: readonly (string | number)[]): string {
  let text = '';
  for (const segment of field) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

/**
 * Rounding half to even on the decimal representation, as JSONata's $round does:
 * round(2.675, 2) is 2.68 because 2.675 is read as the decimal it prints as, not as the binary
 * 2.67499999… that `x * 100` would see.
 */

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, exponent) => 10 ** exponent);
const FAST_LIMIT = 2 ** 52;
/** Bound of the binary error of `x * 10^d` against the decimal it stands for (about 2.3e-16 relative), with room. */
const TIE_MARGIN = 1e-15;

/** `digits` is an integer; negative values round to tens, hundreds, … */
export function roundHalfEven(value: number, digits: number): number {
  const power = POWERS_OF_TEN[digits];
  if (power !== undefined) {
    if (Number.isInteger(value)) return value + 0;
    const scaled = value * power;
    const rounded = Math.round(scaled);
    const magnitude = Math.abs(scaled);
    // Far from a tie the binary product rounds as the decimal would, and rounded / 10^d is the
    // nearest double to the decimal result. Near a tie only the decimal digits can decide.
    if (magnitude < FAST_LIMIT && Math.abs(Math.abs(rounded - scaled) - 0.5) > magnitude * TIE_MARGIN) {
      return rounded / power + 0;
    }
  }
  return roundByShifting(value, digits);
}

/** JSONata's algorithm: shift the decimal point in the exponent string, round, shift back. */
export function roundByShifting(value: number, digits: number): number {
  let scaled = digits === 0 ? value : shiftDecimal(value, digits);
  let rounded = Math.round(scaled);
  if (Math.abs(rounded - scaled) === 0.5 && Math.abs(rounded % 2) === 1) rounded -= 1;
  scaled = digits === 0 ? rounded : shiftDecimal(rounded, -digits);
  return scaled + 0; // -0 becomes 0
}

function shiftDecimal(value: number, places: number): number {
  const [mantissa, exponent] = String(value).split('e');
  return Number(`${mantissa}e${Number(exponent ?? 0) + places}`);
}

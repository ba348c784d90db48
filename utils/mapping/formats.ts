/**
 * Output formats of mapping specs (`"format": "decimal:2"`): dates to ISO 8601 or epochs, numbers
 * to fixed decimals, minor units to major units, and letter case.
 */
export type FormatInput = 'string' | 'number';

export interface Format {
  readonly name: string;
  /** The value types the format takes, for the synth-time type check. */
  readonly accepts: readonly FormatInput[];
  /** Throws FormatError when the value is not of a type it takes. */
  readonly apply: (value: unknown) => unknown;
}

export class FormatError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'FormatError';
  }
}

const KNOWN =
  'iso8601, date, epoch-seconds, epoch-millis, epoch-micros, decimal:N, minor-to-major:N, upper, lower, title, trim (N from 0 to 20)';

export const describeValue = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

/** `value × 10^places` taken from its shortest decimal form, so 2.675 shifts to exactly 267.5. */
function shiftDecimal(value: number, places: number): number {
  const [mantissa, exponent = '0'] = String(value).split('e');
  return Number(`${mantissa}e${Number(exponent) + places}`);
}

/** The integer nearest `value × 10^places`, halves to even, decided on decimal digits. */
function roundedUnits(value: number, places: number): number {
  const shifted = shiftDecimal(value, places);
  const floor = Math.floor(shifted);
  const fraction = shifted - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Rounds half to even (banker's rounding, as JSONata's $round), on the decimal representation. */
export function roundHalfEven(value: number, places = 0): number {
  if (!Number.isFinite(value) || Math.abs(value) >= 2 ** 52) return value;
  const units = roundedUnits(value, places);
  return units === 0 ? 0 : shiftDecimal(units, -places);
}

function fixedDecimal(value: number, places: number): string {
  // From 2^52 on every double is an integer: its digits are exact and its fraction is zeros.
  if (Math.abs(value) >= 2 ** 52) return `${BigInt(value)}${places === 0 ? '' : `.${'0'.repeat(places)}`}`;
  const units = roundedUnits(value, places);
  const digits = String(Math.abs(units)).padStart(places + 1, '0');
  const sign = units < 0 ? '-' : '';
  if (places === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Epoch milliseconds of an ISO 8601 date (with a zone when it has a time) or of epoch milliseconds. */
function epochMillis(value: unknown): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
  } else if (typeof value === 'string') {
    if (DATE_ONLY.test(value) || DATE_TIME_WITH_ZONE.test(value)) {
      const millis = Date.parse(value);
      if (!Number.isNaN(millis)) return millis;
    } else if (DATE_TIME.test(value)) {
      throw new FormatError('expected a date with a time zone');
    }
  }
  throw new FormatError('expected a date');
}

function requireNumber(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new FormatError(`expected a number, found ${describeValue(value)}`);
  return value;
}

function requireString(value: unknown): string {
  if (typeof value !== 'string') throw new FormatError(`expected a string, found ${describeValue(value)}`);
  return value;
}

const DATES = ['string', 'number'] as const;
const NUMBERS = ['number'] as const;
const STRINGS = ['string'] as const;

const FIXED: Readonly<Record<string, Omit<Format, 'name'>>> = {
  iso8601: { accepts: DATES, apply: (value) => new Date(epochMillis(value)).toISOString() },
  date: { accepts: DATES, apply: (value) => new Date(epochMillis(value)).toISOString().slice(0, 10) },
  'epoch-seconds': { accepts: DATES, apply: (value) => Math.floor(epochMillis(value) / 1000) },
  'epoch-millis': { accepts: DATES, apply: (value) => epochMillis(value) },
  'epoch-micros': { accepts: DATES, apply: (value) => epochMillis(value) * 1000 },
  upper: { accepts: STRINGS, apply: (value) => requireString(value).toUpperCase() },
  lower: { accepts: STRINGS, apply: (value) => requireString(value).toLowerCase() },
  title: {
    accepts: STRINGS,
    apply: (value) =>
      requireString(value).replace(
        /\S+/g,
        (word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase(),
      ),
  },
  trim: { accepts: STRINGS, apply: (value) => requireString(value).trim() },
};

const PARAMETERISED = /^(decimal|minor-to-major):(\d{1,2})$/;

/** The format named `name`; an unknown one throws with the list of known formats. */
export function parseFormat(name: string): Format {
  const fixed = Object.hasOwn(FIXED, name) ? FIXED[name] : undefined;
  if (fixed) return { name, ...fixed };
  const match = PARAMETERISED.exec(name);
  const places = Number(match?.[2]);
  if (!match || places > 20) throw new FormatError(`unknown format "${name}": expected one of ${KNOWN}`);
  if (match[1] === 'decimal') {
    return { name, accepts: NUMBERS, apply: (value) => fixedDecimal(requireNumber(value), places) };
  }
  const divisor = 10 ** places;
  return {
    name,
    accepts: NUMBERS,
    apply: (value) => {
      if (!Number.isSafeInteger(value))
        throw new FormatError(`expected an integer amount in minor units, found ${String(value)}`);
      // Division by a power of ten is correctly rounded, so 2450 gives exactly the double of 24.5.
      return (value as number) / divisor;
    },
  };
}

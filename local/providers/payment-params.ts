import { isObject, type RequestBody } from './http-kit';

export interface StripeErrorDetail {
  readonly type: 'invalid_request_error' | 'card_error' | 'idempotency_error' | 'api_error';
  readonly message: string;
  readonly code?: string;
  readonly param?: string;
  readonly decline_code?: string;
  readonly charge?: string;
}

/**
 * A Stripe API error. `stage` says whether the endpoint had begun executing: Stripe saves the result
 * of an idempotent request only then, never for parameters that failed validation.
 */
export class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly detail: StripeErrorDetail,
    readonly stage: 'validation' | 'execution' = 'validation',
  ) {
    super(detail.message);
    this.name = 'StripeError';
  }
}

const invalid = (message: string, param?: string, code?: string) =>
  new StripeError(400, {
    type: 'invalid_request_error',
    message,
    ...(code === undefined ? {} : { code }),
    ...(param === undefined ? {} : { param }),
  });

/** The parameters of a create request: a JSON object (Stripe itself takes form encoding). */
export function paramsOf(body: RequestBody, allowed: ReadonlySet<string>): Record<string, unknown> {
  if (body.kind === 'malformed') throw invalid(`Invalid JSON in request body: ${body.message}`);
  const params = body.kind === 'json' ? body.value : {};
  if (!isObject(params)) throw invalid('Invalid request body: parameters must be a JSON object.');
  for (const name of Object.keys(params)) {
    if (!allowed.has(name)) throw invalid(`Received unknown parameter: ${name}`, name, 'parameter_unknown');
  }
  return params;
}

export function requiredInteger(params: Record<string, unknown>, name: string, message?: string): number {
  if (params[name] === undefined || params[name] === null) {
    throw invalid(message ?? `Missing required param: ${name}.`, name, 'parameter_missing');
  }
  return integer(params, name) as number;
}

/** An optional positive integer amount in minor units, within Stripe's 8-digit ceiling. */
export function integer(params: Record<string, unknown>, name: string): number | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalid(`Invalid integer: ${JSON.stringify(value)}`, name, 'parameter_invalid_integer');
  }
  if (value < 1)
    throw invalid('Amount must be at least 1 (in the smallest currency unit).', name, 'amount_too_small');
  if (value > 99_999_999) throw invalid('Amount must be no more than 99999999.', name, 'amount_too_large');
  return value;
}

export function requiredString(
  params: Record<string, unknown>,
  name: string,
  missingMessage?: string,
): string {
  const value = optionalString(params, name);
  if (value === undefined) {
    throw invalid(missingMessage ?? `Missing required param: ${name}.`, name, 'parameter_missing');
  }
  return value;
}

export function optionalString(
  params: Record<string, unknown>,
  name: string,
  maxLength = 5000,
): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (value === '') {
    throw invalid(
      `You passed an empty string for '${name}'. We assume empty values are an attempt to unset a parameter; however '${name}' cannot be unset. You should remove '${name}' from your request or supply a non-empty value.`,
      name,
      'parameter_invalid_string_empty',
    );
  }
  if (typeof value !== 'string') throw invalid(`Invalid string: ${JSON.stringify(value)}`, name);
  if (value.length > maxLength)
    throw invalid(`Invalid string: must be at most ${maxLength} characters`, name);
  return value;
}

export function currency(params: Record<string, unknown>): string {
  const value = requiredString(params, 'currency');
  if (!/^[A-Za-z]{3}$/.test(value)) throw invalid(`Invalid currency: ${value}.`, 'currency');
  return value.toLowerCase();
}

/** Metadata as Stripe keeps it: at most 50 keys of up to 40 characters, values strings of up to 500. */
export function metadata(params: Record<string, unknown>): Record<string, string> {
  const value = params.metadata;
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw invalid('Invalid object', 'metadata');
  const entries = Object.entries(value);
  if (entries.length > 50) throw invalid('Invalid metadata: metadata can have at most 50 keys.', 'metadata');
  const result: Record<string, string> = {};
  for (const [key, inner] of entries) {
    const param = `metadata[${key}]`;
    if (key.length > 40) throw invalid('Invalid metadata: keys must be at most 40 characters.', param);
    if (!['string', 'number', 'boolean'].includes(typeof inner))
      throw invalid('Invalid metadata value: must be a string.', param);
    const text = String(inner);
    if (text.length > 500) throw invalid('Invalid metadata: values must be at most 500 characters.', param);
    result[key] = text;
  }
  return result;
}

export function oneOf<T extends string>(
  params: Record<string, unknown>,
  name: string,
  values: readonly T[],
): T | undefined {
  const value = optionalString(params, name);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) {
    throw invalid(`Invalid ${name}: must be one of ${values.join(', ')}`, name);
  }
  return value as T;
}

/** Currencies without minor units, for the amounts in messages. */
const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);

export function formatMoney(amount: number, currencyCode: string): string {
  const major = ZERO_DECIMAL.has(currencyCode) ? String(amount) : (amount / 100).toFixed(2);
  return `${major} ${currencyCode.toUpperCase()}`;
}

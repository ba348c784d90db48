/**
 * Log redaction. Logs never carry secrets, card numbers or e-mail addresses: sensitive keys are
 * masked at any depth, and card numbers, e-mail addresses and bearer tokens inside free text are
 * masked too. Used as the Powertools Logger's JSON replacer, so it sees every key of every line.
 */

const MASK = '[REDACTED]';

/** Keys compared after lower-casing and dropping separators (`X-Api-Key` → `xapikey`). */
const SENSITIVE_KEYS = new Set([
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'xapikey',
  'apikey',
  'cardnumber',
  'card',
  'pan',
  'cvc',
  'cvv',
  'iban',
  'ssn',
  'email',
  'customeremail',
  'phone',
  'phonenumber',
]);
const SENSITIVE_SUFFIXES = ['secret', 'password', 'token', 'credential', 'credentials', 'privatekey'];

function isSensitiveKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SENSITIVE_KEYS.has(normalized) || SENSITIVE_SUFFIXES.some((suffix) => normalized.endsWith(suffix));
}

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

const CARD_CANDIDATE = /\b\d(?:[ -]?\d){12,18}\b/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const BEARER = /\bBearer\s+[A-Za-z0-9._~+/=-]+/g;

export function redactText(text: string): string {
  return text
    .replace(CARD_CANDIDATE, (match) => (passesLuhn(match.replace(/[ -]/g, '')) ? '[REDACTED_PAN]' : match))
    .replace(EMAIL, '[REDACTED_EMAIL]')
    .replace(BEARER, 'Bearer [REDACTED]');
}

/** A `JSON.stringify` replacer that masks sensitive keys and sensitive text. */
export function redactingReplacer(key: string, value: unknown): unknown {
  if (key !== '' && isSensitiveKey(key) && value !== undefined && value !== null) return MASK;
  if (typeof value === 'string') return redactText(value);
  return value;
}

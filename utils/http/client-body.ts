/** Request bodies as providers read them, and answers as Junction reads them. */

export type BodyEncoding = 'json' | 'form';

export const CONTENT_TYPES: Readonly<Record<BodyEncoding, string>> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
};

export function encodeBody(body: unknown, encoding: BodyEncoding): string {
  if (encoding === 'json') return JSON.stringify(body);
  const params = new URLSearchParams();
  appendForm(params, '', body);
  return params.toString();
}

/** Stripe's form encoding: nested objects as `metadata[key]`, arrays as `items[0]`; undefined is left out. */
function appendForm(params: URLSearchParams, prefix: string, value: unknown): void {
  if (value === undefined) return;
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value))
      appendForm(params, prefix ? `${prefix}[${key}]` : key, inner);
    return;
  }
  params.append(prefix, value === null ? '' : String(value));
}

/** JSON when the answer says so and parses, the text otherwise, undefined for an empty body. */
export function decodeBody(text: string, contentType: string | null): unknown {
  if (text === '') return undefined;
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** The value at a dotted path (`error.code`, `0.errorCode`) of a parsed body, as a string code. */
export function codeAt(body: unknown, paths: readonly string[]): string | undefined {
  for (const path of paths) {
    let value: unknown = body;
    for (const segment of path.split('.')) {
      value =
        value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined;
    }
    if (typeof value === 'string' || typeof value === 'number') return String(value);
  }
  return undefined;
}

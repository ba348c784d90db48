import { z } from 'zod';
import {
  InvalidIdempotencyKeyError,
  MalformedJsonError,
  MissingIdempotencyKeyError,
  PayloadTooLargeError,
  RequestValidationError,
  UnsupportedMediaTypeError,
} from '../../../utils/http/errors';
import { header, parseWithSchema, readJsonBody, requireIdempotencyKey } from '../../../utils/http/request';

const jsonHeaders = { 'content-type': 'application/json; charset=utf-8' };

describe('header', () => {
  it('finds a header whatever its case', () => {
    expect(header({ headers: { 'IDEMPOTENCY-key': 'k' } }, 'Idempotency-Key')).toBe('k');
    expect(header({ headers: null }, 'Idempotency-Key')).toBeUndefined();
  });
});

describe('readJsonBody', () => {
  it('parses a JSON body', () => {
    expect(readJsonBody({ headers: jsonHeaders, body: '{"a":1}', isBase64Encoded: false }, 100)).toEqual({
      a: 1,
    });
  });

  it('decodes a base64 body', () => {
    const body = Buffer.from('{"a":2}').toString('base64');
    expect(readJsonBody({ headers: jsonHeaders, body, isBase64Encoded: true }, 100)).toEqual({ a: 2 });
  });

  it('rejects malformed JSON with the parser message', () => {
    expect(() => readJsonBody({ headers: jsonHeaders, body: '{"a":', isBase64Encoded: false }, 100)).toThrow(
      MalformedJsonError,
    );
    expect(() => readJsonBody({ headers: jsonHeaders, body: '{"a":', isBase64Encoded: false }, 100)).toThrow(
      /Request body is not valid JSON/,
    );
  });

  it('rejects an empty body', () => {
    expect(() => readJsonBody({ headers: jsonHeaders, body: null, isBase64Encoded: false }, 100)).toThrow(
      'Request body is empty',
    );
  });

  it('rejects a body over the limit, counted in bytes', () => {
    const body = JSON.stringify({ text: 'é'.repeat(40) });
    expect(() => readJsonBody({ headers: jsonHeaders, body, isBase64Encoded: false }, 60)).toThrow(
      PayloadTooLargeError,
    );
  });

  it('rejects a body that is not declared as JSON', () => {
    expect(() =>
      readJsonBody({ headers: { 'Content-Type': 'text/plain' }, body: '{}', isBase64Encoded: false }, 100),
    ).toThrow(UnsupportedMediaTypeError);
    expect(() => readJsonBody({ headers: {}, body: '{}', isBase64Encoded: false }, 100)).toThrow(
      'Content-Type must be application/json',
    );
  });
});

describe('parseWithSchema', () => {
  const schema = z.object({
    items: z.array(z.object({ quantity: z.number().int().min(1) })),
    currency: z.string(),
  });

  it('returns the parsed value', () => {
    expect(parseWithSchema(schema, { items: [{ quantity: 1 }], currency: 'EUR' })).toEqual({
      items: [{ quantity: 1 }],
      currency: 'EUR',
    });
  });

  it('names every failing field with its path', () => {
    try {
      parseWithSchema(schema, { items: [{ quantity: 0 }] });
      throw new Error('expected a validation error');
    } catch (error) {
      expect(error).toBeInstanceOf(RequestValidationError);
      const fields = (error as RequestValidationError).details?.map((d) => d.field);
      expect(fields).toEqual(['items[0].quantity', 'currency']);
    }
  });

  it('names the body itself when it is not an object', () => {
    expect(() => parseWithSchema(schema, 'text')).toThrow(/Invalid request body: \(body\): /);
  });
});

describe('requireIdempotencyKey', () => {
  const withKey = (value: string | undefined) => ({
    headers: value === undefined ? {} : { 'Idempotency-Key': value },
  });

  it('accepts a token and the quoted form of the IETF draft', () => {
    expect(requireIdempotencyKey(withKey('8e03978e-40d5-43e8-bc93-6894a57f9324'))).toBe(
      '8e03978e-40d5-43e8-bc93-6894a57f9324',
    );
    expect(requireIdempotencyKey(withKey('"order-2025-0001"'))).toBe('order-2025-0001');
  });

  it('rejects a missing key', () => {
    expect(() => requireIdempotencyKey(withKey(undefined))).toThrow(MissingIdempotencyKeyError);
    expect(() => requireIdempotencyKey(withKey('  '))).toThrow(MissingIdempotencyKeyError);
  });

  it.each(['short', 'has space in it', 'x'.repeat(256), 'ünïcode-key-123', '-leading-dash'])(
    'rejects the malformed key %p',
    (value) => {
      expect(() => requireIdempotencyKey(withKey(value))).toThrow(InvalidIdempotencyKeyError);
    },
  );
});

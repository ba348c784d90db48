import { z } from 'zod';
import { parseDuration, parseRateLimit } from './values';

/**
 * The zod schema of a contract file (`specs/contracts/*.yaml`), with messages that say what was
 * expected. Semantic checks (references between fields, schema notation) follow in `load.ts`.
 */

const DURATION = 'expected a duration such as 30s';
const RETRIES = 'expected a whole number from 0 to 10';
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const AUTH_TYPES = ['bearer', 'basic', 'header', 'query'] as const;

const oneOf = (values: readonly string[]) => ({ error: `expected one of ${values.join(', ')}` });

/** A strict mapping: a missing one and an unknown field get plain messages. */
function mapping<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return `unknown field "${issue.keys.join('", "')}"`;
      if (issue.code === 'invalid_type') return 'expected a mapping';
      return undefined;
    },
  });
}

const duration = z.string({ error: DURATION }).refine((text) => parseDuration(text) !== undefined, DURATION);
const rateLimit = z
  .string({ error: 'expected a rate such as 100/min' })
  .refine(
    (text) => parseRateLimit(text) !== undefined,
    'expected a rate such as 100/min (per s, sec, min or h)',
  );
const name = (what: string, pattern: RegExp) =>
  z.string({ error: `expected ${what}` }).regex(pattern, `expected ${what}`);
/** Type notation (see type-notation.ts): checked when the schema compiles. */
const notation = z.unknown();

const authScheme = mapping({
  type: z.enum(AUTH_TYPES, oneOf(AUTH_TYPES)),
  /** The credentials field sent (bearer token, basic user, header value). */
  credential: z.string().optional(),
  /** The header that carries the credential, for `type: header`. */
  header: name('a header name', /^[A-Za-z0-9-]+$/).optional(),
  /** Query parameter → credentials field, for `type: query`. */
  params: z.record(z.string(), z.string()).optional(),
});

const endpoint = mapping({
  name: name('a name of lower-case letters, digits and underscores', /^[a-z][a-z0-9_]*$/),
  description: z.string().optional(),
  method: z.enum(HTTP_METHODS, oneOf(HTTP_METHODS)),
  path: name('a path starting with /', /^\/\S*$/),
  auth: z.string().optional(),
  rate_limit: rateLimit.optional(),
  idempotency: z.enum(['key', 'natural', 'none'], oneOf(['key', 'natural', 'none'])).optional(),
  success_status: z
    .array(
      z
        .number({ error: 'expected a 2xx status' })
        .int()
        .min(200, 'expected a 2xx status')
        .max(299, 'expected a 2xx status'),
    )
    .min(1, 'expected at least one status')
    .optional(),
  path_params: notation.optional(),
  request_schema: notation.optional(),
  response_schema: notation.optional(),
});

const errorHandling = mapping({
  retries: z.number({ error: RETRIES }).int(RETRIES).min(0, RETRIES).max(10, RETRIES),
  backoff: z.enum(['exponential', 'constant'], oneOf(['exponential', 'constant'])),
  /** Per attempt. */
  timeout: duration,
  initial_delay: duration.optional(),
  /** The longest wait between attempts, Retry-After included: a longer one is not waited for. */
  max_delay: duration.optional(),
  /** Where the provider's error body keeps its code (`error.code`, `0.errorCode`); the first found wins. */
  error_code: z.union([z.string(), z.array(z.string())]).optional(),
});

export const contractFileSchema = z.strictObject(
  {
    integration: mapping({
      name: name('lower-case letters, digits and dashes', /^[a-z][a-z0-9-]*$/),
      version: name('a quoted version such as "1.0"', /^\d+\.\d+$/),
      description: z.string().optional(),
      base_url: mapping({
        env: name('an environment variable name such as PAYMENT_BASE_URL', /^[A-Z][A-Z0-9_]*$/),
        default: z.url({ error: 'expected an absolute URL' }).optional(),
      }),
      encoding: z.enum(['json', 'form'], oneOf(['json', 'form'])).optional(),
      /** The fields of the connector's secret (JSON in Secrets Manager), in type notation. */
      credentials: notation.optional(),
      auth: z.record(name('a scheme name', /^[a-z][a-z0-9_]*$/), authScheme).optional(),
      endpoints: z
        .array(endpoint, { error: 'expected a list of endpoints' })
        .min(1, 'expected at least one endpoint'),
      request_schema: notation.optional(),
      response_schema: notation.optional(),
      error_handling: errorHandling,
    }),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown field "${issue.keys.join('", "')}"` : undefined,
  },
);

export type ContractFile = z.output<typeof contractFileSchema>;
export type EndpointFile = ContractFile['integration']['endpoints'][number];
export type AuthSchemeFile = z.output<typeof authScheme>;

import { inspect } from 'node:util';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { z } from 'zod';
import { secretsManagerClient } from '../aws/clients';
import { ProviderError } from '../http/client-errors';
import { JunctionError } from '../http/errors';

/**
 * A connector's credentials, read from Secrets Manager through Powertools Parameters and cached for
 * `maxAgeSeconds`: a rotated secret is picked up when the cached value expires, with no redeploy, and
 * at once when the provider refuses the cached one (see withCredentials). Values never reach a
 * message, a log line or an error: the parsed object serializes and prints as `[redacted credentials]`.
 */

export interface CredentialsSource<T> {
  get(): Promise<T>;
  /** Reads the secret anew, bypassing the cache. */
  refresh(): Promise<T>;
}

/** The secret is missing, unreadable or does not fit the connector. Says which secret, never what it holds. */
export class CredentialsError extends JunctionError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('INTERNAL_ERROR', message, options);
  }
}

export interface SecretCredentialsOptions<T> {
  readonly secretId: string;
  /** The fields the connector needs (the contract's `credentials`). */
  readonly schema: z.ZodType<T>;
  /** @default 300 */
  readonly maxAgeSeconds?: number;
  /** @default one provider per execution environment, with a traced client */
  readonly provider?: SecretsProvider;
}

const REDACTED = '[redacted credentials]';
const DEFAULT_MAX_AGE_SECONDS = 300;

let sharedProvider: SecretsProvider | undefined;
function defaultProvider(): SecretsProvider {
  sharedProvider ??= new SecretsProvider({ awsSdkV3Client: secretsManagerClient() });
  return sharedProvider;
}

export class SecretCredentials<T extends object> implements CredentialsSource<T> {
  private readonly provider: SecretsProvider;

  constructor(private readonly options: SecretCredentialsOptions<T>) {
    this.provider = options.provider ?? defaultProvider();
  }

  get(): Promise<T> {
    return this.read(false);
  }

  refresh(): Promise<T> {
    return this.read(true);
  }

  private async read(forceFetch: boolean): Promise<T> {
    const { secretId } = this.options;
    let text: unknown;
    try {
      text = await this.provider.get(secretId, {
        maxAge: this.options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS,
        forceFetch,
      });
    } catch (error) {
      throw new CredentialsError(`The secret ${secretId} could not be read`, { cause: error });
    }
    return redacted(this.parse(text));
  }

  private parse(text: unknown): T {
    const { secretId } = this.options;
    let document: unknown;
    try {
      // JSON.parse's own message quotes the input: it must not reach the error.
      document = typeof text === 'string' ? JSON.parse(text) : undefined;
    } catch {
      document = undefined;
    }
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      throw new CredentialsError(`The secret ${secretId} is not a JSON object`);
    }
    const parsed = this.options.schema.safeParse(document);
    if (!parsed.success) {
      const fields = parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || '(secret)'}: ${issue.code}`,
      );
      throw new CredentialsError(`The secret ${secretId} does not fit its connector: ${fields.join('; ')}`);
    }
    return parsed.data;
  }
}

/** Fixed credentials (tests, the local cloud's sandboxes); refresh gives the same value. */
export function staticCredentials<T extends object>(value: T): CredentialsSource<T> {
  const held = redacted({ ...value });
  return { get: async () => held, refresh: async () => held };
}

/** The provider refused the credentials themselves. */
export const isAuthFailure = (error: unknown): boolean =>
  error instanceof ProviderError && error.providerStatus === 401;

/**
 * Runs `call` with the current credentials. When the provider refuses them (401: rotated, revoked),
 * the secret is read anew once and the call tried once more; a second refusal is the caller's error.
 */
export async function withCredentials<T, R>(
  source: CredentialsSource<T>,
  call: (credentials: T) => Promise<R>,
  refused: (error: unknown) => boolean = isAuthFailure,
): Promise<R> {
  try {
    return await call(await source.get());
  } catch (error) {
    if (!refused(error)) throw error;
    return call(await source.refresh());
  }
}

/** The same object, with serialization and printing that show nothing of it. */
function redacted<T extends object>(value: T): T {
  for (const [name, describe] of [
    ['toJSON', () => REDACTED],
    ['toString', () => REDACTED],
    [inspect.custom, () => REDACTED],
  ] as const) {
    Object.defineProperty(value, name, { value: describe, enumerable: false });
  }
  return value;
}

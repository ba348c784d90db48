import { inspect } from 'node:util';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { z } from 'zod';
import { ProviderError } from '../../../utils/http/client-errors';
import {
  CredentialsError,
  SecretCredentials,
  staticCredentials,
  withCredentials,
} from '../../../utils/security/credentials';

const secrets = mockClient(SecretsManagerClient);
const schema = z.looseObject({ api_key: z.string().min(1) });
const SECRET = 'junction/payment';
const T0 = Date.parse('2025-01-15T10:00:00Z');

/** Each test gets its own provider, so no cached value leaks from one to the next. */
const source = (options: { maxAgeSeconds?: number } = {}) =>
  new SecretCredentials({ secretId: SECRET, schema, provider: new SecretsProvider(), ...options });

const version = (apiKey: string) => ({ SecretString: JSON.stringify({ api_key: apiKey }) });

beforeEach(() => {
  secrets.reset();
  // Only the clock is faked: Powertools' cache reads Date, the SDK's promises must still run.
  jest.useFakeTimers({
    now: T0,
    doNotFake: [
      'nextTick',
      'setImmediate',
      'setTimeout',
      'setInterval',
      'queueMicrotask',
      'clearTimeout',
      'clearInterval',
      'clearImmediate',
      'hrtime',
      'performance',
    ],
  });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('SecretCredentials', () => {
  it('reads and parses the secret, then serves it from the cache until its TTL passes', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: SECRET })
      .resolvesOnce(version('sk_v1'))
      .resolves(version('sk_v2'));
    const credentials = source({ maxAgeSeconds: 300 });

    await expect(credentials.get()).resolves.toMatchObject({ api_key: 'sk_v1' });
    jest.setSystemTime(T0 + 299_000);
    await expect(credentials.get()).resolves.toMatchObject({ api_key: 'sk_v1' });
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);

    // Rotated in Secrets Manager: picked up once the cached value expires, with no redeploy.
    jest.setSystemTime(T0 + 301_000);
    await expect(credentials.get()).resolves.toMatchObject({ api_key: 'sk_v2' });
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('fetches anew on refresh, whatever the cache holds', async () => {
    secrets.on(GetSecretValueCommand).resolvesOnce(version('sk_v1')).resolves(version('sk_v2'));
    const credentials = source();
    await credentials.get();
    await expect(credentials.refresh()).resolves.toMatchObject({ api_key: 'sk_v2' });
    await expect(credentials.get()).resolves.toMatchObject({ api_key: 'sk_v2' });
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('never shows the secret when serialized or inspected', async () => {
    secrets.on(GetSecretValueCommand).resolves(version('sk_live_very_secret'));
    const value = await source().get();
    expect(value.api_key).toBe('sk_live_very_secret');
    expect(JSON.stringify({ value })).not.toContain('sk_live_very_secret');
    expect(inspect(value)).not.toContain('sk_live_very_secret');
    expect(`${value}`).not.toContain('sk_live_very_secret');
  });

  it('names the missing field, never the value, when the secret does not fit', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ apikey: 'sk_misnamed_secret' }) });
    const error = await source()
      .get()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as Error).message).toBe(
      'The secret junction/payment does not fit its connector: api_key: invalid_type',
    );
    expect(inspect(error)).not.toContain('sk_misnamed_secret');
  });

  it('says the secret is not JSON without quoting it', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'sk_plain_secret' });
    const error = await source()
      .get()
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toBe('The secret junction/payment is not a JSON object');
    expect(inspect(error)).not.toContain('sk_plain_secret');
  });

  it('says which secret it could not read', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
    await expect(source().get()).rejects.toThrow('The secret junction/payment could not be read');
  });
});

describe('withCredentials', () => {
  it('refetches the secret once when the provider refuses it, and retries with the new one', async () => {
    secrets.on(GetSecretValueCommand).resolvesOnce(version('sk_old')).resolves(version('sk_new'));
    const credentials = source();
    const used: string[] = [];
    const result = await withCredentials(credentials, async ({ api_key }) => {
      used.push(api_key);
      if (api_key === 'sk_old') throw new ProviderError('payment', 401);
      return 'charged';
    });
    expect(result).toBe('charged');
    expect(used).toEqual(['sk_old', 'sk_new']);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    expect(secrets.commandCalls(GetSecretValueCommand)[1]?.args[0].input).toEqual({ SecretId: SECRET });
  });

  it('gives up after one refetch', async () => {
    secrets.on(GetSecretValueCommand).resolves(version('sk_revoked'));
    const credentials = source();
    let calls = 0;
    const error = await withCredentials(credentials, async () => {
      calls += 1;
      throw new ProviderError('payment', 401);
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ providerStatus: 401 });
    expect(calls).toBe(2);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('does not refetch for other failures', async () => {
    const source = staticCredentials({ api_key: 'k' });
    let calls = 0;
    await expect(
      withCredentials(source, async () => {
        calls += 1;
        throw new ProviderError('payment', 402);
      }),
    ).rejects.toMatchObject({ providerStatus: 402 });
    expect(calls).toBe(1);
  });
});

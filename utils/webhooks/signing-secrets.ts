import { ParameterNotFoundError } from '@aws-lambda-powertools/parameters/errors';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretsManagerClient } from '../aws/clients';
import { ServiceUnavailableError } from '../http/errors';
import type { SigningSecretSource, WebhookProviderName } from './types';

export interface SecretsManagerSigningSecretsOptions {
  /** Each provider's secret, by ARN or name. */
  readonly secretIds: Readonly<Record<WebhookProviderName, string>>;
  /** How long values are cached in the execution environment. @default 300 */
  readonly maxAgeSeconds?: number;
  /** @default the shared, traced client */
  readonly client?: SecretsManagerClient;
}

/**
 * Webhook signing secrets from Secrets Manager, through Powertools Parameters: AWSCURRENT, and
 * AWSPREVIOUS when there is one, so deliveries signed with the old secret still pass while a
 * rotation settles. Values are cached for `maxAgeSeconds` and never logged.
 */
export class SecretsManagerSigningSecrets implements SigningSecretSource {
  // Two providers, two caches: Powertools keys its cache by name and transform only, so the two
  // stages of one secret would otherwise share an entry.
  private readonly current: SecretsProvider;
  private readonly previous: SecretsProvider;
  /** Secrets without an AWSPREVIOUS, until when: asking again on every delivery would cost a call each. */
  private readonly noPrevious = new Map<string, number>();
  private readonly maxAgeSeconds: number;

  constructor(private readonly options: SecretsManagerSigningSecretsOptions) {
    const awsSdkV3Client = options.client ?? secretsManagerClient();
    this.current = new SecretsProvider({ awsSdkV3Client });
    this.previous = new SecretsProvider({ awsSdkV3Client });
    this.maxAgeSeconds = options.maxAgeSeconds ?? 300;
  }

  async secretsFor(provider: WebhookProviderName): Promise<readonly string[]> {
    const secretId = this.options.secretIds[provider];
    try {
      const [current, previous] = await Promise.all([
        this.current.get(secretId, { maxAge: this.maxAgeSeconds, throwOnMissing: true }),
        this.previousValue(secretId),
      ]);
      return [usable(current), ...(previous === undefined ? [] : [usable(previous)])];
    } catch (error) {
      throw new ServiceUnavailableError(`The ${provider} webhook signing secret could not be read`, {
        cause: error,
      });
    }
  }

  private async previousValue(secretId: string): Promise<unknown> {
    if ((this.noPrevious.get(secretId) ?? 0) > Date.now()) return undefined;
    try {
      return await this.previous.get(secretId, {
        maxAge: this.maxAgeSeconds,
        throwOnMissing: true,
        sdkOptions: { VersionStage: 'AWSPREVIOUS' },
      });
    } catch (error) {
      if (!(error instanceof ParameterNotFoundError)) throw error;
      this.noPrevious.set(secretId, Date.now() + this.maxAgeSeconds * 1000);
      return undefined;
    }
  }
}

function usable(value: unknown): string {
  if (typeof value !== 'string' || value === '')
    throw new Error('The secret value must be a non-empty string');
  return value;
}

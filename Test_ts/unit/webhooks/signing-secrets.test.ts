import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { ServiceUnavailableError } from '../../../utils/http/errors';
import { SecretsManagerSigningSecrets } from '../../../utils/webhooks/signing-secrets';

const secretsManager = mockClient(SecretsManagerClient);
const PAYMENT_ARN = 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:PaymentSigningSecret-AbCdEf';
const EMAIL_ARN = 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:EmailSigningSecret-GhIjKl';
const secretIds = { payment: PAYMENT_ARN, email: EMAIL_ARN };

const notFound = (message: string) => new ResourceNotFoundException({ message, $metadata: {} });

function answer(values: Record<string, Partial<Record<'AWSCURRENT' | 'AWSPREVIOUS', string>>>): void {
  secretsManager.on(GetSecretValueCommand).callsFake((input: { SecretId: string; VersionStage?: string }) => {
    const stage = (input.VersionStage ?? 'AWSCURRENT') as 'AWSCURRENT' | 'AWSPREVIOUS';
    const value = values[input.SecretId]?.[stage];
    if (value === undefined)
      throw notFound(`Secrets Manager can't find the specified secret value for staging label: ${stage}`);
    return { ARN: input.SecretId, SecretString: value, VersionStages: [stage] };
  });
}

const calls = (stage: string) =>
  secretsManager
    .commandCalls(GetSecretValueCommand)
    .filter((call) => (call.args[0].input.VersionStage ?? 'AWSCURRENT') === stage).length;

// Only Date is faked: the caches read the clock, and nothing here waits on a timer.
const REAL_TIMERS = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;
let clock = 0;
const tick = (ms: number) => {
  clock += ms;
  jest.setSystemTime(clock);
};

beforeEach(() => {
  secretsManager.reset();
  jest.useFakeTimers({ doNotFake: [...REAL_TIMERS] });
  clock = Date.UTC(2025, 0, 15, 10);
  jest.setSystemTime(clock);
});
afterEach(() => jest.useRealTimers());

function source(maxAgeSeconds = 300) {
  return new SecretsManagerSigningSecrets({ secretIds, maxAgeSeconds, client: new SecretsManagerClient({}) });
}

describe('SecretsManagerSigningSecrets', () => {
  it("reads the provider's secret, current then previous", async () => {
    answer({ [PAYMENT_ARN]: { AWSCURRENT: 'whsec_new', AWSPREVIOUS: 'whsec_old' } });
    expect(await source().secretsFor('payment')).toEqual(['whsec_new', 'whsec_old']);
    expect(secretsManager.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input)).toEqual(
      expect.arrayContaining([
        { SecretId: PAYMENT_ARN },
        { SecretId: PAYMENT_ARN, VersionStage: 'AWSPREVIOUS' },
      ]),
    );
  });

  it('reads the secret of the provider asked for', async () => {
    answer({ [PAYMENT_ARN]: { AWSCURRENT: 'whsec_payment' }, [EMAIL_ARN]: { AWSCURRENT: 'email-secret' } });
    expect(await source().secretsFor('email')).toEqual(['email-secret']);
  });

  it('has only the current secret when the secret was never rotated', async () => {
    answer({ [PAYMENT_ARN]: { AWSCURRENT: 'whsec_only' } });
    expect(await source().secretsFor('payment')).toEqual(['whsec_only']);
  });

  it('keeps both values, and the absence of a previous one, for maxAge before asking again', async () => {
    answer({ [PAYMENT_ARN]: { AWSCURRENT: 'whsec_one' } });
    const secrets = source(60);
    await secrets.secretsFor('payment');
    tick(59_000);
    await secrets.secretsFor('payment');
    expect([calls('AWSCURRENT'), calls('AWSPREVIOUS')]).toEqual([1, 1]);

    answer({ [PAYMENT_ARN]: { AWSCURRENT: 'whsec_two', AWSPREVIOUS: 'whsec_one' } });
    tick(2_000);
    expect(await secrets.secretsFor('payment')).toEqual(['whsec_two', 'whsec_one']);
  });

  it('refuses to serve when the current secret cannot be read: the provider retries later', async () => {
    answer({});
    const error = await source()
      .secretsFor('payment')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
    expect((error as Error).message).toBe('The payment webhook signing secret could not be read');
  });

  it('refuses a secret that is not a string, or is empty', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2]) });
    await expect(source().secretsFor('payment')).rejects.toThrow(ServiceUnavailableError);
    secretsManager.reset();
    answer({ [PAYMENT_ARN]: { AWSCURRENT: '' } });
    await expect(source().secretsFor('payment')).rejects.toThrow(ServiceUnavailableError);
  });
});

import { createHmac } from 'node:crypto';
import { WEBHOOK_PATH_TAG, WEBHOOK_PROVIDER_TAG } from '../../../lib/edge/webhook-endpoint';
import { startSandboxProviders } from '../../../local/providers';
import { SecretsManagerService } from '../../../local/services/secrets-manager-service';
import type { SecretSpec } from '../../../local/template/topology-secrets';
import { sandboxWebhooks } from '../../../local/wiring';
import { jsonProtocolRequest } from '../../fixtures/local-services/aws-request';
import { WebhookReceiver } from './providers/fixtures';

const secret = (provider: string, extra: Partial<SecretSpec> = {}): SecretSpec => ({
  logicalId: `${provider}Secret`,
  name: `${provider}-signing-secret`,
  arn: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${provider}-signing-secret-AbCdEf`,
  tags: { [WEBHOOK_PROVIDER_TAG]: provider, [WEBHOOK_PATH_TAG]: `/v1/webhooks/${provider}` },
  generate: { PasswordLength: 48, ExcludePunctuation: true },
  ...extra,
});

const SECRETS = [
  secret('payment'),
  secret('email'),
  secret('crm', { tags: { team: 'crm' } }),
  secret('analytics', {
    tags: { [WEBHOOK_PROVIDER_TAG]: 'analytics', [WEBHOOK_PATH_TAG]: '/v1/webhooks/analytics' },
  }),
];

describe('sandboxWebhooks', () => {
  const store = new SecretsManagerService({ secrets: SECRETS, region: 'us-east-1' });

  it("points each webhook-sending sandbox at its path on the API stage, signing with its secret's current value", () => {
    const targets = sandboxWebhooks(SECRETS, store, 'http://127.0.0.1:3000/dev');
    expect(Object.keys(targets).sort()).toEqual(['email', 'payment']);
    expect(targets.payment?.url).toBe('http://127.0.0.1:3000/dev/v1/webhooks/payment');
    expect(targets.email?.url).toBe('http://127.0.0.1:3000/dev/v1/webhooks/email');
    expect(targets.payment?.secret).toBe(store.valueOf(SECRETS[0]?.arn ?? ''));
    expect(targets.payment?.secret).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(targets.email?.secret).not.toBe(targets.payment?.secret);
  });

  it('leaves out a sandbox whose template has no tagged secret', () => {
    expect(sandboxWebhooks([SECRETS[1] as SecretSpec], store, 'http://127.0.0.1:3000/dev')).toEqual({
      email: expect.any(Object),
    });
    expect(sandboxWebhooks([], store, 'http://127.0.0.1:3000/dev')).toEqual({});
  });

  it('follows a rotation: the sandbox signs with the value put last', async () => {
    const targets = sandboxWebhooks(SECRETS, store, 'http://127.0.0.1:3000/dev');
    await store.handler(
      jsonProtocolRequest({
        service: 'secretsmanager',
        target: 'secretsmanager.PutSecretValue',
        input: { SecretId: 'payment-signing-secret', SecretString: 'whsec_rotated' },
      }),
    );
    expect(targets.payment?.secret).toBe('whsec_rotated');
  });
});

describe('a sandbox wired to the template secret', () => {
  it('signs the webhooks it sends with the value the secret holds', async () => {
    const store = new SecretsManagerService({ secrets: [secret('payment')], region: 'us-east-1' });
    const receiver = await new WebhookReceiver().start();
    const base = receiver.url.replace(/\/[^/]*$/, '');
    const webhooks = sandboxWebhooks(
      [
        secret('payment', {
          tags: { [WEBHOOK_PROVIDER_TAG]: 'payment', [WEBHOOK_PATH_TAG]: new URL(receiver.url).pathname },
        }),
      ],
      store,
      base,
    );
    const credentials = {
      payment: 'sk_test_1',
      email: 'sk_test_2',
      crm: 'sk_test_3',
      analytics: 'sk_test_4',
    };
    const sandbox = await startSandboxProviders({ credentials, webhooks, timeScale: 0.01 });
    try {
      await fetch(`${sandbox.payment.url}/v1/charges`, {
        method: 'POST',
        headers: { Authorization: 'Bearer sk_test_1', 'Content-Type': 'application/json' },
        body: JSON.stringify({ amount: 500, currency: 'eur', source: 'tok_visa' }),
      });
      await sandbox.payment.webhooksIdle();
      const delivery = receiver.received[0];
      const [, t, v1] =
        /^t=(\d+),v1=([0-9a-f]{64})$/.exec(delivery?.headers['stripe-signature'] as string) ?? [];
      const value = store.valueOf('payment-signing-secret') ?? '';
      expect(v1).toBe(createHmac('sha256', value).update(`${t}.${delivery?.rawBody}`).digest('hex'));
    } finally {
      await Promise.allSettled([sandbox.stop(), receiver.stop()]);
    }
  });
});

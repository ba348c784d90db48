import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { connectorOptionsFromEnvironment } from '../../../utils/connectors/environment';
import { PaymentConnector } from '../../../utils/connectors/payment';
import { PAYMENT_CONTRACT } from '../../../utils/contracts/bundled';
import { SecretCredentials } from '../../../utils/security/credentials';
import { ScriptedServer } from '../../support/scripted-server';

const secrets = mockClient(SecretsManagerClient);
const CHARGE = {
  id: 'ch_1',
  object: 'charge',
  amount: 100,
  amount_refunded: 0,
  currency: 'eur',
  status: 'succeeded',
  paid: true,
  refunded: false,
  created: 1,
  failure_code: null,
  metadata: {},
};
let server: ScriptedServer;
beforeAll(async () => {
  server = await new ScriptedServer({ status: 200, body: CHARGE }).start();
});
afterEach(() => {
  secrets.reset();
  server.reset();
});
afterAll(() => server.stop());

describe('connectors configured from the environment', () => {
  it('read the secret named by <ID>_SECRET_ID and the base URL the contract names', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: 'junction/payment' })
      .resolves({ SecretString: '{"api_key":"sk_env"}' });
    const env = { PAYMENT_SECRET_ID: 'junction/payment', PAYMENT_BASE_URL: server.url };
    const options = connectorOptionsFromEnvironment(PAYMENT_CONTRACT, env);
    expect(options.credentials).toBeInstanceOf(SecretCredentials);
    await expect(options.credentials.get()).resolves.toMatchObject({ api_key: 'sk_env' });

    await expect(PaymentConnector.fromEnvironment(env).getCharge('ch_1')).resolves.toMatchObject({
      id: 'ch_1',
    });
    expect(server.received[0]?.headers.authorization).toBe('Bearer sk_env');
  });

  it('fail fast when the secret is not configured', () => {
    expect(() => connectorOptionsFromEnvironment(PAYMENT_CONTRACT, {})).toThrow(
      'PAYMENT_SECRET_ID must name the secret with the stripe-payment credentials',
    );
  });

  it('refuse a secret without the fields the contract declares', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"key":"sk_wrong_field"}' });
    const credentials = new SecretCredentials({
      secretId: 'junction/payment',
      schema: PAYMENT_CONTRACT.credentials?.schema as never,
      provider: new SecretsProvider(),
    });
    await expect(credentials.get()).rejects.toThrow('does not fit its connector: api_key: invalid_type');
  });
});

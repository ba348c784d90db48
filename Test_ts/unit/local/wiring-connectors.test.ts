import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import contact from '../../../events/mappings/customer.to.crm/expected.json';
import analyticsMeasurement from '../../../events/mappings/order.to.analytics/expected.json';
import type { SandboxProviders } from '../../../local/providers';
import { AwsEndpoint } from '../../../local/services/aws-endpoint';
import { localCredentials } from '../../../local/services/aws-protocol';
import { SecretsManagerService } from '../../../local/services/secrets-manager-service';
import type { SecretSpec } from '../../../local/template/topology-secrets';
import type { FunctionSpec } from '../../../local/template/topology-types';
import {
  CONNECTOR_CONTRACTS,
  CONNECTOR_CREDENTIALS_TAG,
  sandboxKeys,
  seedConnectorSecrets,
  withSandboxBaseUrls,
  withScaledCircuitTimes,
} from '../../../local/wiring-connectors';
import { AnalyticsConnector } from '../../../utils/connectors/analytics';
import type { ConnectorOptions } from '../../../utils/connectors/contract-client';
import { CrmConnector } from '../../../utils/connectors/crm';
import { EmailConnector } from '../../../utils/connectors/email';
import { connectorOptionsFromEnvironment } from '../../../utils/connectors/environment';
import { PaymentConnector } from '../../../utils/connectors/payment';
import type { IntegrationContract } from '../../../utils/contracts/contract';
import { SecretCredentials } from '../../../utils/security/credentials';
import { jsonProtocolRequest } from '../../fixtures/local-services/aws-request';
import { instantTiming } from '../../support/connectors';
import { SANDBOX_CREDENTIALS, startSandbox } from '../../support/sandbox-providers';

const REGION = 'us-east-1';
const IDS = ['payment', 'email', 'crm', 'analytics'] as const;

const secret = (
  id: string,
  tags: Record<string, string> = { [CONNECTOR_CREDENTIALS_TAG]: id },
): SecretSpec => ({
  logicalId: `${id}Credentials`,
  name: `Junction-${id}-credentials`,
  arn: `arn:aws:secretsmanager:${REGION}:000000000000:secret:Junction-${id}-credentials-AbCdEf`,
  tags,
  generate: { PasswordLength: 32, ExcludePunctuation: true },
});

const fn = (logicalId: string, environment: Record<string, string>): FunctionSpec => ({
  logicalId,
  name: `Junction-${logicalId}`,
  arn: `arn:aws:lambda:${REGION}:000000000000:function:Junction-${logicalId}`,
  handlerFile: '/bundle/index.mjs',
  handlerExport: 'handler',
  runtime: 'nodejs22.x',
  memorySize: 256,
  timeoutSeconds: 10,
  environment,
  logGroupName: `/aws/lambda/Junction-${logicalId}`,
});

const contractOf = (id: string): IntegrationContract => {
  const contract = CONNECTOR_CONTRACTS.find((candidate) => candidate.id === id);
  if (!contract) throw new Error(`no contract ${id}`);
  return contract;
};

const SANDBOX_URLS = {
  payment: 'http://127.0.0.1:41001',
  email: 'http://127.0.0.1:41002',
  crm: 'http://127.0.0.1:41003',
  analytics: 'http://127.0.0.1:41004',
};
const SANDBOXES = {
  payment: { url: SANDBOX_URLS.payment },
  email: { url: SANDBOX_URLS.email },
  crm: { url: SANDBOX_URLS.crm },
  analytics: { url: SANDBOX_URLS.analytics },
};

describe('the connector contracts the local cloud knows', () => {
  it('are the four the sandboxes stand in for', () => {
    expect(CONNECTOR_CONTRACTS.map((contract) => contract.id).sort()).toEqual([...IDS].sort());
  });
});

describe('seedConnectorSecrets', () => {
  const secrets = [
    ...IDS.map((id) => secret(id)),
    secret('webhook', { 'junction:webhook-provider': 'payment' }),
  ];
  const seeded = seedConnectorSecrets(secrets, SANDBOX_CREDENTIALS);
  const seededValue = (id: string) =>
    JSON.parse(seeded.find((spec) => spec.logicalId === `${id}Credentials`)?.secretString ?? 'null');

  it.each(IDS)("holds the %s sandbox's credentials, in the shape its contract's credentials expect", (id) => {
    const value = seededValue(id);
    expect(contractOf(id).credentials?.schema.safeParse(value).success).toBe(true);
    expect(Object.values(value)).toContain(SANDBOX_CREDENTIALS[id]);
    expect(seeded.find((spec) => spec.logicalId === `${id}Credentials`)?.generate).toBeUndefined();
  });

  it('gives each contract the fields its sandbox checks', () => {
    expect(seededValue('payment')).toEqual({ api_key: SANDBOX_CREDENTIALS.payment });
    expect(seededValue('email')).toEqual({ api_key: SANDBOX_CREDENTIALS.email });
    expect(seededValue('crm')).toEqual({ access_token: SANDBOX_CREDENTIALS.crm });
    expect(seededValue('analytics')).toEqual({
      api_secret: SANDBOX_CREDENTIALS.analytics,
      measurement_id: expect.stringMatching(/^G-[A-Z0-9]+$/),
    });
  });

  it('leaves a secret without the tag, or tagged for a contract no sandbox stands in for, as the template has it', () => {
    const unknown = secret('ledger');
    const [webhook, other] = seedConnectorSecrets([secrets[4] as SecretSpec, unknown], SANDBOX_CREDENTIALS);
    expect(webhook).toEqual(secrets[4]);
    expect(other).toEqual(unknown);
  });

  it('does not change the specs it is given', () => {
    expect(secrets[0]?.secretString).toBeUndefined();
    expect(secrets[0]?.generate).toEqual({ PasswordLength: 32, ExcludePunctuation: true });
  });
});

describe('withSandboxBaseUrls', () => {
  const functions = [
    fn('ChargePayment', {
      PAYMENT_SECRET_ID: secret('payment').arn,
      PAYMENT_BASE_URL: 'https://api.stripe.com',
      POWERTOOLS_SERVICE_NAME: 'payments',
    }),
    fn('SyncCustomer', {
      CRM_BASE_URL: 'https://example.my.salesforce.com',
      EMAIL_BASE_URL: 'https://api.sendgrid.com',
    }),
    fn('Analytics', { ANALYTICS_BASE_URL: 'https://www.google-analytics.com' }),
    fn('Health', { LEDGER_BASE_URL: 'https://ledger.example.com', POWERTOOLS_SERVICE_NAME: 'health' }),
  ];
  const resolved = withSandboxBaseUrls(functions, SANDBOXES);

  it("points each connector's base URL variable at its sandbox, leaving the rest of the environment", () => {
    expect(resolved[0]?.environment).toEqual({
      PAYMENT_SECRET_ID: secret('payment').arn,
      PAYMENT_BASE_URL: SANDBOX_URLS.payment,
      POWERTOOLS_SERVICE_NAME: 'payments',
    });
    expect(resolved[1]?.environment).toEqual({
      CRM_BASE_URL: SANDBOX_URLS.crm,
      EMAIL_BASE_URL: SANDBOX_URLS.email,
    });
    expect(resolved[2]?.environment).toEqual({ ANALYTICS_BASE_URL: SANDBOX_URLS.analytics });
  });

  it('uses the variable each contract names', () => {
    for (const contract of CONNECTOR_CONTRACTS) {
      const [one] = withSandboxBaseUrls(
        [fn('One', { [contract.baseUrlEnv]: 'https://provider.example' })],
        SANDBOXES,
      );
      expect(one?.environment[contract.baseUrlEnv]).toBe(
        SANDBOX_URLS[contract.id as keyof typeof SANDBOX_URLS],
      );
    }
  });

  it('leaves a function without a known connector variable as it is, and the given specs unchanged', () => {
    expect(resolved[3]).toBe(functions[3]);
    expect(resolved[0]).toMatchObject({
      logicalId: 'ChargePayment',
      name: 'Junction-ChargePayment',
      memorySize: 256,
    });
    expect(functions[0]?.environment.PAYMENT_BASE_URL).toBe('https://api.stripe.com');
  });
});

describe('withScaledCircuitTimes', () => {
  const breaker = fn('Charge', { CIRCUIT_TABLE_NAME: 'Junction-Circuits' });

  it("shortens a circuit breaker's window and open time by the time scale, from their defaults", () => {
    const [scaled] = withScaledCircuitTimes([breaker], 0.01);
    expect(scaled?.environment).toEqual({
      CIRCUIT_TABLE_NAME: 'Junction-Circuits',
      CIRCUIT_WINDOW_SECONDS: '0.6',
      CIRCUIT_OPEN_SECONDS: '0.3',
    });
  });

  it('scales times the stack set, and keeps the failure threshold', () => {
    const set = fn('Charge', {
      CIRCUIT_TABLE_NAME: 'Junction-Circuits',
      CIRCUIT_FAILURE_THRESHOLD: '3',
      CIRCUIT_WINDOW_SECONDS: '120',
      CIRCUIT_OPEN_SECONDS: '45',
    });
    const [scaled] = withScaledCircuitTimes([set], 0.1);
    expect(scaled?.environment).toMatchObject({
      CIRCUIT_FAILURE_THRESHOLD: '3',
      CIRCUIT_WINDOW_SECONDS: '12',
      CIRCUIT_OPEN_SECONDS: '4.5',
    });
  });

  it('leaves functions without a breaker, and every function at time scale 1, as they are', () => {
    const other = fn('Other', { TABLE_NAME: 'x' });
    expect(withScaledCircuitTimes([other], 0.01)[0]).toBe(other);
    expect(withScaledCircuitTimes([breaker], 1)[0]).toBe(breaker);
  });

  it('never scales a time to zero, which the breaker would refuse', () => {
    const [scaled] = withScaledCircuitTimes([breaker], 0);
    expect(Number(scaled?.environment.CIRCUIT_OPEN_SECONDS)).toBeGreaterThan(0);
    expect(Number(scaled?.environment.CIRCUIT_WINDOW_SECONDS)).toBeGreaterThan(0);
  });
});

describe('sandboxKeys', () => {
  const secrets = [...IDS.map((id) => secret(id)), secret('ledger')];
  const rotate = (store: SecretsManagerService, id: string, value: unknown) =>
    store.handler(
      jsonProtocolRequest({
        service: 'secretsmanager',
        target: 'secretsmanager.PutSecretValue',
        input: { SecretId: secret(id).arn, SecretString: JSON.stringify(value) },
      }),
    );

  it("gives each sandbox with a tagged secret the key its secret holds, in the contract's field", () => {
    const store = new SecretsManagerService({
      secrets: seedConnectorSecrets(secrets, SANDBOX_CREDENTIALS),
      region: REGION,
    });
    const keys = sandboxKeys(secrets, store);
    expect(Object.keys(keys).sort()).toEqual([...IDS].sort());
    for (const id of IDS) expect(keys[id]?.()).toEqual([SANDBOX_CREDENTIALS[id]]);
  });

  it('follows a rotation: the new key and the previous one, until the next rotation', async () => {
    const store = new SecretsManagerService({
      secrets: seedConnectorSecrets(secrets, SANDBOX_CREDENTIALS),
      region: REGION,
    });
    const keys = sandboxKeys(secrets, store);
    await rotate(store, 'crm', { access_token: '00Drotated!1' });
    expect(keys.crm?.()).toEqual(['00Drotated!1', SANDBOX_CREDENTIALS.crm]);
    await rotate(store, 'crm', { access_token: '00Drotated!2' });
    expect(keys.crm?.()).toEqual(['00Drotated!2', '00Drotated!1']);
    await rotate(store, 'analytics', { api_secret: 'ga-rotated', measurement_id: 'G-OTHER' });
    expect(keys.analytics?.()).toEqual(['ga-rotated', SANDBOX_CREDENTIALS.analytics]);
  });

  it('takes no key from a value that is not JSON or lacks the field', async () => {
    const store = new SecretsManagerService({
      secrets: seedConnectorSecrets(secrets, SANDBOX_CREDENTIALS),
      region: REGION,
    });
    const keys = sandboxKeys(secrets, store);
    await rotate(store, 'payment', { secret_key: 'sk_wrong_field' });
    expect(keys.payment?.()).toEqual([SANDBOX_CREDENTIALS.payment]);
    await store.handler(
      jsonProtocolRequest({
        service: 'secretsmanager',
        target: 'secretsmanager.PutSecretValue',
        input: { SecretId: secret('payment').arn, SecretString: 'sk_plain_text' },
      }),
    );
    expect(keys.payment?.()).toEqual([]);
  });

  it('leaves out sandboxes without a tagged secret', () => {
    const store = new SecretsManagerService({ secrets: [secret('email')], region: REGION });
    expect(Object.keys(sandboxKeys([secret('email'), secret('ledger')], store))).toEqual(['email']);
  });
});

describe('a connector configured as the local cloud configures its function', () => {
  let endpoint: AwsEndpoint;
  let providers: SandboxProviders;
  let client: SecretsManagerClient;
  let provider: SecretsProvider;
  let environments: Record<string, NodeJS.ProcessEnv>;

  beforeAll(async () => {
    ({ providers } = await startSandbox());
    const secrets = IDS.map((id) => secret(id));
    const store = new SecretsManagerService({
      secrets: seedConnectorSecrets(secrets, SANDBOX_CREDENTIALS),
      region: REGION,
    });
    endpoint = new AwsEndpoint(REGION);
    const url = await endpoint.start('127.0.0.1', 0);
    endpoint.register('secretsmanager', store.handler);
    client = new SecretsManagerClient({ endpoint: url, region: REGION, credentials: localCredentials() });
    provider = new SecretsProvider({ awsSdkV3Client: client });
    const functions = IDS.map((id) => {
      const contract = contractOf(id);
      return fn(id, {
        [`${id.toUpperCase()}_SECRET_ID`]: secret(id).arn,
        [contract.baseUrlEnv]: contract.defaultBaseUrl ?? 'https://example.my.salesforce.com',
      });
    });
    environments = Object.fromEntries(
      withSandboxBaseUrls(functions, providers).map((spec) => [spec.logicalId, spec.environment]),
    );
  });

  afterAll(async () => {
    client?.destroy();
    await Promise.allSettled([endpoint?.stop(), providers?.stop()]);
  });

  /** The options `<Connector>.fromEnvironment` builds, reading the secret through the local endpoint. */
  function options<C extends object>(id: string): ConnectorOptions<C> {
    const contract = contractOf(id);
    const env = environments[id] ?? {};
    const fromEnvironment = connectorOptionsFromEnvironment<C>(contract, env);
    const secretId = env[`${id.toUpperCase()}_SECRET_ID`] ?? '';
    const schema = contract.credentials?.schema as never;
    return {
      ...fromEnvironment,
      credentials: new SecretCredentials<C>({ secretId, schema, provider }),
      timing: instantTiming(),
    };
  }

  it('payment: charges tok_visa at the sandbox', async () => {
    const charge = await new PaymentConnector(options('payment')).charge({
      amount: 1250,
      currency: 'EUR',
      source: 'tok_visa',
      idempotencyKey: 'ord-1:charge',
    });
    expect(charge).toMatchObject({ status: 'succeeded', amount: 1250, attempts: 1 });
    expect(providers.payment.calls().map((call) => [call.method, call.path, call.status])).toEqual([
      ['POST', '/v1/charges', 200],
    ]);
  });

  it('email: sends a message the sandbox accepts', async () => {
    await expect(
      new EmailConnector(options('email')).send({
        to: 'ada@example.com',
        from: 'orders@junction.example',
        subject: 'Your order',
        text: 'Thank you.',
        idempotencyKey: 'ord-1:email',
      }),
    ).resolves.toMatchObject({ attempts: 1 });
    expect(providers.email.calls().map((call) => call.status)).toEqual([202]);
  });

  it('crm: upserts a contact', async () => {
    await expect(
      new CrmConnector(options('crm')).upsertContact(contact, { idempotencyKey: 'cus-1001' }),
    ).resolves.toMatchObject({ created: true, attempts: 1 });
    expect(providers.crm.calls().map((call) => call.status)).toEqual([201]);
  });

  it('analytics: a measurement the validation server finds nothing wrong with, api_secret included', async () => {
    await expect(
      new AnalyticsConnector(options('analytics')).validate(analyticsMeasurement),
    ).resolves.toEqual([]);
    expect(providers.analytics.calls().map((call) => call.status)).toEqual([200]);
  });
});

import { WEBHOOK_PATH_TAG, WEBHOOK_PROVIDER_TAG } from '../../../../lib/edge/webhook-endpoint';
import { CONNECTOR_CREDENTIALS_TAG } from '../../../../lib/orchestration/order-saga';
import { generatedName } from '../../../../local/template/naming';
import { TemplateResources } from '../../../../local/template/resources';
import { EMULATED_TYPES } from '../../../../local/template/topology';
import { type SecretSpec, secretsOf } from '../../../../local/template/topology-secrets';
import {
  localEnv,
  resourcesOf,
  type SynthesizedJunction,
  synthesizeJunction,
} from '../../../fixtures/template/junction-assembly';

const env = localEnv();
const ARN = /^arn:aws:secretsmanager:us-east-1:000000000000:secret:(.+)-[A-Za-z0-9]{6}$/;

describe('secretsOf on a hand-written template', () => {
  const resources = resourcesOf({
    Resources: {
      Key: { Type: 'AWS::KMS::Key' },
      Named: {
        Type: 'AWS::SecretsManager::Secret',
        Properties: {
          Name: 'crm/credentials',
          Description: 'CRM client credentials',
          KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] },
          SecretString: '{"client_id":"junction"}',
          Tags: [{ Key: 'team', Value: 'crm' }],
        },
      },
      Generated: {
        Type: 'AWS::SecretsManager::Secret',
        Properties: { GenerateSecretString: { PasswordLength: 40, ExcludePunctuation: true } },
      },
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: { Environment: { Variables: { SECRET_ARN: { Ref: 'Generated' } } } },
      },
    },
  });

  it('names a secret by its Name, else as CloudFormation would, and gives it an ARN with the random suffix', () => {
    const [named, generated] = secretsOf(resources);
    expect(named?.name).toBe('crm/credentials');
    expect(named?.arn).toMatch(ARN);
    expect(ARN.exec(named?.arn ?? '')?.[1]).toBe('crm/credentials');
    expect(generated?.name).toBe(generatedName(env, 'Generated', 256));
    expect(ARN.exec(generated?.arn ?? '')?.[1]).toBe(generated?.name);
  });

  it("resolves Ref to the secret's ARN, as CloudFormation does", () => {
    const variables = resources.properties('Fn').Environment as { Variables: Record<string, string> };
    expect(variables.Variables.SECRET_ARN).toBe(secretsOf(resources)[1]?.arn);
    expect(resources.physicalOf('Generated')?.attributes.Id).toBe(secretsOf(resources)[1]?.arn);
  });

  it('keeps the value, description, key and tags of a secret, or how to generate its value', () => {
    const [named, generated] = secretsOf(resources);
    expect(named).toMatchObject({
      logicalId: 'Named',
      description: 'CRM client credentials',
      kmsKeyId: resources.physicalOf('Key')?.attributes.Arn,
      tags: { team: 'crm' },
      secretString: '{"client_id":"junction"}',
    });
    expect(named).not.toHaveProperty('generate');
    expect(generated).toMatchObject({ tags: {}, generate: { PasswordLength: 40, ExcludePunctuation: true } });
    expect(generated).not.toHaveProperty('secretString');
  });

  it('is emulated: secrets are no longer counted as not emulated', () => {
    expect(EMULATED_TYPES.has('AWS::SecretsManager::Secret')).toBe(true);
  });
});

describe("secretsOf on Junction's template", () => {
  let junction: SynthesizedJunction;
  let resources: TemplateResources;
  let secrets: SecretSpec[];
  beforeAll(() => {
    junction = synthesizeJunction({ bundle: false });
    resources = new TemplateResources(junction.artifact.template, junction.env);
    secrets = secretsOf(resources);
  });
  afterAll(() => junction.dispose());

  /** The secrets carrying `tag`, keyed by its value. */
  const byTag = (tag: string): Record<string, SecretSpec> =>
    Object.fromEntries(
      secrets.flatMap((secret) => {
        const value = secret.tags[tag];
        return value === undefined ? [] : [[value, secret]];
      }),
    );
  /** The environments of the functions that set `variable`. */
  const environmentsWith = (variable: string): Record<string, string>[] =>
    resources
      .ofType('AWS::Lambda::Function')
      .map((id) => resources.properties(id).Environment as { Variables?: Record<string, string> } | undefined)
      .flatMap((environment) =>
        environment?.Variables?.[variable] === undefined ? [] : [environment.Variables],
      );

  it('has the two webhook signing secrets and the two connector credentials, and nothing else', () => {
    expect(secrets).toHaveLength(4);
    expect(Object.keys(byTag(WEBHOOK_PROVIDER_TAG)).sort()).toEqual(['email', 'payment']);
    expect(Object.keys(byTag(CONNECTOR_CREDENTIALS_TAG)).sort()).toEqual(['email', 'payment']);
  });

  it('finds a generated, tagged signing secret per webhook provider, whose ARN the webhook function gets', () => {
    const byProvider = byTag(WEBHOOK_PROVIDER_TAG);
    expect(byProvider.payment).toMatchObject({
      tags: { [WEBHOOK_PATH_TAG]: '/v1/webhooks/payment' },
      generate: expect.objectContaining({ PasswordLength: 48 }),
    });
    const [webhookEnvironment, ...others] = environmentsWith('PAYMENT_WEBHOOK_SECRET_ARN');
    expect(others).toEqual([]);
    expect(webhookEnvironment).toMatchObject({
      PAYMENT_WEBHOOK_SECRET_ARN: byProvider.payment?.arn,
      EMAIL_WEBHOOK_SECRET_ARN: byProvider.email?.arn,
    });
  });

  it('finds a connector credentials secret per provider, tagged with the connector and without webhook tags, whose ARN the connectors get', () => {
    const byConnector = byTag(CONNECTOR_CREDENTIALS_TAG);
    for (const connector of ['payment', 'email']) {
      expect(byConnector[connector]?.tags).toEqual({ [CONNECTOR_CREDENTIALS_TAG]: connector });
    }
    // Charge, refund and the payment API call the payment provider; the confirmation step the email one.
    expect(environmentsWith('PAYMENT_SECRET_ID').map((variables) => variables.PAYMENT_SECRET_ID)).toEqual([
      byConnector.payment?.arn,
      byConnector.payment?.arn,
      byConnector.payment?.arn,
    ]);
    expect(environmentsWith('EMAIL_SECRET_ID').map((variables) => variables.EMAIL_SECRET_ID)).toEqual([
      byConnector.email?.arn,
    ]);
  });
});

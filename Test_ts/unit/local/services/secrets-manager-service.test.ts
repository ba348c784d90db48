import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { AwsEndpoint } from '../../../../local/services/aws-endpoint';
import { localCredentials } from '../../../../local/services/aws-protocol';
import {
  generateSecretString,
  SecretsManagerService,
} from '../../../../local/services/secrets-manager-service';
import type { SecretSpec } from '../../../../local/template/topology-secrets';
import { jsonOf, jsonProtocolRequest } from '../../../fixtures/local-services/aws-request';

const REGION = 'us-east-1';
const arn = (name: string, suffix: string) =>
  `arn:aws:secretsmanager:${REGION}:000000000000:secret:${name}-${suffix}`;

const SPECS: SecretSpec[] = [
  {
    logicalId: 'PaymentSigningSecret',
    name: 'Junction-dev-PaymentSigningSecret-ABC',
    arn: arn('Junction-dev-PaymentSigningSecret-ABC', 'Xy12Zw'),
    description: 'Signing secret of the payment webhooks',
    tags: { 'junction:webhook-provider': 'payment', team: 'payments' },
    generate: { PasswordLength: 48, ExcludePunctuation: true },
  },
  {
    logicalId: 'CrmCredentials',
    name: 'crm/credentials',
    arn: arn('crm/credentials', 'Ab34Cd'),
    tags: {},
    secretString: '{"client_id":"junction","client_secret":"s3cr3t"}',
  },
  {
    logicalId: 'DbPassword',
    name: 'db/password',
    arn: arn('db/password', 'Ef56Gh'),
    tags: { team: 'storage' },
    generate: {
      SecretStringTemplate: '{"username":"junction"}',
      GenerateStringKey: 'password',
      PasswordLength: 20,
    },
  },
];

const service = new SecretsManagerService({ secrets: SPECS, region: REGION });
const endpoint = new AwsEndpoint(REGION);
let client: SecretsManagerClient;

beforeAll(async () => {
  endpoint.register('secretsmanager', service.handler);
  const url = await endpoint.start('127.0.0.1', 0);
  client = new SecretsManagerClient({ endpoint: url, region: REGION, credentials: localCredentials() });
});

afterAll(async () => {
  client.destroy();
  await endpoint.stop();
});

async function rejection(work: Promise<unknown>): Promise<Error> {
  const result = await work.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(result instanceof Error)) throw new Error('expected a rejection');
  return result;
}

describe('local Secrets Manager: GetSecretValue', () => {
  it('answers a secret the template generates, by name and by ARN, with the same value', async () => {
    const byName = await client.send(
      new GetSecretValueCommand({ SecretId: 'Junction-dev-PaymentSigningSecret-ABC' }),
    );
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: SPECS[0]?.arn }));
    expect(byName.SecretString).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(byArn).toMatchObject({
      ARN: SPECS[0]?.arn,
      Name: 'Junction-dev-PaymentSigningSecret-ABC',
      SecretString: byName.SecretString,
      VersionId: byName.VersionId,
      VersionStages: ['AWSCURRENT'],
    });
    expect(byArn.CreatedDate).toBeInstanceOf(Date);
  });

  it('finds a secret by its partial ARN (without the random suffix)', async () => {
    const found = await client.send(
      new GetSecretValueCommand({
        SecretId: `arn:aws:secretsmanager:${REGION}:000000000000:secret:crm/credentials`,
      }),
    );
    expect(found.Name).toBe('crm/credentials');
  });

  it('answers the SecretString the template sets', async () => {
    const crm = await client.send(new GetSecretValueCommand({ SecretId: 'crm/credentials' }));
    expect(JSON.parse(crm.SecretString ?? '{}')).toEqual({ client_id: 'junction', client_secret: 's3cr3t' });
  });

  it('fills GenerateStringKey into SecretStringTemplate', async () => {
    const db = await client.send(new GetSecretValueCommand({ SecretId: 'db/password' }));
    const value = JSON.parse(db.SecretString ?? '{}') as Record<string, string>;
    expect(value.username).toBe('junction');
    expect(value.password).toHaveLength(20);
  });

  it('answers ResourceNotFoundException for an unknown secret, and for a stage nobody holds', async () => {
    const unknown = await rejection(client.send(new GetSecretValueCommand({ SecretId: 'nope' })));
    expect(unknown).toBeInstanceOf(ResourceNotFoundException);
    expect(unknown.message).toBe("Secrets Manager can't find the specified secret.");
    const previous = await rejection(
      client.send(new GetSecretValueCommand({ SecretId: 'crm/credentials', VersionStage: 'AWSPREVIOUS' })),
    );
    expect(previous).toBeInstanceOf(ResourceNotFoundException);
    expect(previous.message).toBe(
      "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS",
    );
  });
});

describe('local Secrets Manager: PutSecretValue (rotation)', () => {
  it('makes the new value AWSCURRENT and the old current AWSPREVIOUS', async () => {
    const before = await client.send(new GetSecretValueCommand({ SecretId: 'db/password' }));
    const put = await client.send(
      new PutSecretValueCommand({
        SecretId: 'db/password',
        SecretString: '{"username":"junction","password":"next"}',
      }),
    );
    expect(put).toMatchObject({ ARN: SPECS[2]?.arn, Name: 'db/password', VersionStages: ['AWSCURRENT'] });
    const current = await client.send(new GetSecretValueCommand({ SecretId: 'db/password' }));
    const previous = await client.send(
      new GetSecretValueCommand({ SecretId: 'db/password', VersionStage: 'AWSPREVIOUS' }),
    );
    expect(current).toMatchObject({
      VersionId: put.VersionId,
      SecretString: '{"username":"junction","password":"next"}',
    });
    expect(previous).toMatchObject({
      VersionId: before.VersionId,
      SecretString: before.SecretString,
      VersionStages: ['AWSPREVIOUS'],
    });
    expect(service.valueOf('db/password')).toBe('{"username":"junction","password":"next"}');
  });

  it('moves AWSPREVIOUS along on the next rotation, leaving the oldest version without a stage', async () => {
    await client.send(new PutSecretValueCommand({ SecretId: 'db/password', SecretString: 'third' }));
    const described = await client.send(new DescribeSecretCommand({ SecretId: 'db/password' }));
    const stages = Object.values(described.VersionIdsToStages ?? {}).map((labels) => labels.join(','));
    expect(stages.sort()).toEqual(['', 'AWSCURRENT', 'AWSPREVIOUS']);
    const previous = await client.send(
      new GetSecretValueCommand({ SecretId: 'db/password', VersionStage: 'AWSPREVIOUS' }),
    );
    expect(previous.SecretString).toBe('{"username":"junction","password":"next"}');
  });

  it('reads a version by VersionId', async () => {
    const put = await client.send(
      new PutSecretValueCommand({ SecretId: 'crm/credentials', SecretString: 'v2' }),
    );
    const byId = await client.send(
      new GetSecretValueCommand({ SecretId: 'crm/credentials', VersionId: put.VersionId }),
    );
    expect(byId.SecretString).toBe('v2');
    const wrong = await rejection(
      client.send(
        new GetSecretValueCommand({
          SecretId: 'crm/credentials',
          VersionId: put.VersionId,
          VersionStage: 'AWSPREVIOUS',
        }),
      ),
    );
    expect(wrong).toBeInstanceOf(ResourceNotFoundException);
  });

  it('is idempotent on ClientRequestToken, and refuses the same token with another value', async () => {
    const token = 'rotation-0000-0000-0000-000000000001';
    const first = await client.send(
      new PutSecretValueCommand({
        SecretId: 'crm/credentials',
        SecretString: 'v3',
        ClientRequestToken: token,
      }),
    );
    const again = await client.send(
      new PutSecretValueCommand({
        SecretId: 'crm/credentials',
        SecretString: 'v3',
        ClientRequestToken: token,
      }),
    );
    expect(first.VersionId).toBe(token);
    expect(again.VersionId).toBe(token);
    const clash = await rejection(
      client.send(
        new PutSecretValueCommand({
          SecretId: 'crm/credentials',
          SecretString: 'v4',
          ClientRequestToken: token,
        }),
      ),
    );
    expect(clash).toBeInstanceOf(ResourceExistsException);
  });

  it('stores a binary secret and answers it as bytes', async () => {
    await client.send(
      new PutSecretValueCommand({ SecretId: 'crm/credentials', SecretBinary: new Uint8Array([1, 2, 255]) }),
    );
    const binary = await client.send(new GetSecretValueCommand({ SecretId: 'crm/credentials' }));
    expect([...(binary.SecretBinary ?? [])]).toEqual([1, 2, 255]);
    expect(binary.SecretString).toBeUndefined();
  });

  it('refuses a value that is neither or both of SecretString and SecretBinary', async () => {
    const neither = await service.handler(
      jsonProtocolRequest({
        service: 'secretsmanager',
        target: 'secretsmanager.PutSecretValue',
        input: { SecretId: 'crm/credentials' },
      }),
    );
    expect(neither.status).toBe(400);
    expect(jsonOf(neither)).toMatchObject({ __type: 'InvalidParameterException' });
  });
});

describe('local Secrets Manager: DescribeSecret and ListSecrets', () => {
  it('describes a secret without its value', async () => {
    const described = await client.send(new DescribeSecretCommand({ SecretId: SPECS[0]?.arn }));
    expect(described).toMatchObject({
      ARN: SPECS[0]?.arn,
      Name: 'Junction-dev-PaymentSigningSecret-ABC',
      Description: 'Signing secret of the payment webhooks',
      RotationEnabled: false,
      Tags: [
        { Key: 'junction:webhook-provider', Value: 'payment' },
        { Key: 'team', Value: 'payments' },
      ],
    });
    expect(JSON.stringify(described)).not.toContain(service.valueOf(SPECS[0]?.arn ?? ''));
  });

  it('lists every secret, and filters by name prefix, tag key and tag value', async () => {
    const names = async (Filters?: { Key: 'name' | 'tag-key' | 'tag-value'; Values: string[] }[]) =>
      ((await client.send(new ListSecretsCommand({ Filters }))).SecretList ?? []).map(
        (secret) => secret.Name,
      );
    expect(await names()).toEqual([
      'Junction-dev-PaymentSigningSecret-ABC',
      'crm/credentials',
      'db/password',
    ]);
    expect(await names([{ Key: 'name', Values: ['crm/', 'db/'] }])).toEqual([
      'crm/credentials',
      'db/password',
    ]);
    expect(await names([{ Key: 'tag-key', Values: ['junction:webhook-provider'] }])).toEqual([
      'Junction-dev-PaymentSigningSecret-ABC',
    ]);
    expect(await names([{ Key: 'tag-value', Values: ['storage'] }])).toEqual(['db/password']);
  });

  it('pages with MaxResults and NextToken', async () => {
    const first = await client.send(new ListSecretsCommand({ MaxResults: 2 }));
    const second = await client.send(new ListSecretsCommand({ MaxResults: 2, NextToken: first.NextToken }));
    expect(first.SecretList?.map((secret) => secret.Name)).toHaveLength(2);
    expect(second.SecretList?.map((secret) => secret.Name)).toEqual(['db/password']);
    expect(second.NextToken).toBeUndefined();
  });

  it('answers UnknownOperationException for an operation it does not run locally', async () => {
    const answer = await service.handler(
      jsonProtocolRequest({ service: 'secretsmanager', target: 'secretsmanager.RotateSecret', input: {} }),
    );
    expect(jsonOf(answer)).toMatchObject({ __type: 'UnknownOperationException' });
  });
});

describe('generateSecretString', () => {
  it('honours the length and the excluded character classes', () => {
    expect(generateSecretString({ PasswordLength: 64, ExcludePunctuation: true })).toMatch(
      /^[A-Za-z0-9]{64}$/,
    );
    expect(
      generateSecretString({
        PasswordLength: 40,
        ExcludeUppercase: true,
        ExcludeNumbers: true,
        ExcludePunctuation: true,
      }),
    ).toMatch(/^[a-z]{40}$/);
    expect(generateSecretString({ ExcludeCharacters: 'abcdefghijklmnopqrstuvwxyz' })).not.toMatch(/[a-z]/);
  });

  it('is 32 characters by default, with each included type present, and never the same twice', () => {
    const one = generateSecretString({});
    expect(one).toHaveLength(32);
    for (const kind of [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/]) expect(one).toMatch(kind);
    expect(generateSecretString({})).not.toBe(one);
  });

  it('refuses options that leave no character to choose from', () => {
    expect(() =>
      generateSecretString({
        ExcludeLowercase: true,
        ExcludeUppercase: true,
        ExcludeNumbers: true,
        ExcludePunctuation: true,
      }),
    ).toThrow('GenerateSecretString excludes every character');
  });
});

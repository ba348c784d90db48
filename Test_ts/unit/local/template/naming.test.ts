import {
  generatedName,
  type LocalEnvironment,
  type PhysicalResource,
  physicalResource,
  stableId,
} from '../../../../local/template/naming';
import { localEnv } from '../../../fixtures/template/junction-assembly';

const env: LocalEnvironment = localEnv('Junction-dev');
const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const LONG_ID = `VeryLongConstructPath${'Nested'.repeat(20)}QueueD9C83F52`;

/** The physical resource of `logicalId`, with the given (already resolved) properties. */
function physical(
  type: string,
  logicalId: string,
  properties: Readonly<Record<string, unknown>> = {},
  environment: LocalEnvironment = env,
): PhysicalResource {
  return physicalResource(environment, logicalId, type, (name) => properties[name]);
}

describe('stableId', () => {
  it('gives the same id for the same seed, every time', () => {
    expect(stableId('Junction-dev/Queue', 12)).toBe(stableId('Junction-dev/Queue', 12));
  });

  it('is the sha-256 of the seed mapped onto the alphabet, so ids survive restarts', () => {
    expect(stableId('Junction-dev/AnalyticsQueueD9C83F52', 12)).toBe('helpt9lcx5na');
    expect(stableId('seed', 10, '0123456789abcdef')).toBe('9286110a3c');
  });

  it('gives different ids for different seeds', () => {
    const ids = new Set(
      ['a', 'b', 'Junction-dev/A', 'Junction-prod/A', 'Junction-dev/B'].map((s) => stableId(s, 12)),
    );
    expect(ids.size).toBe(5);
  });

  it.each([1, 9, 10, 12, 26, 32, 40, 64])('makes an id of exactly %i characters', (length) => {
    expect(stableId('seed', length)).toHaveLength(length);
  });

  it('uses lowercase letters and digits by default', () => {
    expect(stableId('any seed at all', 64)).toMatch(/^[a-z0-9]{64}$/);
  });

  it.each([
    ['binary', '01', /^[01]{40}$/],
    ['hex', '0123456789abcdef', /^[0-9a-f]{40}$/],
    ['upper case', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', /^[A-Z]{40}$/],
  ])('uses only the characters of a %s alphabet', (_name, alphabet, pattern) => {
    expect(stableId('seed', 40, alphabet)).toMatch(pattern);
  });

  it('makes a shorter id the prefix of a longer one from the same seed', () => {
    expect(stableId('seed', 26).startsWith(stableId('seed', 10))).toBe(true);
  });
});

describe('generatedName', () => {
  it('names like CloudFormation: the stack, the logical id and a 12-character suffix', () => {
    const name = generatedName(env, 'AnalyticsQueueD9C83F52', 80);
    expect(name).toBe('Junction-dev-AnalyticsQueueD9C83F52-HELPT9LCX5NA');
  });

  it('derives the suffix from the stack and the logical id', () => {
    expect(generatedName(env, 'Orders', 80)).toBe(
      `Junction-dev-Orders-${stableId('Junction-dev/Orders', 12).toUpperCase()}`,
    );
  });

  it('gives the same logical id different names in different stacks', () => {
    const dev = generatedName(localEnv('Junction-dev'), 'Orders', 80);
    const prod = generatedName(localEnv('Junction-prod'), 'Orders', 80);
    expect(dev).not.toBe(prod);
    expect(prod.startsWith('Junction-prod-Orders-')).toBe(true);
  });

  it.each([14, 20, 48, 64, 80, 128, 150])('cuts the prefix so a long name is exactly %i long', (max) => {
    const name = generatedName(env, LONG_ID, max);
    const suffix = stableId(`Junction-dev/${LONG_ID}`, 12).toUpperCase();
    expect(name).toHaveLength(max);
    expect(name).toBe(`${`Junction-dev-${LONG_ID}`.slice(0, max - 13)}-${suffix}`);
  });

  it('leaves a name that fits as it is', () => {
    expect(generatedName(env, 'Q', 64)).toMatch(/^Junction-dev-Q-[A-Z0-9]{12}$/);
  });
});

describe('physicalResource for SQS queues', () => {
  it('names a standard queue and answers Ref with its URL on the local endpoint', () => {
    const queue = physical('AWS::SQS::Queue', 'AnalyticsQueueD9C83F52');
    const name = 'Junction-dev-AnalyticsQueueD9C83F52-HELPT9LCX5NA';
    expect(queue).toEqual({
      ref: `http://127.0.0.1:4566/${ACCOUNT}/${name}`,
      attributes: {
        Arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`,
        QueueName: name,
        QueueUrl: `http://127.0.0.1:4566/${ACCOUNT}/${name}`,
      },
    });
  });

  it('keeps a generated queue name within 80 characters', () => {
    const name = String(physical('AWS::SQS::Queue', LONG_ID).attributes.QueueName);
    expect(name).toHaveLength(80);
    expect(name).toMatch(/-[A-Z0-9]{12}$/);
  });

  it.each([true, 'true'])('gives a FIFO queue (FifoQueue %p) a .fifo name within 80 characters', (fifo) => {
    const queue = physical('AWS::SQS::Queue', LONG_ID, { FifoQueue: fifo });
    const name = String(queue.attributes.QueueName);
    expect(name).toHaveLength(80);
    expect(name).toBe(`${generatedName(env, LONG_ID, 75)}.fifo`);
    expect(queue.ref).toBe(`http://127.0.0.1:4566/${ACCOUNT}/${name}`);
    expect(queue.attributes.Arn).toBe(`arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`);
  });

  it.each([false, 'false'])('gives a queue with FifoQueue %p a plain name', (fifo) => {
    const name = String(physical('AWS::SQS::Queue', 'Orders', { FifoQueue: fifo }).attributes.QueueName);
    expect(name).toBe(generatedName(env, 'Orders', 80));
  });

  it('uses an explicit QueueName as it is', () => {
    const queue = physical('AWS::SQS::Queue', 'Orders', { QueueName: 'orders.fifo', FifoQueue: true });
    expect(queue.ref).toBe(`http://127.0.0.1:4566/${ACCOUNT}/orders.fifo`);
    expect(queue.attributes.QueueName).toBe('orders.fifo');
  });

  it('builds the URL on the configured endpoint and account', () => {
    const other = { ...env, awsEndpoint: 'http://localhost:9999', accountId: '123456789012' };
    const queue = physical('AWS::SQS::Queue', 'Orders', { QueueName: 'orders' }, other);
    expect(queue.ref).toBe('http://localhost:9999/123456789012/orders');
    expect(queue.attributes.Arn).toBe('arn:aws:sqs:us-east-1:123456789012:orders');
  });
});

describe('physicalResource for EventBridge', () => {
  const BUS_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/orders-bus`;

  it.each([
    ['no EventBusName', {}],
    ['the default bus by name', { EventBusName: 'default' }],
    ['the default bus by ARN', { EventBusName: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default` }],
  ])('answers Ref of a rule on %s with the rule name', (_name, properties) => {
    const rule = physical('AWS::Events::Rule', 'Nightly', { Name: 'nightly', ...properties });
    expect(rule.ref).toBe('nightly');
    expect(rule.attributes.Arn).toBe(`arn:aws:events:${REGION}:${ACCOUNT}:rule/nightly`);
  });

  it.each([
    ['by name', 'orders-bus'],
    ['by ARN', BUS_ARN],
  ])('answers Ref of a rule on a custom bus given %s with bus|rule', (_name, busName) => {
    const rule = physical('AWS::Events::Rule', 'ToAnalytics', {
      Name: 'to-analytics',
      EventBusName: busName,
    });
    expect(rule.ref).toBe('orders-bus|to-analytics');
    expect(rule.attributes.Arn).toBe(`arn:aws:events:${REGION}:${ACCOUNT}:rule/orders-bus/to-analytics`);
  });

  it('generates a rule name within 64 characters when the rule has none', () => {
    const rule = physical('AWS::Events::Rule', LONG_ID, { EventBusName: 'orders-bus' });
    const name = String(rule.ref).split('|')[1];
    expect(name).toBe(generatedName(env, LONG_ID, 64));
    expect(name).toHaveLength(64);
  });

  it('names a bus by its Name property', () => {
    expect(physical('AWS::Events::EventBus', 'Bus', { Name: 'orders-bus' })).toEqual({
      ref: 'orders-bus',
      attributes: { Arn: BUS_ARN, Name: 'orders-bus' },
    });
  });

  it('keeps a generated archive name within 48 characters', () => {
    const archive = physical('AWS::Events::Archive', 'EventsBusArchive3AC72948');
    expect(archive.ref).toBe('Junction-dev-EventsBusArchive3AC729-U25F1JJJ9FWK');
    expect(archive.attributes).toEqual({
      Arn: `arn:aws:events:${REGION}:${ACCOUNT}:archive/${String(archive.ref)}`,
      ArchiveName: archive.ref,
    });
  });
});

describe('physicalResource for Cognito', () => {
  it('makes a user pool id of the region and nine letters or digits, with its ARN and provider', () => {
    const pool = physical('AWS::Cognito::UserPool', 'ApiAuthUserPoolC7E9D261');
    const id = String(pool.ref);
    expect(id).toMatch(/^us-east-1_[A-Za-z0-9]{9}$/);
    expect(pool.attributes).toEqual({
      Arn: `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${id}`,
      ProviderName: `cognito-idp.${REGION}.amazonaws.com/${id}`,
      ProviderURL: `https://cognito-idp.${REGION}.amazonaws.com/${id}`,
      UserPoolId: id,
    });
  });

  it('keeps user pool ids stable and distinct per logical id', () => {
    const first = physical('AWS::Cognito::UserPool', 'Pool').ref;
    expect(physical('AWS::Cognito::UserPool', 'Pool').ref).toBe(first);
    expect(physical('AWS::Cognito::UserPool', 'OtherPool').ref).not.toBe(first);
  });

  it('puts the region of the environment in the user pool id', () => {
    const pool = physical('AWS::Cognito::UserPool', 'Pool', {}, { ...env, region: 'eu-west-1' });
    expect(String(pool.ref)).toMatch(/^eu-west-1_[A-Za-z0-9]{9}$/);
    expect(pool.attributes.ProviderURL).toBe(
      `https://cognito-idp.eu-west-1.amazonaws.com/${String(pool.ref)}`,
    );
  });

  it('makes an app client id of 26 lowercase letters or digits', () => {
    const client = physical('AWS::Cognito::UserPoolClient', 'PartnerClient');
    expect(String(client.ref)).toMatch(/^[a-z0-9]{26}$/);
    expect(client.attributes.ClientId).toBe(client.ref);
  });

  it('answers the Name of an app client with its ClientName, or its logical id without one', () => {
    expect(
      physical('AWS::Cognito::UserPoolClient', 'Client', { ClientName: 'partner' }).attributes.Name,
    ).toBe('partner');
    expect(physical('AWS::Cognito::UserPoolClient', 'Client').attributes.Name).toBe('Client');
  });

  it('answers Ref of a domain and a resource server with their names', () => {
    expect(physical('AWS::Cognito::UserPoolDomain', 'Domain', { Domain: 'junction-dev' }).ref).toBe(
      'junction-dev',
    );
    expect(physical('AWS::Cognito::UserPoolResourceServer', 'Orders', { Identifier: 'orders' }).ref).toBe(
      'orders',
    );
  });
});

describe('physicalResource for the other modelled types', () => {
  const arnOf = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;

  it.each<[string, string, Record<string, unknown>, PhysicalResource]>([
    [
      'AWS::DynamoDB::Table',
      'Table',
      { TableName: 'idempotency' },
      {
        ref: 'idempotency',
        attributes: {
          Arn: arnOf('dynamodb', 'table/idempotency'),
          StreamArn: arnOf('dynamodb', 'table/idempotency/stream/local'),
        },
      },
    ],
    [
      'AWS::Lambda::Function',
      'Fn',
      { FunctionName: 'ingest' },
      { ref: 'ingest', attributes: { Arn: arnOf('lambda', 'function:ingest') } },
    ],
    [
      'AWS::Logs::LogGroup',
      'Logs',
      { LogGroupName: '/aws/lambda/ingest' },
      { ref: '/aws/lambda/ingest', attributes: { Arn: arnOf('logs', 'log-group:/aws/lambda/ingest:*') } },
    ],
    [
      'AWS::SNS::Topic',
      'Alarms',
      { TopicName: 'alarms' },
      { ref: arnOf('sns', 'alarms'), attributes: { TopicArn: arnOf('sns', 'alarms'), TopicName: 'alarms' } },
    ],
    [
      'AWS::StepFunctions::StateMachine',
      'Saga',
      { StateMachineName: 'order-saga' },
      {
        ref: arnOf('states', 'stateMachine:order-saga'),
        attributes: { Arn: arnOf('states', 'stateMachine:order-saga'), Name: 'order-saga' },
      },
    ],
    [
      'AWS::CloudWatch::Alarm',
      'Alarm',
      { AlarmName: 'dlq-depth' },
      { ref: 'dlq-depth', attributes: { Arn: arnOf('cloudwatch', 'alarm:dlq-depth') } },
    ],
    ['AWS::CloudWatch::Dashboard', 'Dash', { DashboardName: 'ops' }, { ref: 'ops', attributes: {} }],
    ['AWS::ApiGateway::Stage', 'Stage', { StageName: 'dev' }, { ref: 'dev', attributes: {} }],
    ['AWS::ApiGateway::Model', 'Model', { Name: 'OrderRequest' }, { ref: 'OrderRequest', attributes: {} }],
  ])('names %s from its name property', (type, logicalId, properties, expected) => {
    expect(physical(type, logicalId, properties)).toEqual(expected);
  });

  it.each([
    ['AWS::DynamoDB::Table', 255],
    ['AWS::Lambda::Function', 64],
    ['AWS::Logs::LogGroup', 512],
    ['AWS::CloudWatch::Alarm', 255],
    ['AWS::IAM::Role', 64],
    ['AWS::StepFunctions::StateMachine', 80],
  ])('generates a %s name within %i characters when none is given', (type, max) => {
    const logicalId = `${LONG_ID}${'X'.repeat(400)}`;
    const resource = physical(type, logicalId, {});
    const name = String(resource.attributes.Name ?? resource.ref);
    expect(name).toBe(generatedName(env, logicalId, max));
    expect(name.length).toBeLessThanOrEqual(max);
  });

  it('treats an empty name property as no name', () => {
    expect(physical('AWS::Lambda::Function', 'Fn', { FunctionName: '' }).ref).toBe(
      generatedName(env, 'Fn', 64),
    );
  });

  it('gives a KMS key a UUID key id and its ARN', () => {
    const key = physical('AWS::KMS::Key', 'AnalyticsQueueKey1E26C2F0');
    const keyId = String(key.ref);
    expect(keyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(key.attributes).toEqual({ Arn: arnOf('kms', `key/${keyId}`), KeyId: keyId });
  });

  it('gives an IAM role a global ARN (no region) and a role id', () => {
    const role = physical('AWS::IAM::Role', 'Role', { RoleName: 'ingest-role' });
    expect(role.ref).toBe('ingest-role');
    expect(role.attributes.Arn).toBe(`arn:aws:iam::${ACCOUNT}:role/ingest-role`);
    expect(String(role.attributes.RoleId)).toMatch(/^AROA[A-Z0-9]{17}$/);
  });

  it('gives a REST API a ten-character id and a distinct root resource id', () => {
    const api = physical('AWS::ApiGateway::RestApi', 'Api');
    expect(String(api.ref)).toMatch(/^[a-z0-9]{10}$/);
    expect(api.attributes.RestApiId).toBe(api.ref);
    expect(String(api.attributes.RootResourceId)).toMatch(/^[a-z0-9]{10}$/);
    expect(api.attributes.RootResourceId).not.toBe(api.ref);
  });

  it('gives an API key a ten-character id', () => {
    const key = physical('AWS::ApiGateway::ApiKey', 'Key');
    expect(String(key.ref)).toMatch(/^[a-z0-9]{10}$/);
    expect(key.attributes).toEqual({ APIKeyId: key.ref });
  });
});

describe('physicalResource for types the local cloud does not model', () => {
  it.each([
    'AWS::ApiGateway::Resource',
    'AWS::ApiGateway::Authorizer',
    'AWS::Lambda::EventSourceMapping',
    'AWS::WAFv2::WebACL',
  ])('answers Ref of %s with a generated ten-character id', (type) => {
    const resource = physical(type, 'Thing');
    expect(resource.ref).toBe(stableId('Junction-dev/Thing', 10));
  });

  it.each(['AWS::Lambda::Permission', 'AWS::SQS::QueuePolicy', 'Custom::Thing'])(
    'answers Ref of %s with a generated name',
    (type) => {
      expect(physical(type, 'Thing').ref).toBe(generatedName(env, 'Thing', 128));
      expect(String(physical(type, LONG_ID.repeat(3)).ref)).toHaveLength(128);
    },
  );

  it('answers Arn with a placeholder ARN of the service and the id', () => {
    const permission = physical('AWS::Lambda::Permission', 'Invoke');
    expect(permission.attributes.Arn).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:${String(permission.ref)}`);
    const acl = physical('AWS::WAFv2::WebACL', 'Acl');
    expect(acl.attributes.Arn).toBe(`arn:aws:wafv2:${REGION}:${ACCOUNT}:${String(acl.ref)}`);
  });

  it('answers any other attribute with a stable value made of the id and the attribute', () => {
    const acl = physical('AWS::WAFv2::WebACL', 'Acl');
    expect(acl.attributes.Id).toBe(`${String(acl.ref)}.Id`);
    expect(acl.attributes['Endpoint.Address']).toBe(`${String(acl.ref)}.Endpoint.Address`);
    expect(physical('AWS::WAFv2::WebACL', 'Acl').attributes.Id).toBe(acl.attributes.Id);
  });
});

import { createHash } from 'node:crypto';
import type { PseudoParameters } from './intrinsics';

/** Where the local cloud runs: the values of pseudo parameters and the local endpoints. */
export interface LocalEnvironment extends PseudoParameters {
  /** The single AWS endpoint, such as `http://127.0.0.1:4566`. */
  readonly awsEndpoint: string;
}

/** What `Ref` and `Fn::GetAtt` return for a resource. */
export interface PhysicalResource {
  readonly ref: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** A stable id from a seed: the same stack and logical id always get the same local id. */
export function stableId(
  seed: string,
  length: number,
  alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789',
): string {
  const digest = createHash('sha256').update(seed).digest();
  let id = '';
  for (let index = 0; id.length < length; index += 1) {
    id += alphabet[(digest[index % digest.length] ?? 0) % alphabet.length];
  }
  return id;
}

/** A CloudFormation-style generated name: `<stack>-<logical id>-<suffix>`, within `maxLength`. */
/** The function's name in any form Lambda accepts: name, ARN or partial ARN, each with or without a qualifier. */
export function functionNameOf(reference: string): string {
  const parts = reference.split(':');
  const afterFunction = parts.indexOf('function');
  return (afterFunction >= 0 ? parts[afterFunction + 1] : parts[0]) ?? reference;
}

export function generatedName(env: LocalEnvironment, logicalId: string, maxLength: number): string {
  const suffix = stableId(`${env.stackName}/${logicalId}`, 12).toUpperCase();
  const prefix = `${env.stackName}-${logicalId}`.slice(0, Math.max(1, maxLength - suffix.length - 1));
  return `${prefix}-${suffix}`;
}

type Property = (name: string) => unknown;

interface Naming {
  readonly env: LocalEnvironment;
  readonly logicalId: string;
  readonly property: Property;
}

const arn = (
  n: Naming,
  service: string,
  resource: string,
  region = n.env.region,
  account = n.env.accountId,
) => `arn:${n.env.partition}:${service}:${region}:${account}:${resource}`;

function nameOr(n: Naming, property: string, maxLength: number): string {
  const value = n.property(property);
  return typeof value === 'string' && value !== '' ? value : generatedName(n.env, n.logicalId, maxLength);
}

function queue(n: Naming): PhysicalResource {
  const fifo = String(n.property('FifoQueue')) === 'true';
  const explicit = n.property('QueueName');
  const name =
    typeof explicit === 'string'
      ? explicit
      : `${generatedName(n.env, n.logicalId, fifo ? 75 : 80)}${fifo ? '.fifo' : ''}`;
  const url = `${n.env.awsEndpoint}/${n.env.accountId}/${name}`;
  return { ref: url, attributes: { Arn: arn(n, 'sqs', name), QueueName: name, QueueUrl: url } };
}

function rule(n: Naming): PhysicalResource {
  const name = nameOr(n, 'Name', 64);
  const bus = n.property('EventBusName');
  const busName = typeof bus === 'string' ? (bus.split('/').pop() ?? bus) : 'default';
  const custom = busName !== 'default';
  return {
    ref: custom ? `${busName}|${name}` : name,
    attributes: { Arn: arn(n, 'events', custom ? `rule/${busName}/${name}` : `rule/${name}`) },
  };
}

function userPool(n: Naming): PhysicalResource {
  const id = `${n.env.region}_${stableId(`${n.env.stackName}/${n.logicalId}`, 9, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`;
  return {
    ref: id,
    attributes: {
      Arn: arn(n, 'cognito-idp', `userpool/${id}`),
      ProviderName: `cognito-idp.${n.env.region}.${n.env.urlSuffix}/${id}`,
      ProviderURL: `https://cognito-idp.${n.env.region}.${n.env.urlSuffix}/${id}`,
      UserPoolId: id,
    },
  };
}

/** Physical ids and attributes by resource type, as CloudFormation would return them. */
const NAMING: Readonly<Record<string, (n: Naming) => PhysicalResource>> = {
  'AWS::SQS::Queue': queue,
  'AWS::DynamoDB::Table': (n) => {
    const name = nameOr(n, 'TableName', 255);
    return {
      ref: name,
      attributes: {
        Arn: arn(n, 'dynamodb', `table/${name}`),
        StreamArn: arn(n, 'dynamodb', `table/${name}/stream/local`),
      },
    };
  },
  'AWS::Lambda::Function': (n) => {
    const name = nameOr(n, 'FunctionName', 64);
    return { ref: name, attributes: { Arn: arn(n, 'lambda', `function:${name}`) } };
  },
  'AWS::Events::EventBus': (n) => {
    const name = nameOr(n, 'Name', 256);
    return { ref: name, attributes: { Arn: arn(n, 'events', `event-bus/${name}`), Name: name } };
  },
  'AWS::Events::Rule': rule,
  'AWS::Events::Archive': (n) => {
    const name = nameOr(n, 'ArchiveName', 48);
    return { ref: name, attributes: { Arn: arn(n, 'events', `archive/${name}`), ArchiveName: name } };
  },
  'AWS::Logs::LogGroup': (n) => {
    const name = nameOr(n, 'LogGroupName', 512);
    return { ref: name, attributes: { Arn: arn(n, 'logs', `log-group:${name}:*`) } };
  },
  'AWS::SNS::Topic': (n) => {
    const name = nameOr(n, 'TopicName', 256);
    const topicArn = arn(n, 'sns', name);
    return { ref: topicArn, attributes: { TopicArn: topicArn, TopicName: name } };
  },
  'AWS::KMS::Key': (n) => {
    const id = stableId(`${n.env.stackName}/${n.logicalId}`, 32, '0123456789abcdef');
    const keyId = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`;
    return { ref: keyId, attributes: { Arn: arn(n, 'kms', `key/${keyId}`), KeyId: keyId } };
  },
  'AWS::IAM::Role': (n) => {
    const name = nameOr(n, 'RoleName', 64);
    return {
      ref: name,
      attributes: {
        Arn: arn(n, 'iam', `role/${name}`, ''),
        RoleId: `AROA${stableId(name, 17).toUpperCase()}`,
      },
    };
  },
  'AWS::StepFunctions::StateMachine': (n) => {
    const name = nameOr(n, 'StateMachineName', 80);
    const machineArn = arn(n, 'states', `stateMachine:${name}`);
    return { ref: machineArn, attributes: { Arn: machineArn, Name: name } };
  },
  'AWS::ApiGateway::RestApi': (n) => {
    const id = stableId(`${n.env.stackName}/${n.logicalId}`, 10);
    return { ref: id, attributes: { RestApiId: id, RootResourceId: stableId(`${id}/root`, 10) } };
  },
  'AWS::ApiGateway::Stage': (n) => ({ ref: String(n.property('StageName')), attributes: {} }),
  'AWS::ApiGateway::Model': (n) => ({ ref: nameOr(n, 'Name', 128), attributes: {} }),
  'AWS::ApiGateway::ApiKey': (n) => {
    const id = stableId(`${n.env.stackName}/${n.logicalId}`, 10);
    return { ref: id, attributes: { APIKeyId: id } };
  },
  'AWS::Cognito::UserPool': userPool,
  'AWS::Cognito::UserPoolClient': (n) => {
    const id = stableId(`${n.env.stackName}/${n.logicalId}`, 26);
    return { ref: id, attributes: { ClientId: id, Name: String(n.property('ClientName') ?? n.logicalId) } };
  },
  'AWS::Cognito::UserPoolDomain': (n) => ({ ref: String(n.property('Domain')), attributes: {} }),
  'AWS::Cognito::UserPoolResourceServer': (n) => ({ ref: String(n.property('Identifier')), attributes: {} }),
  'AWS::CloudWatch::Alarm': (n) => {
    const name = nameOr(n, 'AlarmName', 255);
    return { ref: name, attributes: { Arn: arn(n, 'cloudwatch', `alarm:${name}`) } };
  },
  'AWS::CloudWatch::Dashboard': (n) => ({ ref: nameOr(n, 'DashboardName', 255), attributes: {} }),
  'AWS::SecretsManager::Secret': (n) => {
    const name = nameOr(n, 'Name', 256);
    // Secrets Manager ends every ARN with a dash and six random characters.
    const suffix = stableId(
      `${n.env.stackName}/${n.logicalId}/arn`,
      6,
      'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
    );
    const secretArn = arn(n, 'secretsmanager', `secret:${name}-${suffix}`);
    return { ref: secretArn, attributes: { Id: secretArn, Name: name } };
  },
};

/** Types whose Ref is a generated id rather than a name. */
const ID_TYPES = /^AWS::(ApiGateway|Lambda::EventSourceMapping|WAFv2)/;

/** The physical resource for a logical id; unknown types get stable placeholder ids. */
export function physicalResource(
  env: LocalEnvironment,
  logicalId: string,
  type: string,
  property: Property,
): PhysicalResource {
  const naming = NAMING[type];
  if (naming) return naming({ env, logicalId, property });
  const id = ID_TYPES.test(type)
    ? stableId(`${env.stackName}/${logicalId}`, 10)
    : generatedName(env, logicalId, 128);
  const service = type.split('::')[1]?.toLowerCase() ?? 'local';
  return {
    ref: id,
    attributes: new Proxy({} as Record<string, unknown>, {
      // Any attribute of a resource the local cloud does not model still resolves to a stable value.
      get: (_, attribute) =>
        attribute === 'Arn'
          ? `arn:${env.partition}:${service}:${env.region}:${env.accountId}:${id}`
          : `${id}.${String(attribute)}`,
    }),
  };
}

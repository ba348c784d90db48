// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Fn::Sub templates are CloudFormation strings, not JS templates.
import type { CfnTemplate } from '../../../../local/template/assembly';
import { UnresolvableIntrinsicError } from '../../../../local/template/intrinsics';
import { generatedName } from '../../../../local/template/naming';
import { TemplateResources } from '../../../../local/template/resources';
import { localEnv, resourcesOf } from '../../../fixtures/template/junction-assembly';

const STACK = 'Orders-dev';
const env = localEnv(STACK);
const queueName = (logicalId: string) => generatedName(env, logicalId, 80);
const QUEUE_URL = `http://127.0.0.1:4566/000000000000/${queueName('Queue')}`;
const QUEUE_ARN = `arn:aws:sqs:us-east-1:000000000000:${queueName('Queue')}`;

const TEMPLATE: CfnTemplate = {
  Parameters: {
    Stage: { Type: 'String', Default: 'dev' },
    Retention: { Type: 'Number', Default: 14 },
    Required: { Type: 'String' },
    Zones: { Type: 'CommaDelimitedList', Default: 'a, b,c' },
    Subnets: { Type: 'List<AWS::EC2::Subnet::Id>', Default: 'subnet-1,subnet-2' },
  },
  Conditions: {
    IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
    IsDev: { 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] },
  },
  Mappings: { Sizes: { dev: { Memory: 256 }, prod: { Memory: 1024 } } },
  Resources: {
    Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 30 } },
    NamedQueue: {
      Type: 'AWS::SQS::Queue',
      Properties: { QueueName: { 'Fn::Sub': '${AWS::StackName}-${Stage}-orders' } },
    },
    ProdOnly: { Type: 'AWS::SQS::Queue', Condition: 'IsProd' },
    DevOnly: { Type: 'AWS::SQS::Queue', Condition: 'IsDev' },
    Bare: { Type: 'AWS::SNS::Topic' },
    Handler: {
      Type: 'AWS::Lambda::Function',
      DependsOn: ['Queue'],
      Properties: {
        MemorySize: { 'Fn::FindInMap': ['Sizes', { Ref: 'Stage' }, 'Memory'] },
        Environment: {
          Variables: {
            QUEUE_URL: { Ref: 'Queue' },
            QUEUE_ARN: { 'Fn::GetAtt': ['Queue', 'Arn'] },
            STAGE: { Ref: 'Stage' },
            REGION: { Ref: 'AWS::Region' },
            PROD_ONLY: { 'Fn::If': ['IsProd', 'yes', { Ref: 'AWS::NoValue' }] },
          },
        },
      },
    },
    Broken: {
      Type: 'AWS::Lambda::Function',
      Properties: { Environment: { Variables: { MISSING: { Ref: 'NoSuchResource' } } } },
    },
  },
};

describe('TemplateResources references', () => {
  const resources = resourcesOf(TEMPLATE, STACK);

  it('answers Ref of a parameter with its default', () => {
    expect(resources.ref('Stage')).toBe('dev');
    expect(resources.ref('Retention')).toBe(14);
  });

  it('answers Ref of a list parameter with the list, as Fn::Select reads it', () => {
    expect(resources.ref('Zones')).toEqual(['a', 'b', 'c']);
    expect(resources.resolve({ 'Fn::Select': [1, { Ref: 'Subnets' }] }, 'Outputs.Subnet')).toBe('subnet-2');
  });

  it('answers Ref of a parameter without a default with nothing, which resolution reports', () => {
    expect(resources.ref('Required')).toBeUndefined();
    expect(() => resources.resolve({ Ref: 'Required' }, 'Outputs.Required')).toThrow(
      new UnresolvableIntrinsicError('Ref: cannot resolve logical id "Required"', 'Outputs.Required'),
    );
  });

  it('answers Ref of a resource with its local physical id', () => {
    expect(resources.ref('Queue')).toBe(QUEUE_URL);
    expect(resources.ref('Bare')).toBe(
      `arn:aws:sns:us-east-1:000000000000:${generatedName(env, 'Bare', 256)}`,
    );
  });

  it('answers Ref of an unknown logical id with nothing', () => {
    expect(resources.ref('Nope')).toBeUndefined();
    expect(resources.physicalOf('Nope')).toBeUndefined();
  });

  it('names a resource once and hands out the same physical resource afterwards', () => {
    const first = resources.physicalOf('Queue');
    expect(first?.attributes.QueueName).toBe(queueName('Queue'));
    expect(resources.physicalOf('Queue')).toBe(first);
  });

  it('resolves Fn::GetAtt through the physical attributes', () => {
    expect(resources.context.getAtt('Queue', 'Arn')).toBe(QUEUE_ARN);
    expect(resources.context.getAtt('Queue', 'NoSuchAttribute')).toBeUndefined();
    expect(resources.context.getAtt('Nope', 'Arn')).toBeUndefined();
  });

  it('names a resource from its resolved name property', () => {
    expect(resources.physicalOf('NamedQueue')?.attributes.QueueName).toBe('Orders-dev-dev-orders');
  });

  it('names a resource whose condition is false all the same', () => {
    expect(resources.physicalOf('ProdOnly')?.attributes.QueueName).toBe(queueName('ProdOnly'));
  });
});

describe('TemplateResources context', () => {
  const resources = resourcesOf(TEMPLATE, STACK);

  it('carries the pseudo parameters of the environment', () => {
    const { accountId, region, partition, urlSuffix, stackName, stackId } = resources.context;
    expect({ accountId, region, partition, urlSuffix, stackName, stackId }).toEqual({
      accountId: '000000000000',
      region: 'us-east-1',
      partition: 'aws',
      urlSuffix: 'amazonaws.com',
      stackName: STACK,
      stackId: 'x',
    });
  });

  it('carries the conditions and mappings of the template', () => {
    expect(resources.context.conditions).toBe(TEMPLATE.Conditions);
    expect(resources.context.mappings).toBe(TEMPLATE.Mappings);
  });

  it('keeps the template and the environment it was given', () => {
    expect(resources.template).toBe(TEMPLATE);
    expect(resources.env).toEqual(env);
  });

  it('resolves any template value, with pseudo parameters, refs and joins', () => {
    const value = {
      'Fn::Join': [
        '',
        ['https://', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: 'Stage' }],
      ],
    };
    expect(resources.resolve(value, 'Outputs.Url')).toBe('https://us-east-1.amazonaws.com/dev');
  });

  it('reports where an unresolvable value sits', () => {
    expect(() => resources.resolve({ 'Fn::GetAtt': ['Queue', 'Nope'] }, 'Outputs.Bad')).toThrow(
      'Fn::GetAtt: cannot resolve attribute "Nope" of logical id "Queue" (at Outputs.Bad)',
    );
  });
});

describe('TemplateResources conditions', () => {
  const resources = resourcesOf(TEMPLATE, STACK);

  it.each([
    ['a resource without a condition', 'Queue', true],
    ['a resource whose condition holds', 'DevOnly', true],
    ['a resource whose condition does not hold', 'ProdOnly', false],
  ])('tells whether the stack creates %s', (_name, logicalId, created) => {
    expect(resources.isCreated(resources.resource(logicalId))).toBe(created);
  });

  it('evaluates conditions against the parameter defaults', () => {
    const prod = resourcesOf(
      { ...TEMPLATE, Parameters: { ...TEMPLATE.Parameters, Stage: { Type: 'String', Default: 'prod' } } },
      STACK,
    );
    expect(prod.isCreated(prod.resource('ProdOnly'))).toBe(true);
    expect(prod.isCreated(prod.resource('DevOnly'))).toBe(false);
    expect(prod.ofType('AWS::SQS::Queue')).toEqual(['Queue', 'NamedQueue', 'ProdOnly']);
  });

  it('lists the created resources of a type, in template order', () => {
    expect(resources.ofType('AWS::SQS::Queue')).toEqual(['Queue', 'NamedQueue', 'DevOnly']);
    expect(resources.ofType('AWS::Lambda::Function')).toEqual(['Handler', 'Broken']);
    expect(resources.ofType('AWS::DynamoDB::Table')).toEqual([]);
  });

  it('reports a resource with an unknown condition', () => {
    const broken = resourcesOf({ Resources: { Q: { Type: 'AWS::SQS::Queue', Condition: 'Missing' } } });
    expect(() => broken.ofType('AWS::SQS::Queue')).toThrow('unknown condition "Missing"');
  });
});

describe('TemplateResources properties', () => {
  const resources = resourcesOf(TEMPLATE, STACK);

  it('returns the raw resource of a logical id', () => {
    expect(resources.resource('Queue')).toBe(TEMPLATE.Resources.Queue);
  });

  it('refuses a logical id the template does not have', () => {
    expect(() => resources.resource('Missing')).toThrow('No resource Missing in the template');
    expect(() => resources.property('Missing', 'X')).toThrow('No resource Missing in the template');
  });

  it('resolves one property', () => {
    expect(resources.property('Handler', 'MemorySize')).toBe(256);
    expect(resources.property('Queue', 'VisibilityTimeout')).toBe(30);
  });

  it('answers a property that is not set, or a resource without properties, with undefined', () => {
    expect(resources.property('Queue', 'FifoQueue')).toBeUndefined();
    expect(resources.property('Bare', 'TopicName')).toBeUndefined();
  });

  it('resolves every property, dropping AWS::NoValue', () => {
    expect(resources.properties('Handler')).toEqual({
      MemorySize: 256,
      Environment: {
        Variables: { QUEUE_URL, QUEUE_ARN, STAGE: 'dev', REGION: 'us-east-1' },
      },
    });
  });

  it('answers a resource without properties with an empty object', () => {
    expect(resources.properties('Bare')).toEqual({});
  });

  it('does not change the template while resolving', () => {
    const before = JSON.stringify(TEMPLATE);
    resources.properties('Handler');
    expect(JSON.stringify(TEMPLATE)).toBe(before);
  });

  it.each([
    ['one property', () => resourcesOf(TEMPLATE).property('Broken', 'Environment')],
    ['all properties', () => resourcesOf(TEMPLATE).properties('Broken')],
  ])('reports the path of an unresolvable value when resolving %s', (_name, resolve) => {
    expect(resolve).toThrow(
      new UnresolvableIntrinsicError(
        'Ref: cannot resolve logical id "NoSuchResource"',
        'Broken.Properties.Environment.Variables.MISSING',
      ),
    );
  });
});

describe('TemplateResources circular names', () => {
  const CYCLIC: CfnTemplate = {
    Resources: {
      Itself: {
        Type: 'AWS::SQS::Queue',
        Properties: { QueueName: { 'Fn::GetAtt': ['Itself', 'QueueName'] } },
      },
      Ping: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::Sub': '${Pong.QueueName}-ping' } } },
      Pong: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::Sub': '${Ping.QueueName}-pong' } } },
      Fine: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::Sub': '${Other.QueueName}-fine' } } },
      Other: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'other' } },
    },
  };

  it('refuses a resource whose name refers to itself', () => {
    const resources = new TemplateResources(CYCLIC, env);
    expect(() => resources.ref('Itself')).toThrow('Circular reference while naming Itself');
  });

  it('refuses two resources whose names refer to each other', () => {
    const resources = new TemplateResources(CYCLIC, env);
    expect(() => resources.physicalOf('Ping')).toThrow('Circular reference while naming Ping');
    expect(() => resources.physicalOf('Pong')).toThrow('Circular reference while naming Pong');
  });

  it('reports the cycle again on a second attempt instead of caching a half-made name', () => {
    const resources = new TemplateResources(CYCLIC, env);
    expect(() => resources.physicalOf('Itself')).toThrow('Circular reference while naming Itself');
    expect(() => resources.physicalOf('Itself')).toThrow('Circular reference while naming Itself');
  });

  it('names a resource that refers to another resource by that resource name', () => {
    const resources = new TemplateResources(CYCLIC, env);
    expect(resources.physicalOf('Fine')?.attributes.QueueName).toBe('other-fine');
    expect(resources.physicalOf('Other')?.attributes.QueueName).toBe('other');
  });
});

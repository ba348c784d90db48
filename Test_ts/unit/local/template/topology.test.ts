import type { CfnTemplate } from '../../../../local/template/assembly';
import { UnresolvableIntrinsicError } from '../../../../local/template/intrinsics';
import { generatedName } from '../../../../local/template/naming';
import { TemplateResources } from '../../../../local/template/resources';
import { buildTopology, EMULATED_TYPES } from '../../../../local/template/topology';
import type { LocalTopology } from '../../../../local/template/topology-types';
import {
  artifactOf,
  isHashedId,
  localEnv,
  type SynthesizedJunction,
  synthesizeJunction,
} from '../../../fixtures/template/junction-assembly';

const ACCOUNT = '000000000000';

/** One synthesis for the whole file: bundling runs esbuild. */
let junction: SynthesizedJunction;
let topology: LocalTopology;

beforeAll(() => {
  junction = synthesizeJunction();
  topology = buildTopology(junction.artifact, junction.env);
});

afterAll(() => junction.dispose());

describe('buildTopology on the synthesized Junction stack', () => {
  it('runs in the environment it was given, over the stack template', () => {
    expect(topology.env).toBe(junction.env);
    expect(topology.env.stackName).toBe('Junction-dev');
    expect(topology.resources).toBeInstanceOf(TemplateResources);
    expect(topology.resources.template).toBe(junction.artifact.template);
  });

  it('finds everything Junction runs', () => {
    const counts = {
      functions: topology.functions.length,
      queues: topology.queues.length,
      tables: topology.tables.length,
      buses: topology.buses.length,
      rules: topology.rules.length,
      archives: topology.archives.length,
      eventSourceMappings: topology.eventSourceMappings.length,
      stateMachines: topology.stateMachines.length,
      logGroups: topology.logGroups.length,
      topics: topology.topics.length,
      restApis: topology.restApis.length,
      userPools: topology.userPools.length,
    };
    expect(counts).toEqual({
      functions: 13,
      queues: 7,
      tables: 3,
      buses: 1,
      rules: 3,
      archives: 1,
      eventSourceMappings: 2,
      stateMachines: 1,
      logGroups: 16,
      topics: 1,
      restApis: 1,
      userPools: 1,
    });
  });

  it('wires the pieces to one another by their local names', () => {
    const analytics = topology.queues.find((queue) => isHashedId(queue.logicalId, 'AnalyticsQueue'));
    const consumer = topology.functions.find((fn) => fn.logicalId.startsWith('AnalyticsConsumer'));
    const health = topology.functions.find((fn) => fn.logicalId.startsWith('Health'));
    expect(health?.environment.ANALYTICS_QUEUE_URL).toBe(analytics?.url);
    expect(topology.eventSourceMappings[0]).toMatchObject({
      functionName: consumer?.name,
      eventSourceArn: analytics?.arn,
    });
    expect(topology.rules.flatMap((rule) => rule.targets.map((target) => target.arn))).toContain(
      analytics?.arn,
    );
    expect(topology.archives[0]?.sourceArn).toBe(topology.buses[0]?.arn);
    expect(topology.restApis[0]?.authorizers[0]?.userPoolArns).toEqual([topology.userPools[0]?.arn]);
  });

  it('wires the order saga: the rule feeds the start queue, whose starter starts the machine of saga steps', () => {
    const startQueue = topology.queues.find((queue) => isHashedId(queue.logicalId, 'OrderSagaStartQueue'));
    const starter = topology.functions.find((fn) => isHashedId(fn.logicalId, 'StartOrderSaga'));
    const [machine] = topology.stateMachines;
    const rule = topology.rules.find((spec) => isHashedId(spec.logicalId, 'OrderCreatedToSaga'));
    expect(rule?.targets.map((target) => target.arn)).toEqual([startQueue?.arn]);
    expect(topology.eventSourceMappings).toContainEqual(
      expect.objectContaining({ functionName: starter?.name, eventSourceArn: startQueue?.arn }),
    );
    expect(starter?.environment.ORDER_SAGA_ARN).toBe(machine?.arn);
    const states = Object.values((machine?.definition.States ?? {}) as Record<string, { Resource?: string }>);
    const taskArns = new Set(states.flatMap((state) => (state.Resource ? [state.Resource] : [])));
    const saga = [
      'ValidateOrder',
      'ChargePayment',
      'RefundPayment',
      'CreateInvoice',
      'SendConfirmation',
      'CompleteOrder',
      'FailOrder',
    ].map((prefix) => topology.functions.find((fn) => isHashedId(fn.logicalId, prefix))?.arn);
    expect([...taskArns].sort()).toEqual([...saga].sort());
  });

  it('counts the resource types that run nowhere locally', () => {
    expect(Object.fromEntries(topology.notEmulated)).toMatchObject({
      'AWS::IAM::Role': 15,
      'AWS::IAM::Policy': 14,
      'AWS::CloudWatch::Alarm': 31,
      'AWS::CloudWatch::CompositeAlarm': 1,
      'AWS::Logs::QueryDefinition': 3,
      'AWS::CloudWatch::Dashboard': 1,
      'AWS::KMS::Key': 6,
      'AWS::SQS::QueuePolicy': 7,
      'AWS::Lambda::Permission': 4,
      'AWS::WAFv2::WebACL': 1,
      'AWS::WAFv2::WebACLAssociation': 1,
      'AWS::ApiGateway::Account': 1,
    });
  });

  it('counts every resource of the template that is neither emulated nor metadata, and nothing else', () => {
    const expected = Object.values(junction.artifact.template.Resources).filter(
      (resource) => !EMULATED_TYPES.has(resource.Type) && resource.Type !== 'AWS::CDK::Metadata',
    ).length;
    const counted = [...topology.notEmulated.values()].reduce((sum, count) => sum + count, 0);
    expect(counted).toBe(expected);
    for (const type of topology.notEmulated.keys()) expect(EMULATED_TYPES.has(type)).toBe(false);
    expect(topology.notEmulated.has('AWS::CDK::Metadata')).toBe(false);
  });

  it('lists the not-emulated types in alphabetical order', () => {
    const types = [...topology.notEmulated.keys()];
    expect(types).toEqual([...types].sort((a, b) => a.localeCompare(b)));
  });

  it('resolves the stack outputs to local values', () => {
    const api = topology.restApis[0];
    const pool = topology.userPools[0];
    expect(topology.outputs).toMatchObject({
      ApiUrl: `https://${String(api?.id)}.execute-api.us-east-1.amazonaws.com/dev/`,
      TokenUrl: `https://junction-dev-${ACCOUNT}.auth.us-east-1.amazoncognito.com/oauth2/token`,
      UserPoolId: pool?.id,
      EventBusName: topology.buses[0]?.name,
      demopartnerClientId: pool?.clients[0]?.clientId,
      demopartnerApiKeyId: api?.apiKeys[0]?.id,
    });
    expect(Object.keys(topology.outputs).sort()).toEqual(
      Object.keys(junction.artifact.template.Outputs ?? {}).sort(),
    );
    for (const value of Object.values(topology.outputs)) expect(typeof value).toBe('string');
  });
});

describe('EMULATED_TYPES', () => {
  it.each([
    'AWS::Lambda::Function',
    'AWS::Lambda::EventSourceMapping',
    'AWS::SQS::Queue',
    'AWS::SNS::Topic',
    'AWS::DynamoDB::Table',
    'AWS::Events::EventBus',
    'AWS::Events::Rule',
    'AWS::Events::Archive',
    'AWS::StepFunctions::StateMachine',
    'AWS::ApiGateway::RestApi',
    'AWS::ApiGateway::UsagePlan',
    'AWS::Cognito::UserPool',
    'AWS::Cognito::UserPoolClient',
  ])('includes %s', (type) => {
    expect(EMULATED_TYPES.has(type)).toBe(true);
  });

  it.each([
    'AWS::IAM::Role',
    'AWS::KMS::Key',
    'AWS::SQS::QueuePolicy',
    'AWS::WAFv2::WebACL',
    'AWS::CDK::Metadata',
  ])('leaves out %s', (type) => {
    expect(EMULATED_TYPES.has(type)).toBe(false);
  });
});

describe('buildTopology on hand-written templates', () => {
  const env = localEnv('Shop-dev');
  const TEMPLATE: CfnTemplate = {
    Parameters: { Stage: { Type: 'String', Default: 'dev' } },
    Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] } },
    Resources: {
      Queue: { Type: 'AWS::SQS::Queue' },
      ProdQueue: { Type: 'AWS::SQS::Queue', Condition: 'IsProd' },
      Role: { Type: 'AWS::IAM::Role' },
      ProdRole: { Type: 'AWS::IAM::Role', Condition: 'IsProd' },
      Alarm: { Type: 'AWS::CloudWatch::Alarm' },
      Key: { Type: 'AWS::KMS::Key' },
      OtherRole: { Type: 'AWS::IAM::Role' },
      CDKMetadata: { Type: 'AWS::CDK::Metadata', Properties: { Analytics: 'v2:deflate64:abc' } },
    },
    Outputs: {
      QueueUrl: { Value: { Ref: 'Queue' }, Description: 'the queue' },
      Where: {
        Value: { 'Fn::Join': ['/', [{ Ref: 'AWS::StackName' }, { Ref: 'Stage' }, { Ref: 'AWS::Region' }]] },
      },
      Count: { Value: 3 },
      ProdQueueUrl: { Value: { Ref: 'ProdQueue' }, Condition: 'IsProd' },
    },
  };

  it('leaves out resources whose condition does not hold, in the specs and in the counts', () => {
    const built = buildTopology(artifactOf(TEMPLATE), env);
    expect(built.queues.map((queue) => queue.logicalId)).toEqual(['Queue']);
    expect([...built.notEmulated]).toEqual([
      ['AWS::CloudWatch::Alarm', 1],
      ['AWS::IAM::Role', 2],
      ['AWS::KMS::Key', 1],
    ]);
  });

  it('resolves outputs against the environment and the parameter defaults', () => {
    expect(buildTopology(artifactOf(TEMPLATE), env).outputs).toEqual({
      QueueUrl: `http://127.0.0.1:4566/${ACCOUNT}/${generatedName(env, 'Queue', 80)}`,
      Where: 'Shop-dev/dev/us-east-1',
      Count: 3,
    });
  });

  it('builds an empty topology from a template without resources or outputs', () => {
    const built = buildTopology(artifactOf({ Resources: {} }), env);
    expect(built.outputs).toEqual({});
    expect(built.notEmulated.size).toBe(0);
    expect([built.functions, built.queues, built.rules, built.restApis, built.userPools]).toEqual([
      [],
      [],
      [],
      [],
      [],
    ]);
  });

  it('reports an output it cannot resolve, with where it sits', () => {
    const broken = artifactOf({ Resources: {}, Outputs: { Gone: { Value: { Ref: 'Missing' } } } });
    expect(() => buildTopology(broken, env)).toThrow(
      new UnresolvableIntrinsicError('Ref: cannot resolve logical id "Missing"', 'Outputs.Gone'),
    );
  });
});

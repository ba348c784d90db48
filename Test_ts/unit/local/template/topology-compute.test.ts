// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Step Functions definitions carry ${Name} placeholders.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CfnResource } from '../../../../local/template/assembly';
import { generatedName } from '../../../../local/template/naming';
import { TemplateResources } from '../../../../local/template/resources';
import {
  eventSourceMappingsOf,
  functionsOf,
  stateMachinesOf,
} from '../../../../local/template/topology-compute';
import type { FunctionSpec } from '../../../../local/template/topology-types';
import {
  artifactOf,
  localEnv,
  logicalIdOf,
  resourcesOf,
  type SynthesizedJunction,
  stripHash,
  synthesizeJunction,
} from '../../../fixtures/template/junction-assembly';

const ENDPOINT = 'http://127.0.0.1:4566/000000000000';
const LAMBDA_ARN = 'arn:aws:lambda:us-east-1:000000000000:function';
const env = localEnv();

/** One synthesis for the whole file: bundling runs esbuild. */
let junction: SynthesizedJunction;
let resources: TemplateResources;
let functions: FunctionSpec[];

beforeAll(() => {
  junction = synthesizeJunction();
  resources = new TemplateResources(junction.artifact.template, junction.env);
  functions = functionsOf(junction.artifact, resources);
});

afterAll(() => junction.dispose());

function fn(prefix: string): FunctionSpec {
  const found = functions.find(
    (candidate) =>
      candidate.logicalId === logicalIdOf(junction.artifact.template, prefix, 'AWS::Lambda::Function'),
  );
  if (!found) throw new Error(`No function ${prefix}`);
  return found;
}

describe('functionsOf on the synthesized Junction stack', () => {
  it('finds the thirteen functions of the stack', () => {
    expect(functions.map((spec) => stripHash(spec.logicalId)).sort()).toEqual([
      'AnalyticsConsumer',
      'ChargePayment',
      'CompleteOrder',
      'CreateInvoice',
      'FailOrder',
      'Health',
      'IngestOrder',
      'PaymentsProcessPayment',
      'ReceiveWebhook',
      'RefundPayment',
      'SendConfirmation',
      'StartOrderSaga',
      'ValidateOrder',
    ]);
  });

  it('names each function like CloudFormation and gives it its Lambda ARN', () => {
    for (const spec of functions) {
      expect(spec.name).toBe(generatedName(junction.env, spec.logicalId, 64));
      expect(spec.arn).toBe(`${LAMBDA_ARN}:${spec.name}`);
    }
  });

  it('points each function at the index.mjs of its own staged bundle, found by S3 key', () => {
    for (const spec of functions) {
      const code = resources.resource(spec.logicalId).Properties?.Code as { S3Key: string };
      const bundle = junction.artifact.assetPaths.get(code.S3Key);
      expect(bundle?.startsWith(junction.directory)).toBe(true);
      expect(spec.handlerFile).toBe(path.join(String(bundle), 'index.mjs'));
      expect(existsSync(spec.handlerFile)).toBe(true);
      expect(spec.handlerExport).toBe('handler');
    }
    expect(new Set(functions.map((spec) => spec.handlerFile)).size).toBe(13);
  });

  it('takes runtime, memory and timeout from the template', () => {
    const settings = functions.map(
      ({ logicalId, runtime, memorySize, timeoutSeconds, reservedConcurrency }) => ({
        id: stripHash(logicalId),
        runtime,
        memorySize,
        timeoutSeconds,
        reservedConcurrency,
      }),
    );
    expect(settings).toEqual(
      expect.arrayContaining([
        {
          id: 'IngestOrder',
          runtime: 'nodejs22.x',
          memorySize: 512,
          timeoutSeconds: 10,
          reservedConcurrency: undefined,
        },
        {
          id: 'Health',
          runtime: 'nodejs22.x',
          memorySize: 256,
          timeoutSeconds: 5,
          reservedConcurrency: undefined,
        },
        {
          id: 'AnalyticsConsumer',
          runtime: 'nodejs22.x',
          memorySize: 256,
          timeoutSeconds: 30,
          reservedConcurrency: undefined,
        },
      ]),
    );
  });

  it('resolves queue URLs in the environment to the local queues', () => {
    const queue = generatedName(
      junction.env,
      logicalIdOf(junction.artifact.template, 'AnalyticsQueue', 'AWS::SQS::Queue'),
      80,
    );
    const dlq = generatedName(
      junction.env,
      logicalIdOf(junction.artifact.template, 'AnalyticsQueueDeadLetters', 'AWS::SQS::Queue'),
      80,
    );
    expect(fn('Health').environment.ANALYTICS_QUEUE_URL).toBe(`${ENDPOINT}/${queue}`);
    expect(queue).toMatch(/^Junction-dev-AnalyticsQueue[0-9A-F]{8}-[0-9A-Z]{12}$/);
    expect(fn('AnalyticsConsumer').environment.DEAD_LETTER_QUEUE_URL).toBe(`${ENDPOINT}/${dlq}`);
  });

  it('resolves the bus and table names in the environment', () => {
    const busName = resources.property(
      logicalIdOf(junction.artifact.template, 'EventsBus', 'AWS::Events::EventBus'),
      'Name',
    );
    const tableName = generatedName(
      junction.env,
      logicalIdOf(junction.artifact.template, 'IdempotencyTable', 'AWS::DynamoDB::Table'),
      255,
    );
    expect(typeof busName).toBe('string');
    expect(fn('IngestOrder').environment).toMatchObject({
      EVENT_BUS_NAME: busName,
      IDEMPOTENCY_TABLE_NAME: tableName,
    });
    expect(fn('Health').environment.IDEMPOTENCY_TABLE_NAME).toBe(tableName);
    expect(fn('AnalyticsConsumer').environment.EVENT_BUS_NAME).toBeUndefined();
  });

  it('keeps literal environment values and leaves no intrinsic behind', () => {
    expect(fn('IngestOrder').environment).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'order-intake',
      POWERTOOLS_METRICS_NAMESPACE: 'Junction',
      NODE_OPTIONS: '--enable-source-maps',
    });
    expect(fn('AnalyticsConsumer').environment.MAX_RECEIVE_COUNT).toBe('5');
    for (const spec of functions) {
      for (const value of Object.values(spec.environment)) expect(value).not.toMatch(/Ref|Fn::|\[object/);
    }
  });

  it.each([
    ['IngestOrder', 'IngestOrderLogs'],
    ['Health', 'HealthLogs'],
    ['AnalyticsConsumer', 'AnalyticsConsumerLogs'],
  ])('sends %s to the log group its logging config names', (name, group) => {
    const logGroup = generatedName(
      junction.env,
      logicalIdOf(junction.artifact.template, group, 'AWS::Logs::LogGroup'),
      512,
    );
    expect(fn(name).logGroupName).toBe(logGroup);
    expect(logGroup).toMatch(new RegExp(`^Junction-dev-${group}[0-9A-F]{8}-[0-9A-Z]{12}$`));
  });
});

describe('eventSourceMappingsOf on the synthesized Junction stack', () => {
  const queueArn = (prefix: string) =>
    `arn:aws:sqs:us-east-1:000000000000:${generatedName(
      junction.env,
      logicalIdOf(junction.artifact.template, prefix, 'AWS::SQS::Queue'),
      80,
    )}`;

  it('connects the analytics queue to its consumer and the saga start queue to the saga starter, both reporting batch item failures', () => {
    const mappings = eventSourceMappingsOf(resources);
    expect(mappings).toHaveLength(2);
    const consumerOf = (name: string) => mappings.find((mapping) => mapping.functionName === name);
    expect(consumerOf(fn('AnalyticsConsumer').name)).toEqual({
      logicalId: expect.stringMatching(/^AnalyticsConsumerSqsEventSource/),
      functionName: fn('AnalyticsConsumer').name,
      eventSourceArn: queueArn('AnalyticsQueue'),
      batchSize: 10,
      maxBatchingWindowSeconds: 0,
      reportBatchItemFailures: true,
      maximumConcurrency: undefined,
      enabled: true,
    });
    expect(consumerOf(fn('StartOrderSaga').name)).toEqual({
      logicalId: expect.stringMatching(/^StartOrderSagaSqsEventSource/),
      functionName: fn('StartOrderSaga').name,
      eventSourceArn: queueArn('OrderSagaStartQueue'),
      batchSize: 10,
      maxBatchingWindowSeconds: 0,
      reportBatchItemFailures: true,
      maximumConcurrency: undefined,
      enabled: true,
    });
  });
});

describe('functionsOf on hand-written templates', () => {
  let directory: string;

  /** A function resource with code staged at `asset` (relative to the assembly directory). */
  const lambda = (properties: Record<string, unknown>, asset = 'asset.main'): CfnResource => ({
    Type: 'AWS::Lambda::Function',
    Properties: {
      Code: { S3Bucket: 'assets', S3Key: `${asset}.zip` },
      Handler: 'index.handler',
      ...properties,
    },
  });
  const specsOf = (
    template: Record<string, CfnResource>,
    assets: Record<string, string> = {},
  ): FunctionSpec[] => {
    const artifact = artifactOf(
      { Resources: template },
      {
        directory,
        assetPaths: new Map(Object.entries(assets).map(([key, dir]) => [key, path.join(directory, dir)])),
      },
    );
    return functionsOf(artifact, new TemplateResources(artifact.template, env));
  };
  const write = (file: string) => {
    mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
    writeFileSync(path.join(directory, file), 'export const handler = async () => ({});\n');
  };

  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'junction-compute-'));
    write('asset.main/index.mjs');
    write('asset.cjs/index.cjs');
    write('asset.both/index.js');
    write('asset.both/index.cjs');
    write('asset.all/index.js');
    write('asset.all/index.mjs');
    write('asset.nested/src/app.js');
    write('asset.meta/index.mjs');
  });

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('applies the Lambda defaults to a function that sets nothing else', () => {
    const [spec] = specsOf({ Main: lambda({}) }, { 'asset.main.zip': 'asset.main' });
    const name = generatedName(env, 'Main', 64);
    expect(spec).toEqual({
      logicalId: 'Main',
      name,
      arn: `${LAMBDA_ARN}:${name}`,
      handlerFile: path.join(directory, 'asset.main', 'index.mjs'),
      handlerExport: 'handler',
      runtime: 'nodejs22.x',
      memorySize: 128,
      timeoutSeconds: 3,
      reservedConcurrency: undefined,
      environment: {},
      logGroupName: `/aws/lambda/${name}`,
    });
  });

  it('reads explicit settings, numbers given as strings included', () => {
    const [spec] = specsOf(
      {
        Main: lambda({
          FunctionName: 'ingest',
          Runtime: 'nodejs20.x',
          MemorySize: '1024',
          Timeout: 30,
          ReservedConcurrentExecutions: 0,
          Environment: { Variables: { RETRIES: 3, DEBUG: false, REGION: { Ref: 'AWS::Region' } } },
          LoggingConfig: { LogGroup: '/custom/ingest' },
        }),
      },
      { 'asset.main.zip': 'asset.main' },
    );
    expect(spec).toMatchObject({
      name: 'ingest',
      arn: `${LAMBDA_ARN}:ingest`,
      runtime: 'nodejs20.x',
      memorySize: 1024,
      timeoutSeconds: 30,
      reservedConcurrency: 0,
      environment: { RETRIES: '3', DEBUG: 'false', REGION: 'us-east-1' },
      logGroupName: '/custom/ingest',
    });
  });

  it.each([
    ['only index.cjs', 'asset.cjs', 'index.cjs'],
    ['index.js before index.cjs', 'asset.both', 'index.js'],
    ['index.mjs before index.js', 'asset.all', 'index.mjs'],
  ])('finds the handler module with %s', (_name, asset, file) => {
    const [spec] = specsOf({ Main: lambda({}, asset) }, { [`${asset}.zip`]: asset });
    expect(spec?.handlerFile).toBe(path.join(directory, asset, file));
  });

  it('finds a handler in a nested module and exports named after the last dot', () => {
    const [spec] = specsOf(
      { Main: lambda({ Handler: 'src/app.main' }, 'asset.nested') },
      { 'asset.nested.zip': 'asset.nested' },
    );
    expect(spec?.handlerFile).toBe(path.join(directory, 'asset.nested', 'src', 'app.js'));
    expect(spec?.handlerExport).toBe('main');
  });

  it('falls back on the asset path metadata when no asset has the S3 key', () => {
    const resource = lambda({}, 'unknown-key');
    const [spec] = specsOf({ Main: { ...resource, Metadata: { 'aws:asset:path': 'asset.meta' } } });
    expect(spec?.handlerFile).toBe(path.join(directory, 'asset.meta', 'index.mjs'));
  });

  it('refuses a function without staged code', () => {
    const inline: CfnResource = {
      Type: 'AWS::Lambda::Function',
      Properties: { Code: { ZipFile: 'exports.handler = async () => 1;' }, Handler: 'index.handler' },
    };
    expect(() => specsOf({ Inline: inline })).toThrow(
      'Function Inline has no staged code asset (only bundled assets run locally)',
    );
  });

  it('refuses a function whose handler module is not in the bundle', () => {
    expect(() =>
      specsOf({ Main: lambda({ Handler: 'missing.handler' }) }, { 'asset.main.zip': 'asset.main' }),
    ).toThrow(
      `Function Main: no module for handler "missing.handler" in ${path.join(directory, 'asset.main')}`,
    );
  });

  it('leaves out a function whose condition does not hold', () => {
    const template = {
      Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } },
      Resources: { Main: lambda({}), Hidden: { ...lambda({}), Condition: 'Never' } },
    };
    const artifact = artifactOf(template, {
      directory,
      assetPaths: new Map([['asset.main.zip', path.join(directory, 'asset.main')]]),
    });
    expect(functionsOf(artifact, resourcesOf(template)).map((spec) => spec.logicalId)).toEqual(['Main']);
  });
});

describe('eventSourceMappingsOf on hand-written templates', () => {
  const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:orders';
  const mappingOf = (properties: Record<string, unknown>) =>
    eventSourceMappingsOf(
      resourcesOf({
        Resources: {
          Mapping: {
            Type: 'AWS::Lambda::EventSourceMapping',
            Properties: { FunctionName: 'consumer', EventSourceArn: QUEUE_ARN, ...properties },
          },
        },
      }),
    )[0];

  it('applies the SQS defaults', () => {
    expect(mappingOf({})).toEqual({
      logicalId: 'Mapping',
      functionName: 'consumer',
      eventSourceArn: QUEUE_ARN,
      batchSize: 10,
      maxBatchingWindowSeconds: 0,
      reportBatchItemFailures: false,
      maximumConcurrency: undefined,
      enabled: true,
    });
  });

  it('reads batch size, window, concurrency, response types and state', () => {
    expect(
      mappingOf({
        BatchSize: 25,
        MaximumBatchingWindowInSeconds: '5',
        ScalingConfig: { MaximumConcurrency: 4 },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        Enabled: false,
      }),
    ).toMatchObject({
      batchSize: 25,
      maxBatchingWindowSeconds: 5,
      maximumConcurrency: 4,
      reportBatchItemFailures: true,
      enabled: false,
    });
  });

  it('takes the function name out of a function ARN', () => {
    expect(mappingOf({ FunctionName: `${LAMBDA_ARN}:consumer` })?.functionName).toBe('consumer');
  });

  it.each([
    ['a qualified function ARN', `${LAMBDA_ARN}:consumer:live`],
    ['a qualified name', 'consumer:live'],
    ['a qualified partial ARN', '000000000000:function:consumer:live'],
    ['a partial ARN', '000000000000:function:consumer'],
  ])('takes the function name, not the alias, out of %s', (_, functionName) => {
    expect(mappingOf({ FunctionName: functionName })?.functionName).toBe('consumer');
  });
});

describe('stateMachinesOf', () => {
  const FUNCTION_ARN = `${LAMBDA_ARN}:doubler`;
  const machinesOf = (properties: Record<string, unknown>) =>
    stateMachinesOf(
      resourcesOf({
        Resources: {
          Doubler: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'doubler' } },
          Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: properties },
        },
      }),
    );

  it('joins the definition string, substitutes its placeholders and parses it', () => {
    const [machine] = machinesOf({
      StateMachineName: 'order-saga',
      DefinitionString: {
        'Fn::Join': [
          '',
          [
            '{"StartAt":"Double","States":{"Double":{"Type":"Task","Resource":"',
            { 'Fn::GetAtt': ['Doubler', 'Arn'] },
            '","Next":"Notify"},"Notify":{"Type":"Task","Resource":"${NotifyArn}","Parameters":{"region":"',
            { Ref: 'AWS::Region' },
            '"},"End":true}}}',
          ],
        ],
      },
      DefinitionSubstitutions: { NotifyArn: `${LAMBDA_ARN}:notify` },
    });
    expect(machine).toEqual({
      logicalId: 'Machine',
      name: 'order-saga',
      arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:order-saga',
      type: 'STANDARD',
      definition: {
        StartAt: 'Double',
        States: {
          Double: { Type: 'Task', Resource: FUNCTION_ARN, Next: 'Notify' },
          Notify: {
            Type: 'Task',
            Resource: `${LAMBDA_ARN}:notify`,
            Parameters: { region: 'us-east-1' },
            End: true,
          },
        },
      },
    });
  });

  it('substitutes placeholders in a Definition object and reads the EXPRESS type', () => {
    const [machine] = machinesOf({
      StateMachineType: 'EXPRESS',
      Definition: { StartAt: 'Go', States: { Go: { Type: 'Task', Resource: '${Target}', End: true } } },
      DefinitionSubstitutions: { Target: { 'Fn::GetAtt': ['Doubler', 'Arn'] } },
    });
    expect(machine?.type).toBe('EXPRESS');
    expect(machine?.definition).toEqual({
      StartAt: 'Go',
      States: { Go: { Type: 'Task', Resource: FUNCTION_ARN, End: true } },
    });
  });

  it('keeps a placeholder that has no substitution', () => {
    const [machine] = machinesOf({
      DefinitionString:
        '{"StartAt":"A","States":{"A":{"Type":"Pass","Result":"${Unknown}-${Known}","End":true}}}',
      DefinitionSubstitutions: { Known: 'yes' },
    });
    expect(machine?.definition).toEqual({
      StartAt: 'A',
      States: { A: { Type: 'Pass', Result: '${Unknown}-yes', End: true } },
    });
  });

  it('names a machine without a name like CloudFormation and answers an empty definition with {}', () => {
    const [machine] = machinesOf({});
    const name = generatedName(env, 'Machine', 80);
    expect(machine).toEqual({
      logicalId: 'Machine',
      name,
      arn: `arn:aws:states:us-east-1:000000000000:stateMachine:${name}`,
      type: 'STANDARD',
      definition: {},
    });
  });

  it('finds no state machine in a template without one', () => {
    expect(stateMachinesOf(resourcesOf({ Resources: {} }))).toEqual([]);
  });
});

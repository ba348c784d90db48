import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type App, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import {
  handlerEntry,
  IntegrationFunction,
  type IntegrationFunctionProps,
} from '../../lib/compute/integration-function';
import { templateOf, testStack } from '../support/stacks';

const baseProps: IntegrationFunctionProps = {
  entry: handlerEntry('api/health'),
  description: 'Test function',
  serviceName: 'junction-test',
  memorySize: 256,
  timeout: Duration.seconds(10),
};

describe('IntegrationFunction', () => {
  it('runs Node 22 on ARM with X-Ray, explicit memory and timeout', () => {
    const stack = testStack();
    new IntegrationFunction(stack, 'Fn', baseProps);
    templateOf(stack).hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: 256,
      Timeout: 10,
      Description: 'Test function',
    });
  });

  it('logs JSON to its own log group with retention, at the chosen level', () => {
    const stack = testStack();
    new IntegrationFunction(stack, 'Fn', {
      ...baseProps,
      logLevel: 'WARN',
      logRetention: RetentionDays.ONE_WEEK,
    });
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: {
        LogFormat: 'JSON',
        ApplicationLogLevel: 'WARN',
        SystemLogLevel: 'WARN',
        LogGroup: { Ref: Match.stringLikeRegexp('^FnLogs') },
      },
    });
  });

  it('keeps its logs on stack deletion unless told otherwise', () => {
    const retained = testStack();
    new IntegrationFunction(retained, 'Fn', baseProps);
    templateOf(retained).hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });

    const destroyed = testStack();
    new IntegrationFunction(destroyed, 'Fn', { ...baseProps, removalPolicy: RemovalPolicy.DESTROY });
    templateOf(destroyed).hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
  });

  it('sets the Powertools environment and source maps', () => {
    const stack = testStack();
    new IntegrationFunction(stack, 'Fn', { ...baseProps, environment: { EXTRA: 'x' } });
    templateOf(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'junction-test',
          POWERTOOLS_METRICS_NAMESPACE: 'Junction',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--enable-source-maps',
          EXTRA: 'x',
        },
      },
    });
  });

  it('writes only to its own log group, with no AWS managed policy on its role', () => {
    const stack = testStack();
    new IntegrationFunction(stack, 'Fn', baseProps);
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      }),
      ManagedPolicyArns: Match.absent(),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnLogs'), 'Arn'] },
          }),
        ]),
      },
    });
  });

  it('uses a wildcard resource only for X-Ray, which has no resource-level permissions', () => {
    const stack = testStack();
    new IntegrationFunction(stack, 'Fn', baseProps);
    const statements = Object.values(templateOf(stack).findResources('AWS::IAM::Policy')).flatMap(
      (policy) =>
        policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const wildcard = statements.filter((statement) => statement.Resource === '*');
    expect(wildcard.flatMap((statement) => [statement.Action].flat()).sort()).toEqual([
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });

  it('sets reserved concurrency when asked', () => {
    const stack = testStack();
    new IntegrationFunction(stack, 'Fn', { ...baseProps, reservedConcurrentExecutions: 5 });
    templateOf(stack).hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 5 });
  });

  it('bundles the handler as minified ESM with a source map, the AWS SDK included', () => {
    const stack = testStack({ bundle: true });
    new IntegrationFunction(stack, 'Fn', baseProps);
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler' });
    const { directory } = (stack.node.root as App).synth();
    const assetDirs = readdirSync(directory).filter((name) => name.startsWith('asset.'));
    expect(assetDirs).toHaveLength(1);
    const files = readdirSync(path.join(directory, assetDirs[0] ?? ''));
    expect(files).toEqual(expect.arrayContaining(['index.mjs', 'index.mjs.map']));
    const bundle = readFileSync(path.join(directory, assetDirs[0] ?? '', 'index.mjs'), 'utf8');
    expect(bundle).toContain('createRequire');
    expect(bundle).not.toMatch(/from\s*["']@aws-sdk\//);
  });
});

describe('IntegrationFunction: error names survive minifying', () => {
  // Step Functions retries and catches match a Lambda error by its name (ErrorEquals), and the
  // error type Lambda reports is the name: a minifier renaming classes would break both.
  it('keeps class names in the bundle', () => {
    const stack = testStack({ bundle: true });
    new IntegrationFunction(stack, 'Fn', { ...baseProps, entry: handlerEntry('api/ingest-order') });
    const { directory } = (stack.node.root as App).synth();
    const [assetDir] = readdirSync(directory).filter((name) => name.startsWith('asset.'));
    const bundle = readFileSync(path.join(directory, assetDir ?? '', 'index.mjs'), 'utf8');
    expect(bundle).toMatch(/"RequestValidationError"/);
  });
});

describe('IntegrationFunction: bind helpers set the variable and the grant together', () => {
  it('binds a bus for PutEvents', () => {
    const stack = testStack();
    const fn = new IntegrationFunction(stack, 'Fn', baseProps);
    const bus = new EventBus(stack, 'Bus');
    fn.bindEventBus('EVENT_BUS_NAME', bus);
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ EVENT_BUS_NAME: { Ref: Match.stringLikeRegexp('^Bus') } }),
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'events:PutEvents',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Bus'), 'Arn'] },
          }),
        ]),
      },
    });
  });

  it('binds a bus for DescribeEventBus only', () => {
    const stack = testStack();
    const fn = new IntegrationFunction(stack, 'Fn', baseProps);
    fn.bindEventBus('EVENT_BUS_NAME', new EventBus(stack, 'Bus'), 'describe');
    const statements = JSON.stringify(templateOf(stack).findResources('AWS::IAM::Policy'));
    expect(statements).toContain('events:DescribeEventBus');
    expect(statements).not.toContain('events:PutEvents');
  });

  it('binds a table for read and write', () => {
    const stack = testStack();
    const fn = new IntegrationFunction(stack, 'Fn', baseProps);
    const table = new Table(stack, 'Table', { partitionKey: { name: 'id', type: AttributeType.STRING } });
    fn.bindTable('TABLE_NAME', table, 'readWrite');
    const policies = JSON.stringify(templateOf(stack).findResources('AWS::IAM::Policy'));
    expect(policies).toContain('dynamodb:PutItem');
    expect(policies).toContain('dynamodb:GetItem');
  });

  it('binds a table for DescribeTable only', () => {
    const stack = testStack();
    const fn = new IntegrationFunction(stack, 'Fn', baseProps);
    const table = new Table(stack, 'Table', { partitionKey: { name: 'id', type: AttributeType.STRING } });
    fn.bindTable('TABLE_NAME', table, 'describe');
    const policies = JSON.stringify(templateOf(stack).findResources('AWS::IAM::Policy'));
    expect(policies).toContain('dynamodb:DescribeTable');
    expect(policies).not.toContain('dynamodb:PutItem');
  });

  it('binds a queue by URL for send, or for inspection only', () => {
    const stack = testStack();
    const fn = new IntegrationFunction(stack, 'Fn', baseProps);
    fn.bindQueue('OUT_QUEUE_URL', new Queue(stack, 'Out'), 'send');
    fn.bindQueue('WATCHED_QUEUE_URL', new Queue(stack, 'Watched'), 'inspect');
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          OUT_QUEUE_URL: { Ref: Match.stringLikeRegexp('^Out') },
          WATCHED_QUEUE_URL: { Ref: Match.stringLikeRegexp('^Watched') },
        }),
      },
    });
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('sqs:SendMessage');
    expect(policies).toContain('sqs:GetQueueAttributes');
    expect(policies).not.toContain('sqs:ReceiveMessage');
  });
});

describe('IntegrationFunction: fails if', () => {
  it.each([64, 127, 10_241, 300.5])('memory is %p MB', (memorySize) => {
    expect(() => new IntegrationFunction(testStack(), 'Fn', { ...baseProps, memorySize })).toThrow(
      `memorySize must be a whole number of MB from 128 to 10240, got ${memorySize}`,
    );
  });

  it.each([
    ['500 ms', Duration.millis(500)],
    ['16 minutes', Duration.minutes(16)],
  ])('the timeout is %s', (_, timeout) => {
    expect(() => new IntegrationFunction(testStack(), 'Fn', { ...baseProps, timeout })).toThrow(
      /timeout must be from 1 second to 15 minutes/,
    );
  });

  it('reserved concurrency is below 1', () => {
    expect(
      () => new IntegrationFunction(testStack(), 'Fn', { ...baseProps, reservedConcurrentExecutions: 0 }),
    ).toThrow('reservedConcurrentExecutions must be at least 1, got 0');
  });

  it('a bound variable name is not an environment variable name', () => {
    const stack = testStack();
    const fn = new IntegrationFunction(stack, 'Fn', baseProps);
    expect(() => fn.bindQueue('queue-url', new Queue(stack, 'Q'), 'send')).toThrow(
      'Environment variable name "queue-url" must match ^[A-Z][A-Z0-9_]*$',
    );
  });

  it('the handler file does not exist', () => {
    expect(() => handlerEntry('api/no-such-handler')).toThrow(
      /No handler file at .*functions\/api\/no-such-handler\.ts/,
    );
  });
});

import type { CfnResource } from '../../../../local/template/assembly';
import { generatedName } from '../../../../local/template/naming';
import { TemplateResources } from '../../../../local/template/resources';
import {
  archivesOf,
  busesOf,
  logGroupsOf,
  queuesOf,
  rulesOf,
  tablesOf,
  topicsOf,
} from '../../../../local/template/topology-messaging';
import type { QueueSpec, RuleSpec } from '../../../../local/template/topology-types';
import {
  localEnv,
  logicalIdOf,
  resourcesOf,
  type SynthesizedJunction,
  stripHash,
  synthesizeJunction,
} from '../../../fixtures/template/junction-assembly';

const ACCOUNT = '000000000000';
const SQS_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}`;
const env = localEnv();

/** One synthesis for the whole file; nothing here runs function code, so no bundling. */
let junction: SynthesizedJunction;
let resources: TemplateResources;

beforeAll(() => {
  junction = synthesizeJunction({ bundle: false });
  resources = new TemplateResources(junction.artifact.template, junction.env);
});

afterAll(() => junction.dispose());

function queue(prefix: string): QueueSpec {
  const logicalId = logicalIdOf(junction.artifact.template, prefix, 'AWS::SQS::Queue');
  const found = queuesOf(resources).find((spec) => spec.logicalId === logicalId);
  if (!found) throw new Error(`No queue ${prefix}`);
  return found;
}

function rule(prefix: string): RuleSpec {
  const logicalId = logicalIdOf(junction.artifact.template, prefix, 'AWS::Events::Rule');
  const found = rulesOf(resources).find((spec) => spec.logicalId === logicalId);
  if (!found) throw new Error(`No rule ${prefix}`);
  return found;
}

function busName(): string {
  const logicalId = logicalIdOf(junction.artifact.template, 'EventsBus', 'AWS::Events::EventBus');
  return String(resources.property(logicalId, 'Name'));
}
function keyArnOf(prefix: string): string {
  const logicalId = logicalIdOf(junction.artifact.template, prefix, 'AWS::KMS::Key');
  return String(resources.physicalOf(logicalId)?.attributes.Arn);
}

describe('queuesOf on the synthesized Junction stack', () => {
  it('finds the analytics and saga start queues, their dead-letter queues and the three rule dead-letter queues', () => {
    expect(
      queuesOf(resources)
        .map((spec) => stripHash(spec.logicalId))
        .sort(),
    ).toEqual([
      'AnalyticsQueue',
      'AnalyticsQueueDeadLetters',
      'EventsAuditDeadLetters',
      'OrderCreatedToSagaDeadLetters',
      'OrderEventsToAnalyticsDeadLetters',
      'OrderSagaStartQueue',
      'OrderSagaStartQueueDeadLetters',
    ]);
  });

  it('gives every queue its generated name, local URL and ARN', () => {
    for (const spec of queuesOf(resources)) {
      expect(spec.name).toBe(generatedName(junction.env, spec.logicalId, 80));
      expect(spec.url).toBe(`http://127.0.0.1:4566/${ACCOUNT}/${spec.name}`);
      expect(spec.arn).toBe(`${SQS_ARN}:${spec.name}`);
    }
  });

  it('sends messages the analytics consumer or the saga starter keeps failing to its dead-letter queue after five receives', () => {
    expect(queue('AnalyticsQueue').redrive).toEqual({
      deadLetterArn: queue('AnalyticsQueueDeadLetters').arn,
      maxReceiveCount: 5,
    });
    expect(queue('OrderSagaStartQueue').redrive).toEqual({
      deadLetterArn: queue('OrderSagaStartQueueDeadLetters').arn,
      maxReceiveCount: 5,
    });
  });

  it('gives dead-letter queues no redrive of their own', () => {
    for (const prefix of [
      'AnalyticsQueueDeadLetters',
      'EventsAuditDeadLetters',
      'OrderCreatedToSagaDeadLetters',
      'OrderEventsToAnalyticsDeadLetters',
      'OrderSagaStartQueueDeadLetters',
    ]) {
      expect(queue(prefix).redrive).toBeUndefined();
    }
  });

  it('turns the queue properties into CreateQueue attributes, KMS key resolved to its ARN', () => {
    expect(queue('AnalyticsQueue').attributes).toEqual({
      VisibilityTimeout: '180',
      MessageRetentionPeriod: '345600',
      KmsMasterKeyId: keyArnOf('AnalyticsQueueKey'),
    });
    expect(queue('AnalyticsQueueDeadLetters').attributes).toEqual({
      MessageRetentionPeriod: '1209600',
      KmsMasterKeyId: keyArnOf('AnalyticsQueueKey'),
    });
    expect(keyArnOf('AnalyticsQueueKey')).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f-]{36}$/);
  });
});

describe('tablesOf, busesOf, archivesOf, logGroupsOf and topicsOf on the synthesized Junction stack', () => {
  it('describes the idempotency, circuit and invoice tables as CreateTable requests, only the idempotency table expiring items', () => {
    const table = (prefix: string, key: string, ttlAttribute?: string) => {
      const logicalId = logicalIdOf(junction.artifact.template, prefix, 'AWS::DynamoDB::Table');
      const name = generatedName(junction.env, logicalId, 255);
      return {
        logicalId,
        name,
        arn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${name}`,
        definition: {
          TableName: name,
          KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        },
        ttlAttribute,
      };
    };
    expect(tablesOf(resources)).toEqual([
      table('IdempotencyTable', 'id', 'expiration'),
      table('CircuitsTable', 'provider'),
      table('OrderSagaInvoices', 'invoice_number'),
    ]);
  });

  it('finds the one event bus, by its Name', () => {
    expect(busesOf(resources)).toEqual([
      {
        logicalId: logicalIdOf(junction.artifact.template, 'EventsBus', 'AWS::Events::EventBus'),
        name: busName(),
        arn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/${busName()}`,
      },
    ]);
    expect(busName()).toMatch(/^JunctiondevEventsBus[0-9A-F]{8}$/);
  });

  it('archives every event of the account from the bus for seven days', () => {
    const [archive, ...others] = archivesOf(resources);
    expect(others).toEqual([]);
    expect(archive).toEqual({
      logicalId: logicalIdOf(junction.artifact.template, 'EventsBusArchive', 'AWS::Events::Archive'),
      name: expect.stringMatching(/^Junction-dev-EventsBusArchive[0-9A-F]{6}-[0-9A-Z]{12}$/),
      arn: `arn:aws:events:us-east-1:${ACCOUNT}:archive/${String(archive?.name)}`,
      sourceArn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/${busName()}`,
      pattern: { account: [ACCOUNT] },
      retentionDays: 7,
    });
    expect(archive?.name).toHaveLength(48);
  });

  it('finds the log groups of the functions, the saga state machine, the audit and the API access logs, kept 14 days', () => {
    const groups = logGroupsOf(resources);
    expect(groups.map((group) => stripHash(group.logicalId)).sort()).toEqual([
      'AnalyticsConsumerLogs',
      'ApiAccessLogs',
      'ChargePaymentLogs',
      'CompleteOrderLogs',
      'CreateInvoiceLogs',
      'EventsAuditLogs',
      'FailOrderLogs',
      'HealthLogs',
      'IngestOrderLogs',
      'OrderSagaLogs',
      'PaymentsProcessPaymentLogs',
      'ReceiveWebhookLogs',
      'RefundPaymentLogs',
      'SendConfirmationLogs',
      'StartOrderSagaLogs',
      'ValidateOrderLogs',
    ]);
    for (const group of groups) {
      expect(group.retentionDays).toBe(14);
      expect(group.arn).toBe(`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${group.name}:*`);
    }
  });

  it('finds the alarm topic', () => {
    const [topic, ...others] = topicsOf(resources);
    expect(others).toEqual([]);
    expect(topic?.logicalId).toMatch(/^ObservabilityAlarmTopic[0-9A-F]{8}$/);
    expect(topic?.arn).toBe(`arn:aws:sns:us-east-1:${ACCOUNT}:${String(topic?.name)}`);
  });
});

describe('rulesOf on the synthesized Junction stack', () => {
  it('puts the three rules on the custom bus, with ARNs under the bus', () => {
    const rules = rulesOf(resources);
    expect(rules.map((spec) => stripHash(spec.logicalId)).sort()).toEqual([
      'EventsAudit',
      'OrderCreatedToSaga',
      'OrderEventsToAnalytics',
    ]);
    for (const spec of rules) {
      expect(spec.busName).toBe(busName());
      expect(spec.name).toBe(generatedName(junction.env, spec.logicalId, 64));
      expect(spec.arn).toBe(`arn:aws:events:us-east-1:${ACCOUNT}:rule/${busName()}/${spec.name}`);
      expect(spec.enabled).toBe(true);
      expect(spec.scheduleExpression).toBeUndefined();
    }
  });

  it.each([
    ['the analytics queue', 'OrderEventsToAnalytics', 'AnalyticsQueue', 'feeds the analytics queue'],
    ['the saga start queue', 'OrderCreatedToSaga', 'OrderSagaStartQueue', 'starts the order saga'],
  ])(
    'routes every new order to %s, with a dead-letter queue and retries',
    (_name, ruleId, queueId, purpose) => {
      expect(rule(ruleId)).toMatchObject({
        description: `Every new order (order.created) ${purpose}`,
        pattern: { source: ['junction.orders'], 'detail-type': ['order.created'] },
        targets: [
          {
            id: 'Target0',
            arn: queue(queueId).arn,
            deadLetterArn: queue(`${ruleId}DeadLetters`).arn,
            retryPolicy: { maximumEventAgeSeconds: 86_400, maximumRetryAttempts: 185 },
            input: undefined,
            inputPath: undefined,
            inputTransformer: undefined,
            messageGroupId: undefined,
          },
        ],
      });
    },
  );

  it('writes every event of the account to the audit log group, with its own dead-letter queue', () => {
    const logGroup = generatedName(
      junction.env,
      logicalIdOf(junction.artifact.template, 'EventsAuditLogs', 'AWS::Logs::LogGroup'),
      512,
    );
    expect(rule('EventsAudit')).toMatchObject({
      pattern: { account: [ACCOUNT] },
      targets: [
        {
          id: 'Target0',
          arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${logGroup}`,
          deadLetterArn: queue('EventsAuditDeadLetters').arn,
          retryPolicy: { maximumEventAgeSeconds: 86_400, maximumRetryAttempts: 185 },
        },
      ],
    });
  });
});

describe('queuesOf and tablesOf on hand-written templates', () => {
  const only = <T>(list: readonly T[]): T => {
    expect(list).toHaveLength(1);
    return list[0] as T;
  };
  const queueOf = (properties: Record<string, unknown>) =>
    only(queuesOf(resourcesOf({ Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: properties } } })));
  const tableOf = (properties: Record<string, unknown>) =>
    only(
      tablesOf(resourcesOf({ Resources: { T: { Type: 'AWS::DynamoDB::Table', Properties: properties } } })),
    );

  it('turns FIFO settings into string attributes and leaves other properties out', () => {
    const spec = queueOf({
      FifoQueue: true,
      ContentBasedDeduplication: true,
      DelaySeconds: 5,
      MaximumMessageSize: 2048,
      ReceiveMessageWaitTimeSeconds: 20,
      Tags: [{ Key: 'team', Value: 'orders' }],
      SqsManagedSseEnabled: true,
    });
    expect(spec.attributes).toEqual({
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
      DelaySeconds: '5',
      MaximumMessageSize: '2048',
      ReceiveMessageWaitTimeSeconds: '20',
    });
    expect(spec.name.endsWith('.fifo')).toBe(true);
  });

  it('gives a queue without properties no attributes and no redrive', () => {
    expect(queueOf({})).toMatchObject({ attributes: {}, redrive: undefined });
  });

  it('reads a redrive policy, with ten receives when the count is missing', () => {
    const dlq = `${SQS_ARN}:dlq`;
    expect(queueOf({ RedrivePolicy: { deadLetterTargetArn: dlq, maxReceiveCount: '3' } }).redrive).toEqual({
      deadLetterArn: dlq,
      maxReceiveCount: 3,
    });
    expect(queueOf({ RedrivePolicy: { deadLetterTargetArn: dlq } }).redrive).toEqual({
      deadLetterArn: dlq,
      maxReceiveCount: 10,
    });
    expect(queueOf({ RedrivePolicy: { maxReceiveCount: 3 } }).redrive).toBeUndefined();
  });

  it('describes a provisioned table with its indexes, and no TTL unless enabled', () => {
    const keys = { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [] };
    const gsi = [{ IndexName: 'by-customer', KeySchema: [], Projection: { ProjectionType: 'ALL' } }];
    const lsi = [{ IndexName: 'by-date', KeySchema: [], Projection: { ProjectionType: 'KEYS_ONLY' } }];
    const spec = tableOf({
      TableName: 'orders',
      ...keys,
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      GlobalSecondaryIndexes: gsi,
      LocalSecondaryIndexes: lsi,
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      TimeToLiveSpecification: { AttributeName: 'expires', Enabled: false },
    });
    expect(spec.definition).toEqual({
      TableName: 'orders',
      ...keys,
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      GlobalSecondaryIndexes: gsi,
      LocalSecondaryIndexes: lsi,
    });
    expect(spec.ttlAttribute).toBeUndefined();
    expect(tableOf({ TableName: 'plain', ...keys }).ttlAttribute).toBeUndefined();
  });
});

describe('rulesOf on hand-written templates', () => {
  const target = (extra: Record<string, unknown>) => ({ Id: 'T', Arn: `${SQS_ARN}:work`, ...extra });
  const ruleOf = (properties: Record<string, unknown>, extra: Record<string, CfnResource> = {}) => {
    const [spec] = rulesOf(
      resourcesOf({ Resources: { ...extra, Rule: { Type: 'AWS::Events::Rule', Properties: properties } } }),
    );
    if (!spec) throw new Error('no rule');
    return spec;
  };

  it('puts a rule without a bus on the default bus', () => {
    const spec = ruleOf({ Name: 'nightly', ScheduleExpression: 'rate(1 day)' });
    expect(spec).toEqual({
      logicalId: 'Rule',
      name: 'nightly',
      arn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/nightly`,
      busName: 'default',
      pattern: undefined,
      scheduleExpression: 'rate(1 day)',
      enabled: true,
      description: undefined,
      targets: [],
    });
  });

  it('finds the bus of a rule through its Ref', () => {
    const bus: CfnResource = { Type: 'AWS::Events::EventBus', Properties: { Name: 'orders' } };
    const spec = ruleOf({ Name: 'r', EventBusName: { Ref: 'Bus' } }, { Bus: bus });
    expect(spec).toMatchObject({
      name: 'r',
      busName: 'orders',
      arn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/orders/r`,
    });
  });

  it.each([
    ['DISABLED', false],
    ['ENABLED', true],
    ['ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', true],
  ])('reads the state %s as enabled: %p', (state, enabled) => {
    expect(ruleOf({ Name: 'r', State: state }).enabled).toBe(enabled);
  });

  it('reads the input, input path, input transformer and message group of targets', () => {
    const transformer = { InputPathsMap: { id: '$.detail.id' }, InputTemplate: '{"order":<id>}' };
    const spec = ruleOf({
      Name: 'r',
      Targets: [
        target({ Input: '{"fixed":true}' }),
        target({ Id: 'T2', InputPath: '$.detail' }),
        target({ Id: 'T3', InputTransformer: transformer, SqsParameters: { MessageGroupId: 'orders' } }),
      ],
    });
    expect(
      spec.targets.map(({ id, input, inputPath, inputTransformer, messageGroupId }) => ({
        id,
        input,
        inputPath,
        inputTransformer,
        messageGroupId,
      })),
    ).toEqual([
      {
        id: 'T',
        input: '{"fixed":true}',
        inputPath: undefined,
        inputTransformer: undefined,
        messageGroupId: undefined,
      },
      {
        id: 'T2',
        input: undefined,
        inputPath: '$.detail',
        inputTransformer: undefined,
        messageGroupId: undefined,
      },
      {
        id: 'T3',
        input: undefined,
        inputPath: undefined,
        inputTransformer: transformer,
        messageGroupId: 'orders',
      },
    ]);
  });

  it.each([
    ['no retry policy', {}, { maximumEventAgeSeconds: 86_400, maximumRetryAttempts: 185 }],
    [
      'attempts only',
      { MaximumRetryAttempts: 2 },
      { maximumEventAgeSeconds: 86_400, maximumRetryAttempts: 2 },
    ],
    ['age only', { MaximumEventAgeInSeconds: 60 }, { maximumEventAgeSeconds: 60, maximumRetryAttempts: 185 }],
    [
      'no retries at all',
      { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 0 },
      { maximumEventAgeSeconds: 60, maximumRetryAttempts: 0 },
    ],
  ])('fills in EventBridge retry defaults for a target with %s', (_name, retry, expected) => {
    const spec = ruleOf({
      Name: 'r',
      Targets: [target(Object.keys(retry).length ? { RetryPolicy: retry } : {})],
    });
    expect(spec.targets[0]?.retryPolicy).toEqual(expected);
    expect(spec.targets[0]?.deadLetterArn).toBeUndefined();
  });
});

describe('archivesOf, logGroupsOf and topicsOf on hand-written templates', () => {
  const BUS_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/orders`;

  it('reads an archive without a pattern or retention as archiving everything forever', () => {
    const [archive] = archivesOf(
      resourcesOf({
        Resources: {
          A: { Type: 'AWS::Events::Archive', Properties: { ArchiveName: 'all', SourceArn: BUS_ARN } },
        },
      }),
    );
    expect(archive).toEqual({
      logicalId: 'A',
      name: 'all',
      arn: `arn:aws:events:us-east-1:${ACCOUNT}:archive/all`,
      sourceArn: BUS_ARN,
      pattern: undefined,
      retentionDays: undefined,
    });
  });

  it('reads a named log group without retention', () => {
    const [group] = logGroupsOf(
      resourcesOf({
        Resources: { G: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/junction/audit' } } },
      }),
    );
    expect(group).toEqual({
      logicalId: 'G',
      name: '/junction/audit',
      arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/junction/audit:*`,
      retentionDays: undefined,
    });
  });

  it('reads a topic by its name and ARN', () => {
    const [topic] = topicsOf(
      resourcesOf({ Resources: { T: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alarms' } } } }),
    );
    expect(topic).toEqual({ logicalId: 'T', name: 'alarms', arn: `arn:aws:sns:us-east-1:${ACCOUNT}:alarms` });
  });

  it('leaves out resources whose condition does not hold', () => {
    const never = { Never: { 'Fn::Equals': ['a', 'b'] } };
    const hidden = resourcesOf({
      Conditions: never,
      Resources: {
        Q: { Type: 'AWS::SQS::Queue', Condition: 'Never' },
        B: { Type: 'AWS::Events::EventBus', Condition: 'Never', Properties: { Name: 'b' } },
        T: { Type: 'AWS::SNS::Topic', Condition: 'Never' },
      },
    });
    expect([queuesOf(hidden), busesOf(hidden), topicsOf(hidden)]).toEqual([[], [], []]);
  });

  it('names a generated topic like CloudFormation', () => {
    const [topic] = topicsOf(resourcesOf({ Resources: { Alarms: { Type: 'AWS::SNS::Topic' } } }));
    expect(topic?.name).toBe(generatedName(env, 'Alarms', 256));
  });
});

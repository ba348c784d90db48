import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { createJunctionApp } from '../../lib/junction-app';
import { testApp } from '../support/cdk-app';

function synthStage(stage?: string) {
  const app = testApp({ context: stage ? { stage } : {} });
  const stack = createJunctionApp(app);
  return { stack, template: Template.fromStack(stack) };
}

const { stack, template } = synthStage();

function logicalIdOf(construct: IConstruct): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

describe('JunctionStack', () => {
  it('is named after its stage and runs in no particular account or region', () => {
    expect(stack.stackName).toBe('Junction-dev');
    expect(stack.environment).toBe('aws://unknown-account/unknown-region');
  });

  it('runs every function on Node 22, ARM, with X-Ray and JSON logs', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    // 4 API and consumer functions, the payment API and the 8 of the order saga.
    expect(functions).toHaveLength(13);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: expect.objectContaining({ LogFormat: 'JSON' }),
      });
    }
  });

  it('gives every log group a retention', () => {
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays).toEqual(expect.any(Number));
    }
  });

  it('serves POST /v1/orders with the ingest function, behind a token with orders/write and an API key', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationScopes: ['orders/write'],
      ApiKeyRequired: true,
      Integration: Match.objectLike({
        Uri: Match.objectLike({
          'Fn::Join': Match.arrayWith([
            Match.arrayWith([{ 'Fn::GetAtt': [logicalIdOf(stack.functions.ingestOrder), 'Arn'] }]),
          ]),
        }),
      }),
    });
  });

  it('serves GET /health with the health function, behind an API key', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      AuthorizationType: 'NONE',
      ApiKeyRequired: true,
    });
  });

  it('lets the ingest function put events and use the idempotency table, and nothing else', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          EVENT_BUS_NAME: { Ref: logicalIdOf(stack.events.bus) },
          IDEMPOTENCY_TABLE_NAME: { Ref: Match.stringLikeRegexp('^IdempotencyTable') },
          POWERTOOLS_SERVICE_NAME: 'order-intake',
        }),
      },
    });
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: {
        Roles: [{ Ref: logicalIdOf(stack.functions.ingestOrder.role as IConstruct) }],
      },
    });
    const actions = JSON.stringify(Object.values(policies).map((policy) => policy.Properties.PolicyDocument));
    expect(actions).toContain('events:PutEvents');
    expect(actions).toContain('dynamodb:PutItem');
    expect(actions).not.toContain('sqs:');
  });

  it('routes every new order to the analytics queue, with a DLQ and a retry policy', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: logicalIdOf(stack.events.bus) },
      EventPattern: { source: ['junction.orders'], 'detail-type': ['order.created'] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf(stack.analyticsQueue.queue), 'Arn'] },
          DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
          RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
        }),
      ],
    });
  });

  it('consumes the analytics queue in batches with partial failure reporting', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(stack.analyticsQueue.queue), 'Arn'] },
      FunctionName: { Ref: logicalIdOf(stack.functions.analyticsConsumer) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('encrypts every queue with KMS and gives every queue that is not a DLQ a redrive policy', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const deadLetterArns = Object.values(queues)
      .map((queue) => queue.Properties.RedrivePolicy?.deadLetterTargetArn?.['Fn::GetAtt']?.[0])
      .filter(Boolean);
    const ruleDlqs = Object.values(template.findResources('AWS::Events::Rule')).flatMap((rule) =>
      (rule.Properties.Targets ?? []).map(
        (target: { DeadLetterConfig?: { Arn: { 'Fn::GetAtt': string[] } } }) =>
          target.DeadLetterConfig?.Arn['Fn::GetAtt'][0],
      ),
    );
    for (const [id, queue] of Object.entries(queues)) {
      expect(queue.Properties.KmsMasterKeyId).toBeDefined();
      const isDlq = deadLetterArns.includes(id) || ruleDlqs.includes(id);
      if (!isDlq) expect(queue.Properties.RedrivePolicy).toBeDefined();
    }
  });

  it('has a dashboard covering the API, the functions, the routes and the queue', () => {
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);
    for (const expected of [
      'API latency',
      'Function invocations',
      'Routes: failed deliveries',
      'Analytics queue',
      'Order saga start queue',
      'Dead-letter queue depth',
      'Events put, by type',
      'Saga outcomes',
      'Connector latency',
      'Integration_Requests_Total',
    ]) {
      expect(body).toContain(expected);
    }
  });

  it('outputs what a client needs, never a secret', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        'ApiUrl',
        'TokenUrl',
        'EventBusName',
        'DashboardName',
        'demopartnerClientId',
        'demopartnerApiKeyId',
        'PaymentWebhookUrl',
        'EmailWebhookUrl',
      ]),
    );
    expect(JSON.stringify(outputs)).not.toMatch(/ClientSecret|\.value|Fn::GetAtt.*ApiKey.*Value/);
  });
});

describe('JunctionStack alarms', () => {
  it('links every alarm to its section of the runbook', () => {
    const runbook = readFileSync(join(__dirname, '../../docs/runbook.md'), 'utf8');
    const alarms = [
      ...Object.values(template.findResources('AWS::CloudWatch::Alarm')),
      ...Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm')),
    ];
    for (const alarm of alarms) {
      const section = /Runbook: docs\/runbook\.md#([a-z-]+)/.exec(alarm.Properties.AlarmDescription)?.[1];
      expect(section).toBeDefined();
      expect(runbook).toContain(`## ${section}\n`);
    }
  });

  it('pages on API errors and latency, saga failures, failed puts and throttles, and says when the integration is degraded', () => {
    const { operationsAlarms } = stack;
    expect(operationsAlarms.throttles).toHaveLength(13);
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
    const [composite] = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm'));
    expect(composite?.Properties.AlarmActions).toEqual([
      { Ref: logicalIdOf(stack.observability.alarmTopic) },
    ]);
    // Connector errors and open circuits count as degraded; a single throttle does not.
    const rule = JSON.stringify(composite?.Properties.AlarmRule);
    expect(rule).toContain('ConnectorAlarmsPaymentErrors');
    expect(rule).toContain('ConnectorAlarmsEmailCircuitOpen');
  });

  it('saves the Logs Insights queries over the log group of every function', () => {
    const queries = Object.values(template.findResources('AWS::Logs::QueryDefinition'));
    expect(queries).toHaveLength(3);
    for (const query of queries) expect(query.Properties.LogGroupNames).toHaveLength(13);
  });

  it('makes every alarm notify the one alarm topic', () => {
    const topicId = logicalIdOf(stack.observability.alarmTopic);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThanOrEqual(3);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
  });

  it('alarms on each connector the stack uses, from its contract, for every service calling it', () => {
    expect(Object.keys(stack.connectorAlarms.byProvider).sort()).toEqual(['email', 'payment']);
    // The saga and the payment API both charge cards.
    expect(stack.connectorAlarms.byProvider.payment?.latency).toHaveLength(2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('^stripe-payment: calls failed'),
    });
  });
});

describe('JunctionStack order saga', () => {
  it('starts the order saga from every new order, through its own durable queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['junction.orders'], 'detail-type': ['order.created'] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf(stack.orderSaga.queue.queue), 'Arn'] },
          DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
        }),
      ],
    });
  });
});

describe('JunctionStack webhooks', () => {
  it('serves POST /v1/webhooks/{provider} with the webhook function, with no token and no API key', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'NONE',
      ApiKeyRequired: false,
      Integration: Match.objectLike({
        Uri: Match.objectLike({
          'Fn::Join': Match.arrayWith([
            Match.arrayWith([{ 'Fn::GetAtt': [logicalIdOf(stack.functions.receiveWebhook), 'Arn'] }]),
          ]),
        }),
      }),
    });
  });

  it('lets the webhook function put events, use the idempotency table and read the signing secrets, and nothing else', () => {
    const secretIds = Object.values(stack.webhooks.secrets).map((secret) => logicalIdOf(secret));
    expect(Object.keys(stack.webhooks.secrets)).toEqual(['payment', 'email']);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          EVENT_BUS_NAME: { Ref: logicalIdOf(stack.events.bus) },
          IDEMPOTENCY_TABLE_NAME: { Ref: Match.stringLikeRegexp('^IdempotencyTable') },
          PAYMENT_WEBHOOK_SECRET_ARN: { Ref: secretIds[0] },
          EMAIL_WEBHOOK_SECRET_ARN: { Ref: secretIds[1] },
          POWERTOOLS_SERVICE_NAME: 'webhooks',
        }),
      },
    });
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: logicalIdOf(stack.functions.receiveWebhook.role as IConstruct) }] },
    });
    const actions = JSON.stringify(Object.values(policies).map((policy) => policy.Properties.PolicyDocument));
    expect(actions).toContain('events:PutEvents');
    expect(actions).toContain('dynamodb:PutItem');
    expect(actions).toContain('secretsmanager:GetSecretValue');
    expect(actions).not.toContain('sqs:');
    expect(actions).not.toContain('secretsmanager:PutSecretValue');
  });
});

describe('stages', () => {
  it('keeps data and stricter settings in prod', () => {
    const prod = synthStage('prod');
    expect(prod.stack.stackName).toBe('Junction-prod');
    prod.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
    prod.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    prod.template.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 90 });
  });

  it('disposes of dev data with the stack', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
  });

  it('fails synth on an unknown stage, listing the valid ones', () => {
    expect(() => synthStage('qa')).toThrow('Unknown stage "qa". Valid stages: dev, prod.');
  });
});

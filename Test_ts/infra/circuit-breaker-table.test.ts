import { Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { handlerEntry, IntegrationFunction } from '../../lib/compute/integration-function';
import { CircuitBreakerTable } from '../../lib/storage/circuit-breaker-table';
import { templateOf, testStack } from '../support/stacks';

function connector(stack: Stack, id = 'Connector'): IntegrationFunction {
  return new IntegrationFunction(stack, id, {
    entry: handlerEntry('api/health'),
    description: 'Test connector',
    serviceName: 'connector-test',
    memorySize: 256,
    timeout: Duration.seconds(10),
  });
}

/** The DynamoDB actions the stack's policies grant, per statement. */
function dynamoActions(stack: Stack): string[][] {
  return Object.values(templateOf(stack).findResources('AWS::IAM::Policy'))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[])
    .map((statement) => [statement.Action].flat().filter((action) => action.startsWith('dynamodb:')))
    .filter((actions) => actions.length > 0);
}

describe('CircuitBreakerTable', () => {
  it('is keyed by provider, on demand', () => {
    const stack = testStack();
    new CircuitBreakerTable(stack, 'Circuits');
    templateOf(stack).hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'provider', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'provider', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('has point-in-time recovery and server-side encryption', () => {
    const stack = testStack();
    new CircuitBreakerTable(stack, 'Circuits');
    templateOf(stack).hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('is retained and protected from deletion unless the stage says otherwise', () => {
    const kept = testStack();
    new CircuitBreakerTable(kept, 'Circuits');
    templateOf(kept).hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });

    const disposable = testStack();
    new CircuitBreakerTable(disposable, 'Circuits', { removalPolicy: RemovalPolicy.DESTROY });
    templateOf(disposable).hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
  });

  it('grants a breaker GetItem and UpdateItem on the table alone, and nothing else', () => {
    const stack = testStack();
    const circuits = new CircuitBreakerTable(stack, 'Circuits');
    circuits.grantUse(connector(stack));
    templateOf(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CircuitsTable'), 'Arn'] },
          },
        ]),
      },
    });
    expect(dynamoActions(stack)).toEqual([['dynamodb:GetItem', 'dynamodb:UpdateItem']]);
  });

  it('grants ops Scan and UpdateItem, for circuitStatus and resetCircuit', () => {
    const stack = testStack();
    new CircuitBreakerTable(stack, 'Circuits').grantOperate(connector(stack));
    expect(dynamoActions(stack)).toEqual([['dynamodb:Scan', 'dynamodb:UpdateItem']]);
  });

  it('binds a function: CIRCUIT_TABLE_NAME and the grant for its access', () => {
    const stack = testStack();
    const circuits = new CircuitBreakerTable(stack, 'Circuits');
    const breaker = connector(stack, 'Breaker');
    expect(circuits.bind(breaker)).toBe(breaker);
    circuits.bind(connector(stack, 'Ops'), 'operate');
    const template = templateOf(stack);
    for (const id of ['Breaker', 'Ops']) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: 'Test connector',
        Role: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${id}ServiceRole`), 'Arn'] },
        Environment: {
          Variables: Match.objectLike({
            CIRCUIT_TABLE_NAME: { Ref: Match.stringLikeRegexp('^CircuitsTable') },
          }),
        },
      });
    }
    expect(dynamoActions(stack).sort()).toEqual([
      ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      ['dynamodb:Scan', 'dynamodb:UpdateItem'],
    ]);
  });
});

import { RemovalPolicy } from 'aws-cdk-lib';
import { IdempotencyStore } from '../../lib/storage/idempotency-store';
import { templateOf, testStack } from '../support/stacks';

describe('IdempotencyStore', () => {
  it('is the table Powertools expects: key id, TTL on expiration, on demand', () => {
    const stack = testStack();
    new IdempotencyStore(stack, 'Idempotency');
    templateOf(stack).hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('has point-in-time recovery and server-side encryption', () => {
    const stack = testStack();
    new IdempotencyStore(stack, 'Idempotency');
    templateOf(stack).hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('is retained and protected from deletion unless the stage says otherwise', () => {
    const kept = testStack();
    new IdempotencyStore(kept, 'Idempotency');
    const template = templateOf(kept);
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });

    const disposable = testStack();
    new IdempotencyStore(disposable, 'Idempotency', { removalPolicy: RemovalPolicy.DESTROY });
    templateOf(disposable).hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    templateOf(disposable).hasResourceProperties('AWS::DynamoDB::Table', {
      DeletionProtectionEnabled: false,
    });
  });
});

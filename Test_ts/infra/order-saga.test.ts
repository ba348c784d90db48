import { RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { IntegrationFunction } from '../../lib/compute/integration-function';
import { CONNECTOR_CREDENTIALS_TAG, OrderSaga } from '../../lib/orchestration/order-saga';
import { CircuitBreakerTable } from '../../lib/storage/circuit-breaker-table';
import { templateOf, testStack } from '../support/stacks';
import { definitionOf, pathFrom, stateOf } from '../support/state-machine-definition';

function build() {
  const stack = testStack();
  const saga = new OrderSaga(stack, 'OrderSaga', {
    bus: new EventBus(stack, 'Bus'),
    circuits: new CircuitBreakerTable(stack, 'Circuits'),
    makeFunction: (id, props) => new IntegrationFunction(stack, id, props),
    confirmationSender: 'orders@junction.example',
    logRetention: RetentionDays.ONE_WEEK,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const template = templateOf(stack);
  return { saga, template, definition: definitionOf(template) };
}

const { template, definition } = build();

describe('OrderSaga', () => {
  it('runs validate, charge, invoice and confirm, then completes the order', () => {
    expect(pathFrom(definition, 'validate')).toEqual(
      expect.arrayContaining(['validate', 'charge', 'invoice', 'confirm']),
    );
  });

  it('never retries a declined card, and refunds a charge when a later step fails', () => {
    const charge = stateOf(definition, 'charge');
    expect(charge.Retry?.[0]).toMatchObject({ ErrorEquals: ['PaymentDeclinedError'], MaxAttempts: 0 });
    const invoice = stateOf(definition, 'invoice');
    const undo = invoice.Catch?.[0]?.Next ?? '';
    expect(pathFrom(definition, undo)).toContain('Compensate charge');
  });

  it('waits out an open circuit: provider errors are retried with full jitter for minutes', () => {
    const retrier = stateOf(definition, 'charge').Retry?.find((retry) =>
      retry.ErrorEquals.includes('CircuitOpenError'),
    );
    expect(retrier).toMatchObject({
      ErrorEquals: expect.arrayContaining(['ProviderUnavailableError', 'ProviderTimeoutError']),
      MaxAttempts: 8,
      BackoffRate: 2,
      MaxDelaySeconds: 60,
      JitterStrategy: 'FULL',
    });
  });

  it('keeps the connector credentials in tagged secrets, read only by the functions that call the provider', () => {
    for (const provider of ['payment', 'email']) {
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        Tags: Match.arrayWith([{ Key: CONNECTOR_CREDENTIALS_TAG, Value: provider }]),
      });
    }
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Order saga: charges the order once',
      Environment: {
        Variables: Match.objectLike({
          PAYMENT_SECRET_ID: Match.anyValue(),
          PAYMENT_BASE_URL: 'https://api.stripe.com',
          CIRCUIT_TABLE_NAME: Match.anyValue(),
        }),
      },
    });
  });

  it('starts the saga from a durable queue, once per event', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Starts the order saga once per order.created event',
      Environment: { Variables: Match.objectLike({ ORDER_SAGA_ARN: Match.anyValue() }) },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('keeps invoices in an encrypted table with point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'invoice_number', KeyType: 'HASH' }],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });
});

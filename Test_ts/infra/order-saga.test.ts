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

const { saga, template, definition } = build();

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

  it('gives each function calling a provider the time its contract allows a call, and names its uses', () => {
    // payment.yaml: 4 attempts of 10 s and 3 waits of at most 8 s, then a margin of 5 s.
    for (const description of [
      'Order saga: charges the order once',
      'Order saga: refunds the charge of a failed order',
    ]) {
      template.hasResourceProperties('AWS::Lambda::Function', { Description: description, Timeout: 69 });
    }
    // email.yaml: 4 attempts of 10 s and 3 waits of at most 8 s.
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Order saga: e-mails the order confirmation',
      Timeout: 69,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Order saga: creates the invoice once',
      Timeout: 15,
    });
    expect(saga.connectorUses.map((use) => [use.contract.id, use.serviceName])).toEqual([
      ['payment', 'order-saga'],
      ['email', 'order-saga'],
    ]);
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

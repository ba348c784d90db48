import { Duration, type RemovalPolicy, Tags } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { EMAIL_CONTRACT, PAYMENT_CONTRACT } from '../../utils/contracts/bundled';
import { worstCaseCallMs } from '../../utils/contracts/call-budget';
import type { IntegrationContract } from '../../utils/contracts/contract';
import {
  handlerEntry,
  type IntegrationFunction,
  type IntegrationFunctionProps,
} from '../compute/integration-function';
import { DurableQueue } from '../messaging/durable-queue';
import type { ConnectorUse } from '../observability/connector-alarms';
import type { CircuitBreakerTable } from '../storage/circuit-breaker-table';
import { LAMBDA_TRANSIENT_ERRORS, Saga } from './saga';

/** Makes a function with the stack's stage settings (log retention, level, removal policy). */
export type FunctionFactory = (
  id: string,
  props: Omit<IntegrationFunctionProps, 'logRetention' | 'logLevel' | 'removalPolicy'>,
) => IntegrationFunction;

export interface OrderSagaProps {
  readonly bus: IEventBus;
  readonly circuits: CircuitBreakerTable;
  readonly makeFunction: FunctionFactory;
  /** The From address of confirmation e-mails. */
  readonly confirmationSender: string;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

const SERVICE_NAME = 'order-saga';

// Time to set up and report around the slowest call the contract allows.
const CONNECTOR_MARGIN_SECONDS = 5;

const connectorTimeout = (contract: IntegrationContract) =>
  Duration.seconds(Math.ceil(worstCaseCallMs(contract) / 1000) + CONNECTOR_MARGIN_SECONDS);

/** The tag the local cloud reads to seed a connector's credentials with its sandbox's. */
export const CONNECTOR_CREDENTIALS_TAG = 'junction:connector-credentials';

// Errors a provider call may recover from: retried with backoff and jitter, for minutes, so an
// open circuit (the provider is down) makes the order wait rather than fail.
const PROVIDER_RETRY = {
  errors: [
    ...LAMBDA_TRANSIENT_ERRORS,
    'ProviderUnavailableError',
    'ProviderTimeoutError',
    'CircuitOpenError',
  ],
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 8,
  maxDelay: Duration.minutes(1),
};

/**
 * The order saga: started once per order.created event (the execution is named after it), it
 * validates the order, charges the payment, creates the invoice through the order.to.invoice
 * mapping and e-mails the confirmation, then puts order.completed. A failure after the charge
 * refunds it, then puts order.failed; a declined card puts order.failed with nothing to refund;
 * an e-mail that cannot be sent puts notification.failed and the order still completes.
 */
export class OrderSaga extends Construct {
  readonly saga: Saga;
  readonly queue: DurableQueue;
  readonly invoices: Table;
  readonly credentials: { readonly payment: Secret; readonly email: Secret };
  readonly functions: readonly IntegrationFunction[];
  /** The providers the saga calls, for their alarms. */
  readonly connectorUses: readonly ConnectorUse[] = [
    { contract: PAYMENT_CONTRACT, serviceName: SERVICE_NAME },
    { contract: EMAIL_CONTRACT, serviceName: SERVICE_NAME },
  ];
  /** Consumes the start queue and starts one execution per order.created event. */
  readonly starter: IntegrationFunction;

  constructor(scope: Construct, id: string, props: OrderSagaProps) {
    super(scope, id);
    this.credentials = {
      payment: this.credentialsSecret('PaymentCredentials', PAYMENT_CONTRACT, props.removalPolicy),
      email: this.credentialsSecret('EmailCredentials', EMAIL_CONTRACT, props.removalPolicy),
    };
    this.invoices = new Table(this, 'Invoices', {
      partitionKey: { name: 'invoice_number', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.removalPolicy,
    });
    const make = (id: string, entry: string, description: string, timeout = Duration.seconds(15)) =>
      props.makeFunction(id, {
        entry: handlerEntry(`saga/${entry}`),
        description,
        serviceName: SERVICE_NAME,
        memorySize: 256,
        timeout,
      });
    const validate = make('ValidateOrder', 'validate-order', 'Order saga: checks the order');
    // A function calling a provider lives as long as its contract lets one call take.
    const connector = (id: string, entry: string, description: string, contract: IntegrationContract) => {
      const fn = make(id, entry, description, connectorTimeout(contract));
      return this.connector(
        fn,
        contract,
        this.credentials[contract.id as 'payment' | 'email'],
        props.circuits,
      );
    };
    const charge = connector(
      'ChargePayment',
      'charge-payment',
      'Order saga: charges the order once',
      PAYMENT_CONTRACT,
    );
    const refund = connector(
      'RefundPayment',
      'refund-payment',
      'Order saga: refunds the charge of a failed order',
      PAYMENT_CONTRACT,
    );
    const invoice = make('CreateInvoice', 'create-invoice', 'Order saga: creates the invoice once');
    invoice.addEnvironment('INVOICE_TABLE_NAME', this.invoices.tableName);
    this.invoices.grant(invoice, 'dynamodb:PutItem');
    const confirm = connector(
      'SendConfirmation',
      'send-confirmation',
      'Order saga: e-mails the order confirmation',
      EMAIL_CONTRACT,
    );
    confirm.addEnvironment('CONFIRMATION_SENDER', props.confirmationSender);
    const complete = make('CompleteOrder', 'complete-order', 'Order saga: puts order.completed').bindEventBus(
      'EVENT_BUS_NAME',
      props.bus,
    );
    const fail = make('FailOrder', 'fail-order', 'Order saga: puts order.failed').bindEventBus(
      'EVENT_BUS_NAME',
      props.bus,
    );

    this.saga = new Saga(this, 'Saga', {
      comment: 'Order saga: validate, charge, invoice, confirm; refund on failure after the charge',
      steps: [
        { id: 'validate', task: validate, businessErrors: ['OrderRejectedError'] },
        {
          id: 'charge',
          task: charge,
          compensation: refund,
          businessErrors: ['PaymentDeclinedError'],
          retry: PROVIDER_RETRY,
        },
        { id: 'invoice', task: invoice },
        { id: 'confirm', task: confirm, onFailure: 'continue', retry: PROVIDER_RETRY },
      ],
      compensationRetry: PROVIDER_RETRY,
      successHandler: complete,
      failureHandler: fail,
      timeout: Duration.hours(1),
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });

    const start = make(
      'StartOrderSaga',
      'start-order-saga',
      'Starts the order saga once per order.created event',
      Duration.seconds(30),
    );
    start.addEnvironment('ORDER_SAGA_ARN', this.saga.stateMachine.stateMachineArn);
    this.saga.grantStart(start);
    this.queue = new DurableQueue(this, 'StartQueue', {
      visibilityTimeout: Duration.minutes(3),
      removalPolicy: props.removalPolicy,
    });
    this.queue.addConsumer(start, { batchSize: 10 });
    this.starter = start;
    this.functions = [validate, charge, refund, invoice, confirm, complete, fail, start];
  }

  /** A connector's credentials: operators put the provider's values in; the local cloud its sandbox's. */
  private credentialsSecret(id: string, contract: IntegrationContract, removalPolicy: RemovalPolicy): Secret {
    const secret = new Secret(this, id, {
      description: `Credentials of the ${contract.name} connector (${contract.id}); set by operators`,
      removalPolicy,
    });
    Tags.of(secret).add(CONNECTOR_CREDENTIALS_TAG, contract.id);
    return secret;
  }

  /** Gives a function a connector: its credentials, base URL and the shared circuit. */
  private connector(
    fn: IntegrationFunction,
    contract: IntegrationContract,
    secret: Secret,
    circuits: CircuitBreakerTable,
  ): IntegrationFunction {
    const prefix = contract.id.toUpperCase();
    fn.addEnvironment(`${prefix}_SECRET_ID`, secret.secretArn);
    if (contract.defaultBaseUrl) fn.addEnvironment(contract.baseUrlEnv, contract.defaultBaseUrl);
    secret.grantRead(fn);
    circuits.bind(fn, 'use');
    return fn;
  }
}

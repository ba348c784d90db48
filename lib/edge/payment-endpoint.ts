import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { Method } from 'aws-cdk-lib/aws-apigateway';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { PAYMENT_CONTRACT } from '../../utils/contracts/bundled';
import { PaymentRequestShape } from '../../utils/payments/payment-request';
import { handlerEntry, IntegrationFunction } from '../compute/integration-function';
import type { LogLevel } from '../config/stages';
import type { ConnectorUse } from '../observability/connector-alarms';
import type { CircuitBreakerTable } from '../storage/circuit-breaker-table';
import type { IntegrationApi } from './integration-api';

/** The route of the synchronous payment API. */
export const PAYMENT_ROUTE = '/api/v1/integrations/payment/process';
/** The OAuth2 scope a token needs to charge, unless told otherwise. */
export const PAYMENT_SCOPE = 'payments/write';

export interface PaymentEndpointProps {
  /** Its resource servers must declare `scope`. */
  readonly api: IntegrationApi;
  /** The Powertools idempotency table (IdempotencyStore): one record per client and transaction_id. */
  readonly idempotencyTable: ITable;
  /** The shared circuit state; the function uses the `payment` circuit. */
  readonly circuitTable: CircuitBreakerTable;
  /** The provider's credentials, a JSON secret `{"api_key": "sk_…"}`. */
  readonly paymentCredentials: ISecret;
  /** The provider's base URL. @default the contract's (https://api.stripe.com) */
  readonly paymentBaseUrl?: string;
  /** The OAuth2 scope a token needs. @default 'payments/write' */
  readonly scope?: string;
  /**
   * The time from the request reaching the function to its answer, 1 to 25 s (API Gateway waits 29 s
   * at most). The function's timeout is the budget too. @default Duration.seconds(5)
   */
  readonly budget?: Duration;
  /** The timeout of one attempt at the provider, at least 100 ms and shorter than the budget. @default Duration.seconds(2) */
  readonly attemptTimeout?: Duration;
  /** Retention of the function's log group. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default 'INFO' */
  readonly logLevel?: LogLevel;
  /** What happens to the function's log group when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

function validate(props: PaymentEndpointProps, budget: Duration, attemptTimeout: Duration): void {
  const budgetMs = budget.toMilliseconds();
  if (budgetMs < 1000 || budgetMs > 25_000) {
    throw new Error(`budget must be from 1 to 25 seconds, got ${budgetMs} ms`);
  }
  if (attemptTimeout.toMilliseconds() < 100) {
    throw new Error(`attemptTimeout must be at least 100 ms, got ${attemptTimeout.toMilliseconds()} ms`);
  }
  if (attemptTimeout.toMilliseconds() >= budgetMs) {
    throw new Error(
      `attemptTimeout (${attemptTimeout.toMilliseconds()} ms) must be shorter than budget (${budgetMs} ms)`,
    );
  }
  if (props.paymentBaseUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(props.paymentBaseUrl)) {
    throw new Error(`paymentBaseUrl must be an http(s) URL, got "${props.paymentBaseUrl}"`);
  }
}

/**
 * The synchronous payment API: `POST /api/v1/integrations/payment/process` behind the Cognito
 * authorizer (scope `payments/write`) and an API key, the body checked by the gateway against the
 * request's shape, and a function that charges once per client and transaction_id through the
 * payment connector and the shared `payment` circuit, answering within the budget.
 */
export class PaymentEndpoint extends Construct {
  readonly function: IntegrationFunction;
  /** The provider the endpoint calls, for its alarms. */
  readonly connectorUse: ConnectorUse = { contract: PAYMENT_CONTRACT, serviceName: 'payments' };
  readonly method: Method;

  constructor(scope: Construct, id: string, props: PaymentEndpointProps) {
    super(scope, id);
    const budget = props.budget ?? Duration.seconds(5);
    const attemptTimeout = props.attemptTimeout ?? Duration.seconds(2);
    validate(props, budget, attemptTimeout);
    const baseUrl = props.paymentBaseUrl ?? PAYMENT_CONTRACT.defaultBaseUrl;
    if (!baseUrl) throw new Error('paymentBaseUrl is required: the payment contract names no default');

    this.function = new IntegrationFunction(this, 'ProcessPayment', {
      entry: handlerEntry('api/process-payment'),
      description: `POST ${PAYMENT_ROUTE}: charges a card once per transaction_id, answering within ${budget.toHumanString()}`,
      serviceName: this.connectorUse.serviceName,
      memorySize: 512,
      // The handler stops the provider call before this, keeping time to save the result and answer.
      timeout: budget,
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      removalPolicy: props.removalPolicy,
      environment: {
        PAYMENT_BUDGET_MS: String(budget.toMilliseconds()),
        PAYMENT_ATTEMPT_TIMEOUT_MS: String(attemptTimeout.toMilliseconds()),
        // Always set, the contract's default included: the local cloud points it at the sandbox.
        [PAYMENT_CONTRACT.baseUrlEnv]: baseUrl,
      },
    });
    this.function.setVariable('IDEMPOTENCY_TABLE_NAME', props.idempotencyTable.tableName);
    // What Powertools idempotency calls, and nothing more.
    props.idempotencyTable.grant(
      this.function,
      'dynamodb:PutItem',
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
    );
    props.circuitTable.bind(this.function);
    this.function.setVariable('PAYMENT_SECRET_ID', props.paymentCredentials.secretArn);
    props.paymentCredentials.grantRead(this.function);

    props.api.addRoute({
      method: 'POST',
      path: PAYMENT_ROUTE,
      handler: this.function,
      scopes: [props.scope ?? PAYMENT_SCOPE],
      requestModel: { name: 'PaymentRequest', schema: PaymentRequestShape },
    });
    this.method = props.api.restApi.root.resourceForPath(PAYMENT_ROUTE).node.findChild('POST') as Method;
  }
}

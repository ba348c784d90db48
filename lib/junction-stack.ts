import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Construct } from 'constructs';
import { OrderRequestSchema } from '../utils/orders/order-request';
import { WEBHOOK_PROVIDERS } from '../utils/webhooks/types';
import {
  handlerEntry,
  IntegrationFunction,
  type IntegrationFunctionProps,
  METRICS_NAMESPACE,
} from './compute/integration-function';
import type { StageConfig } from './config/stages';
import { IntegrationApi } from './edge/integration-api';
import { PaymentEndpoint } from './edge/payment-endpoint';
import { WebhookEndpoint } from './edge/webhook-endpoint';
import { DeadLetterQueue } from './messaging/dead-letter-queue';
import { DurableQueue } from './messaging/durable-queue';
import { EventHub } from './messaging/event-hub';
import { EventRoute, type RouteTarget } from './messaging/event-route';
import { ROUTES, type RouteTargetName } from './messaging/routing-table';
import { ConnectorAlarms } from './observability/connector-alarms';
import {
  apiWidgets,
  functionWidgets,
  integrationMetricWidgets,
  ruleWidgets,
} from './observability/flow-widgets';
import { LogQueries } from './observability/log-queries';
import { ObservabilityBaseline } from './observability/observability-baseline';
import { OperationsAlarms } from './observability/operations-alarms';
import {
  allQueueWidgets,
  connectorWidgets,
  eventWidgets,
  sagaWidgets,
} from './observability/operations-widgets';
import { OrderSaga } from './orchestration/order-saga';
import { CircuitBreakerTable } from './storage/circuit-breaker-table';
import { IdempotencyStore } from './storage/idempotency-store';

export interface JunctionStackProps extends StackProps {
  readonly stage: StageConfig;
}

/** OAuth2 scopes of the API, by resource server. */
const API_SCOPES = {
  orders: { write: 'Create orders', read: 'Read orders' },
  payments: { write: 'Charge payments' },
} as const;

export interface JunctionFunctions {
  readonly ingestOrder: IntegrationFunction;
  readonly health: IntegrationFunction;
  readonly analyticsConsumer: IntegrationFunction;
  readonly receiveWebhook: IntegrationFunction;
}

/**
 * Junction: composes its constructs. An order comes in over the API, is made idempotent and put
 * on the bus; the routing table sends it to the analytics queue, whose consumer records it, and
 * to the order saga, which charges, invoices and confirms it. Providers call back through signed
 * webhooks; partners charge payments synchronously through the payment API.
 */
export class JunctionStack extends Stack {
  readonly observability: ObservabilityBaseline;
  readonly events: EventHub;
  readonly idempotency: IdempotencyStore;
  readonly analyticsQueue: DurableQueue;
  readonly functions: JunctionFunctions;
  readonly api: IntegrationApi;
  readonly webhooks: WebhookEndpoint;
  readonly circuits: CircuitBreakerTable;
  readonly orderSaga: OrderSaga;
  readonly connectorAlarms: ConnectorAlarms;
  readonly operationsAlarms: OperationsAlarms;
  readonly payments: PaymentEndpoint;
  readonly routes: readonly EventRoute[];

  constructor(scope: Construct, id: string, props: JunctionStackProps) {
    super(scope, id, props);
    const { stage } = props;
    this.observability = new ObservabilityBaseline(this, 'Observability', {
      removalPolicy: stage.removalPolicy,
    });
    this.events = new EventHub(this, 'Events', {
      archiveRetention: Duration.days(stage.archiveRetentionDays),
      auditLogRetention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
    });
    this.idempotency = new IdempotencyStore(this, 'Idempotency', { removalPolicy: stage.removalPolicy });
    this.analyticsQueue = new DurableQueue(this, 'AnalyticsQueue', {
      visibilityTimeout: Duration.minutes(3),
      removalPolicy: stage.removalPolicy,
    });
    this.functions = this.createFunctions(stage);
    this.api = this.createApi(stage);
    this.webhooks = new WebhookEndpoint(this, 'Webhooks', {
      api: this.api,
      handler: this.functions.receiveWebhook,
      providers: WEBHOOK_PROVIDERS,
      removalPolicy: stage.removalPolicy,
    });
    this.circuits = new CircuitBreakerTable(this, 'Circuits', { removalPolicy: stage.removalPolicy });
    this.orderSaga = new OrderSaga(this, 'OrderSaga', {
      bus: this.events.bus,
      circuits: this.circuits,
      makeFunction: (functionId, functionProps) => this.makeFunction(stage, functionId, functionProps),
      confirmationSender: stage.confirmationSender,
      logRetention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
    });
    this.payments = new PaymentEndpoint(this, 'Payments', {
      api: this.api,
      idempotencyTable: this.idempotency.table,
      circuitTable: this.circuits,
      paymentCredentials: this.orderSaga.credentials.payment,
      logRetention: stage.logRetention,
      logLevel: stage.logLevel,
      removalPolicy: stage.removalPolicy,
    });
    this.connectorAlarms = new ConnectorAlarms(this, 'ConnectorAlarms', {
      uses: [...this.orderSaga.connectorUses, this.payments.connectorUse],
    });
    this.routes = this.createRoutes(stage, {
      analyticsQueue: { queue: this.analyticsQueue.queue },
      orderSagaQueue: { queue: this.orderSaga.queue.queue },
    });
    this.operationsAlarms = new OperationsAlarms(this, 'OperationsAlarms', {
      api: this.api.restApi,
      sagas: { order: this.orderSaga.saga.stateMachine },
      functions: this.allFunctions(),
      degradedBy: Object.values(this.connectorAlarms.byProvider).flatMap((alarms) => [
        alarms.errors,
        alarms.circuitOpen,
      ]),
      compositeAction: new SnsAction(this.observability.alarmTopic),
    });
    new LogQueries(this, 'LogQueries', { logGroups: this.allFunctions().map((fn) => fn.logGroup) });
    this.addDashboard();
    this.addOutputs();
  }

  private allFunctions(): IntegrationFunction[] {
    return [...Object.values(this.functions), this.payments.function, ...this.orderSaga.functions];
  }

  /** A function with the stage's settings: log retention and level, removal policy, namespace. */
  private makeFunction(
    stage: StageConfig,
    id: string,
    props: Omit<IntegrationFunctionProps, 'logRetention' | 'logLevel' | 'removalPolicy'>,
  ): IntegrationFunction {
    return new IntegrationFunction(this, id, {
      ...props,
      metricsNamespace: METRICS_NAMESPACE,
      logRetention: stage.logRetention,
      logLevel: stage.logLevel,
      removalPolicy: stage.removalPolicy,
    });
  }

  private createFunctions(stage: StageConfig): JunctionFunctions {
    const make = (
      id: string,
      props: Omit<IntegrationFunctionProps, 'logRetention' | 'logLevel' | 'removalPolicy'>,
    ) => this.makeFunction(stage, id, props);
    const table = this.idempotency.table;

    const ingestOrder = make('IngestOrder', {
      entry: handlerEntry('api/ingest-order'),
      description:
        'POST /v1/orders: validates an order, accepts it once per Idempotency-Key, puts order.created',
      serviceName: 'order-intake',
      memorySize: 512,
      timeout: Duration.seconds(10),
    })
      .bindEventBus('EVENT_BUS_NAME', this.events.bus)
      .bindTable('IDEMPOTENCY_TABLE_NAME', table, 'readWrite');

    const health = make('Health', {
      entry: handlerEntry('api/health'),
      description: 'GET /health: reports the bus, the idempotency table and the analytics queue',
      serviceName: 'health',
      memorySize: 256,
      timeout: Duration.seconds(5),
    })
      .bindEventBus('EVENT_BUS_NAME', this.events.bus, 'describe')
      .bindTable('IDEMPOTENCY_TABLE_NAME', table, 'describe')
      .bindQueue('ANALYTICS_QUEUE_URL', this.analyticsQueue.queue, 'inspect');

    const analyticsConsumer = make('AnalyticsConsumer', {
      entry: handlerEntry('consumers/analytics-consumer'),
      description: 'Records order events from the analytics queue, once per event',
      serviceName: 'analytics',
      memorySize: 256,
      timeout: Duration.seconds(30),
    }).bindTable('IDEMPOTENCY_TABLE_NAME', table, 'readWrite');
    this.analyticsQueue.addConsumer(analyticsConsumer, { batchSize: 10 });

    const receiveWebhook = make('ReceiveWebhook', {
      entry: handlerEntry('api/receive-webhook'),
      description:
        'POST /v1/webhooks/{provider}: verifies the provider signature, puts payment.* and email.* once per provider event',
      serviceName: 'webhooks',
      memorySize: 256,
      timeout: Duration.seconds(10),
    })
      .bindEventBus('EVENT_BUS_NAME', this.events.bus)
      .bindTable('IDEMPOTENCY_TABLE_NAME', table, 'readWrite');

    return { ingestOrder, health, analyticsConsumer, receiveWebhook };
  }

  private createApi(stage: StageConfig): IntegrationApi {
    const api = new IntegrationApi(this, 'Api', {
      stageName: stage.name,
      throttle: stage.api.throttle,
      wafRateLimitPer5Minutes: stage.api.wafRateLimitPer5Minutes,
      resourceServers: API_SCOPES,
      clients: stage.api.clients,
      logRetention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
    });
    api.addRoute({
      method: 'POST',
      path: '/v1/orders',
      handler: this.functions.ingestOrder,
      scopes: ['orders/write'],
      requestModel: { name: 'OrderRequest', schema: OrderRequestSchema },
    });
    api.addRoute({ method: 'GET', path: '/health', handler: this.functions.health });
    return api;
  }

  private createRoutes(stage: StageConfig, targets: Record<RouteTargetName, RouteTarget>): EventRoute[] {
    return ROUTES.map(
      (route) =>
        new EventRoute(this, route.id, {
          bus: this.events.bus,
          description: route.description,
          eventPattern: route.pattern,
          target: targets[route.target],
          retry: route.retry,
          removalPolicy: stage.removalPolicy,
        }),
    );
  }

  private addDashboard(): void {
    const { observability } = this;
    observability.addSection('API', [
      ...apiWidgets(this.api.restApi),
      ...integrationMetricWidgets(METRICS_NAMESPACE),
    ]);
    observability.addSection('Functions', functionWidgets(this.allFunctions()));
    observability.addSection(
      'Routes',
      ruleWidgets(
        this.events.bus,
        this.routes.map((route) => route.rule),
      ),
    );
    observability.addSection('Events', eventWidgets(METRICS_NAMESPACE));
    observability.addSection(
      'Sagas',
      sagaWidgets(METRICS_NAMESPACE, { order: this.orderSaga.saga.stateMachine }),
    );
    observability.addSection('Connectors', connectorWidgets(METRICS_NAMESPACE));
    observability.addSection(
      'Queues',
      allQueueWidgets(
        { 'Analytics queue': this.analyticsQueue, 'Order saga start queue': this.orderSaga.queue },
        this.node.findAll().filter((node): node is DeadLetterQueue => node instanceof DeadLetterQueue),
      ),
    );
  }

  private addOutputs(): void {
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('ApiUrl', this.api.url, 'Base URL of the API stage');
    output('TokenUrl', this.api.auth.tokenUrl, 'OAuth2 token endpoint (client credentials)');
    output('UserPoolId', this.api.auth.userPool.userPoolId, 'User pool of the API clients');
    output('EventBusName', this.events.bus.eventBusName, 'The Junction event bus');
    output('DashboardName', this.observability.dashboard.dashboardName, 'Operations dashboard');
    for (const provider of Object.keys(this.webhooks.secrets)) {
      const id = `${provider[0]?.toUpperCase()}${provider.slice(1)}`;
      output(`${id}WebhookUrl`, this.webhooks.urlOf(provider), `Register at the ${provider} provider`);
    }
    for (const [name, client] of Object.entries(this.api.clients)) {
      const id = name.replace(/[^A-Za-z0-9]/g, '');
      output(
        `${id}ClientId`,
        client.appClient.userPoolClientId,
        `App client of ${name} (secret: describe-user-pool-client)`,
      );
      output(`${id}ApiKeyId`, client.apiKey.keyId, `API key of ${name} (value: get-api-key --include-value)`);
    }
  }
}

import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBusGrants, type IEventBus } from 'aws-cdk-lib/aws-events';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { LogLevel } from '../config/stages';

const FUNCTIONS_DIR = path.join(__dirname, '..', '..', 'functions');

/** CloudWatch namespace of Junction's EMF metrics: functions emit there, dashboards search there. */
export const METRICS_NAMESPACE = 'Junction';

/** The absolute path of a handler under `functions/` (`api/ingest-order`); fails if it is missing. */
export function handlerEntry(relativePath: string): string {
  const entry = path.join(FUNCTIONS_DIR, `${relativePath}.ts`);
  if (!existsSync(entry)) throw new Error(`No handler file at ${entry}`);
  return entry;
}

export interface IntegrationFunctionProps {
  /** Absolute path of the handler's TypeScript file (see `handlerEntry`). */
  readonly entry: string;
  /** Exported handler name. @default 'handler' */
  readonly handler?: string;
  readonly description: string;
  /** Powertools service name: the `service` key of every log line, trace and metric. */
  readonly serviceName: string;
  /** CloudWatch namespace of the function's EMF metrics. @default METRICS_NAMESPACE ('Junction') */
  readonly metricsNamespace?: string;
  /** Memory in MB, 128 to 10240. No default: size it on purpose. */
  readonly memorySize: number;
  /** 1 second to 15 minutes. No default: Lambda's 3 seconds is rarely right. */
  readonly timeout: Duration;
  /** Retention of the function's own log group. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** What happens to the log group when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Powertools and Lambda application log level. @default 'INFO' */
  readonly logLevel?: LogLevel;
  /** Caps concurrent executions. @default no reservation: the account's unreserved pool */
  readonly reservedConcurrentExecutions?: number;
  /** Further environment variables. @default none */
  readonly environment?: Readonly<Record<string, string>>;
}

const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

function validate(props: IntegrationFunctionProps): void {
  const { memorySize, timeout, reservedConcurrentExecutions } = props;
  if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10_240) {
    throw new Error(`memorySize must be a whole number of MB from 128 to 10240, got ${memorySize}`);
  }
  const timeoutMs = timeout.toMilliseconds();
  if (timeoutMs < 1000 || timeoutMs > 900_000) {
    throw new Error(`timeout must be from 1 second to 15 minutes, got ${timeout.toHumanString()}`);
  }
  if (reservedConcurrentExecutions !== undefined && reservedConcurrentExecutions < 1) {
    throw new Error(`reservedConcurrentExecutions must be at least 1, got ${reservedConcurrentExecutions}`);
  }
}

/**
 * A Lambda function with Junction's defaults: Node 22 on ARM, X-Ray, JSON logs in its own log
 * group with retention, Powertools environment, minified ESM bundle with source maps.
 */
export class IntegrationFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: IntegrationFunctionProps) {
    validate(props);
    const logLevel = props.logLevel ?? 'INFO';
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    // Its own role instead of AWSLambdaBasicExecutionRole (logs:CreateLogGroup, CreateLogStream
    // and PutLogEvents on every log group): it may write to its own log group and nowhere else.
    const role = new Role(scope, `${id}ServiceRole`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}`,
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      role,
      entry: props.entry,
      handler: props.handler ?? 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      tracing: Tracing.ACTIVE,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[logLevel],
      // Lambda's platform logs have no ERROR level; WARN is the quietest.
      systemLogLevelV2: logLevel === 'ERROR' ? SystemLogLevel.WARN : SystemLogLevel[logLevel],
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace ?? METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: logLevel,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        // Error class names are matched by Step Functions catches and reported as Lambda's errorType.
        keepNames: true,
        sourceMap: true,
        sourcesContent: false,
        mainFields: ['module', 'main'],
        // Bundling the SDK pins its version: what was tested is what runs.
        bundleAwsSDK: true,
        // Some dependencies still call require(); give the ESM bundle one.
        banner:
          "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
  }

  /** Puts the bus name in `variable` and grants PutEvents (or DescribeEventBus only). */
  bindEventBus(variable: string, bus: IEventBus, access: 'put' | 'describe' = 'put'): this {
    this.setVariable(variable, bus.eventBusName);
    if (access === 'put') bus.grantPutEventsTo(this);
    else EventBusGrants.fromEventBus(bus).actions(this, ['events:DescribeEventBus']);
    return this;
  }

  /** Puts the table name in `variable` and grants read-write or DescribeTable only. */
  bindTable(variable: string, table: ITable, access: 'readWrite' | 'describe'): this {
    this.setVariable(variable, table.tableName);
    if (access === 'readWrite') table.grantReadWriteData(this);
    else table.grant(this, 'dynamodb:DescribeTable');
    return this;
  }

  /** Puts the queue URL in `variable` and grants send or GetQueueAttributes only. */
  bindQueue(variable: string, queue: IQueue, access: 'send' | 'inspect'): this {
    this.setVariable(variable, queue.queueUrl);
    if (access === 'send') queue.grantSendMessages(this);
    else queue.grant(this, 'sqs:GetQueueAttributes');
    return this;
  }

  /** Sets an environment variable after checking its name. */
  setVariable(variable: string, value: string): this {
    if (!ENV_NAME.test(variable)) {
      throw new Error(`Environment variable name "${variable}" must match ${ENV_NAME.source}`);
    }
    this.addEnvironment(variable, value);
    return this;
  }
}

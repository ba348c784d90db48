import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  EndpointType,
  type IApiKey,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  type RequestValidator,
  RestApi,
  type UsagePlan,
} from 'aws-cdk-lib/aws-apigateway';
import type { UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { z } from 'zod';
import type { ApiClientConfig } from '../config/stages';
import { addStandardGatewayResponses } from './gateway-responses';
import { MachineAuth, type ResourceServers } from './machine-auth';
import { apiGatewaySchema } from './request-models';
import { ApiWebAcl } from './web-acl';

export interface IntegrationApiProps {
  /** The deployment stage, the first segment of every URL path. */
  readonly stageName: string;
  /** Stage-wide throttle, the ceiling above every client's usage plan. */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  /** Requests per 5 minutes from one IP address before WAF blocks it. */
  readonly wafRateLimitPer5Minutes: number;
  /** OAuth2 resource servers and their scopes. */
  readonly resourceServers: ResourceServers;
  /** Machine clients: each gets an app client, an API key and a usage plan. */
  readonly clients: Readonly<Record<string, ApiClientConfig>>;
  /** Retention of the access log group. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** What happens to logs and the user pool when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Cognito domain prefix. @default `junction-<stageName>-<account id>` */
  readonly domainPrefix?: string;
}

export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Resource path, such as `/v1/orders`. */
  readonly path: string;
  readonly handler: IFunction;
  /** OAuth2 scopes an access token must carry. @default none: no token, API key only */
  readonly scopes?: readonly string[];
  /** Whether the `x-api-key` header is required. @default true */
  readonly apiKeyRequired?: boolean;
  /** JSON body model, generated from the zod schema the handler parses with. @default no body validation */
  readonly requestModel?: { readonly name: string; readonly schema: z.ZodType };
}

export interface ApiClient {
  readonly appClient: UserPoolClient;
  readonly apiKey: IApiKey;
  readonly usagePlan: UsagePlan;
}

function checkThrottle(subject: string, rateLimit: number, burstLimit: number): void {
  if (!(rateLimit > 0)) throw new Error(`${subject}rateLimit must be positive, got ${rateLimit}`);
  if (burstLimit < rateLimit) {
    throw new Error(`${subject}burstLimit (${burstLimit}) must be at least rateLimit (${rateLimit})`);
  }
}

const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: AccessLogField.contextRequestId(),
    extendedRequestId: AccessLogField.contextExtendedRequestId(),
    requestTime: AccessLogField.contextRequestTime(),
    httpMethod: AccessLogField.contextHttpMethod(),
    resourcePath: AccessLogField.contextResourcePath(),
    status: AccessLogField.contextStatus(),
    protocol: AccessLogField.contextProtocol(),
    responseLength: AccessLogField.contextResponseLength(),
    responseLatency: AccessLogField.contextResponseLatency(),
    integrationLatency: AccessLogField.contextIntegrationLatency(),
    sourceIp: AccessLogField.contextIdentitySourceIp(),
    userAgent: AccessLogField.contextIdentityUserAgent(),
    apiKeyId: AccessLogField.contextIdentityApiKeyId(),
    clientId: '$context.authorizer.claims.client_id',
    errorMessage: AccessLogField.contextErrorMessage(),
    errorResponseType: AccessLogField.contextErrorResponseType(),
    wafResponseCode: '$context.wafResponseCode',
    xrayTraceId: AccessLogField.contextXrayTraceId(),
  }),
);

/**
 * The REST API: JSON access logs, execution logs without bodies, X-Ray, stage throttling,
 * machine-to-machine OAuth2 with scopes per route, API keys with per-client usage plans, a WAF,
 * body validation from the handlers' zod schemas, and every gateway error in the standard format.
 */
export class IntegrationApi extends Construct {
  readonly restApi: RestApi;
  readonly auth: MachineAuth;
  /** Checks the access token and its scopes on every route that requires scopes. */
  readonly authorizer: CognitoUserPoolsAuthorizer;
  readonly accessLogs: LogGroup;
  readonly webAcl: ApiWebAcl;
  readonly clients: Readonly<Record<string, ApiClient>>;
  private readonly bodyValidator: RequestValidator;

  constructor(scope: Construct, id: string, props: IntegrationApiProps) {
    super(scope, id);
    checkThrottle('throttle ', props.throttle.rateLimit, props.throttle.burstLimit);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy,
    });
    this.restApi = new RestApi(this, 'RestApi', {
      description: 'Junction integration API',
      endpointTypes: [EndpointType.REGIONAL],
      // Execution logs need the account-level CloudWatch role; it outlives this stack.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: props.stageName,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: ACCESS_LOG_FORMAT,
        loggingLevel: MethodLoggingLevel.INFO,
        // Request and response bodies carry personal data: never in execution logs.
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: props.throttle.rateLimit,
        throttlingBurstLimit: props.throttle.burstLimit,
      },
    });
    this.bodyValidator = this.restApi.addRequestValidator('BodyValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    addStandardGatewayResponses(this.restApi);

    this.auth = new MachineAuth(this, 'Auth', {
      resourceServers: props.resourceServers,
      stageName: props.stageName,
      domainPrefix: props.domainPrefix,
      removalPolicy,
    });
    this.authorizer = new CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [this.auth.userPool],
    });
    this.clients = Object.fromEntries(
      Object.entries(props.clients).map(([name, client]) => [name, this.addClient(name, client)]),
    );
    this.webAcl = new ApiWebAcl(this, 'Firewall', {
      stage: this.restApi.deploymentStage,
      rateLimitPer5Minutes: props.wafRateLimitPer5Minutes,
    });
  }

  /** The base URL of the deployed stage. */
  get url(): string {
    return this.restApi.url;
  }

  /** Adds a Lambda-proxy route; see ApiRoute for its security and validation. */
  addRoute(route: ApiRoute): void {
    const scopes = route.scopes ?? [];
    this.auth.checkScopes(`Route ${route.method} ${route.path} requires`, scopes);
    const resource = this.restApi.root.resourceForPath(route.path);
    const auth =
      scopes.length > 0
        ? {
            authorizer: this.authorizer,
            authorizationType: AuthorizationType.COGNITO,
            authorizationScopes: [...scopes],
          }
        : { authorizationType: AuthorizationType.NONE };
    const model = route.requestModel
      ? this.restApi.addModel(`${route.requestModel.name}Model`, {
          modelName: route.requestModel.name,
          contentType: 'application/json',
          schema: apiGatewaySchema(route.requestModel.schema),
        })
      : undefined;
    resource.addMethod(route.method, new LambdaIntegration(route.handler, { allowTestInvoke: false }), {
      ...auth,
      apiKeyRequired: route.apiKeyRequired ?? true,
      requestValidator: this.bodyValidator,
      ...(model ? { requestModels: { 'application/json': model } } : {}),
    });
  }

  private addClient(name: string, client: ApiClientConfig): ApiClient {
    checkThrottle(`Client "${name}": `, client.rateLimit, client.burstLimit);
    const appClient = this.auth.addClient(name, client.scopes);
    const apiKey = this.restApi.addApiKey(`${name}ApiKey`, { description: `API key of ${name}` });
    const usagePlan = this.restApi.addUsagePlan(`${name}UsagePlan`, {
      description: `Rate, burst and quota of ${name}`,
      throttle: { rateLimit: client.rateLimit, burstLimit: client.burstLimit },
      quota: { limit: client.quota.limit, period: client.quota.period },
      apiStages: [{ api: this.restApi, stage: this.restApi.deploymentStage }],
    });
    usagePlan.addApiKey(apiKey);
    return { appClient, apiKey, usagePlan };
  }
}

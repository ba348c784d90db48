import { Duration, type Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Period } from 'aws-cdk-lib/aws-apigateway';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { handlerEntry, IntegrationFunction } from '../../lib/compute/integration-function';
import { IntegrationApi, type IntegrationApiProps } from '../../lib/edge/integration-api';
import { OrderRequestSchema } from '../../utils/orders/order-request';
import { templateOf, testStack } from '../support/stacks';

const clients: IntegrationApiProps['clients'] = {
  'demo-partner': {
    rateLimit: 10,
    burstLimit: 20,
    quota: { limit: 1000, period: Period.DAY },
    scopes: ['orders/write'],
  },
};

const baseProps: IntegrationApiProps = {
  stageName: 'dev',
  throttle: { rateLimit: 50, burstLimit: 100 },
  wafRateLimitPer5Minutes: 1000,
  logRetention: RetentionDays.TWO_WEEKS,
  resourceServers: { orders: { write: 'Create orders', read: 'Read orders' } },
  clients,
};

function apiWithOrders(
  props: Partial<IntegrationApiProps> = {},
  addMore: (stack: Stack, api: IntegrationApi) => void = () => undefined,
) {
  const stack = testStack();
  const api = new IntegrationApi(stack, 'Api', { ...baseProps, ...props });
  const handler = new IntegrationFunction(stack, 'Ingest', {
    entry: handlerEntry('api/ingest-order'),
    description: 'ingest',
    serviceName: 'test',
    memorySize: 256,
    timeout: Duration.seconds(10),
  });
  api.addRoute({
    method: 'POST',
    path: '/v1/orders',
    handler,
    scopes: ['orders/write'],
    requestModel: { name: 'OrderRequest', schema: OrderRequestSchema },
  });
  addMore(stack, api);
  return { stack, api, template: templateOf(stack) };
}

describe('IntegrationApi: stage', () => {
  it('is regional, traced, throttled, with execution logs but no bodies in them', () => {
    const { template } = apiWithOrders();
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'dev',
      TracingEnabled: true,
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'INFO',
          DataTraceEnabled: false,
          MetricsEnabled: true,
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
        }),
      ],
    });
  });

  it('writes JSON access logs to a log group with retention', () => {
    const { template } = apiWithOrders();
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0];
    const format = JSON.parse(stage?.Properties.AccessLogSetting.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      resourcePath: '$context.resourcePath',
      errorResponseType: '$context.error.responseType',
      clientId: '$context.authorizer.claims.client_id',
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
  });
});

describe('IntegrationApi: routes', () => {
  it('require a token with the route scope and an API key', () => {
    const { template } = apiWithOrders();
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'COGNITO_USER_POOLS',
      AuthorizationScopes: ['orders/write'],
      ApiKeyRequired: true,
      Integration: Match.objectLike({ Type: 'AWS_PROXY' }),
    });
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'COGNITO_USER_POOLS' });
  });

  it('validate the body against a model generated from the handler zod schema', () => {
    const { template } = apiWithOrders();
    const models = Object.values(template.findResources('AWS::ApiGateway::Model'));
    expect(models).toHaveLength(1);
    const { $schema, ...expected } = z.toJSONSchema(OrderRequestSchema, { target: 'draft-4', io: 'input' });
    expect(models[0]?.Properties.Schema).toEqual({ $schema, ...expected });
    expect(models[0]?.Properties.Name).toBe('OrderRequest');
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      RequestModels: { 'application/json': { Ref: Match.stringLikeRegexp('OrderRequest') } },
      RequestValidatorId: { Ref: Match.stringLikeRegexp('Validator') },
    });
  });

  it('can be open to API keys alone, for probes', () => {
    const { template } = apiWithOrders({}, (stack, api) => {
      const health = new IntegrationFunction(stack, 'Health', {
        entry: handlerEntry('api/health'),
        description: 'health',
        serviceName: 'test',
        memorySize: 128,
        timeout: Duration.seconds(5),
      });
      api.addRoute({ method: 'GET', path: '/health', handler: health });
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      AuthorizationType: 'NONE',
      ApiKeyRequired: true,
    });
  });
});

describe('IntegrationApi: machine-to-machine OAuth2', () => {
  it('has a user pool with a domain, and a Cognito authorizer for the routes', () => {
    const { template } = apiWithOrders();
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'COGNITO_USER_POOLS' });
  });
});

describe('IntegrationApi: protection', () => {
  it('puts a web ACL in front of the stage and answers its own errors in the standard format', () => {
    const { template } = apiWithOrders();
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
    });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
      StatusCode: '404',
    });
  });
});

describe('IntegrationApi: clients', () => {
  it('each get an API key and a usage plan with their rate, burst and quota', () => {
    const { template } = apiWithOrders();
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 10, BurstLimit: 20 },
      Quota: { Limit: 1000, Period: 'DAY' },
      ApiStages: [Match.objectLike({ Stage: { Ref: Match.stringLikeRegexp('DeploymentStage') } })],
    });
    template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
  });
});

describe('IntegrationApi: fails if', () => {
  it('a route requires a scope no resource server declares', () => {
    const addListRoute = (stack: Stack, api: IntegrationApi) => {
      const fn = new IntegrationFunction(stack, 'Other', {
        entry: handlerEntry('api/health'),
        description: 'x',
        serviceName: 'test',
        memorySize: 128,
        timeout: Duration.seconds(3),
      });
      api.addRoute({ method: 'GET', path: '/v1/orders', handler: fn, scopes: ['orders/list'] });
    };
    expect(() => apiWithOrders({}, addListRoute)).toThrow(
      'Route GET /v1/orders requires unknown scope "orders/list" (known: orders/write, orders/read)',
    );
  });

  it.each([
    ['a rate of 0', { rateLimit: 0, burstLimit: 10 }, 'throttle rateLimit must be positive, got 0'],
    [
      'a burst below the rate',
      { rateLimit: 50, burstLimit: 10 },
      'throttle burstLimit (10) must be at least rateLimit (50)',
    ],
  ])('the stage throttle has %s', (_, throttle, message) => {
    expect(() => apiWithOrders({ throttle })).toThrow(message);
  });

  it('a client burst is below its rate', () => {
    expect(() =>
      apiWithOrders({
        clients: { slow: { ...clients['demo-partner'], rateLimit: 10, burstLimit: 5 } as never },
      }),
    ).toThrow('Client "slow": burstLimit (5) must be at least rateLimit (10)');
  });
});

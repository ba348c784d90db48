import { Duration, type Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Period } from 'aws-cdk-lib/aws-apigateway';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { handlerEntry, IntegrationFunction } from '../../lib/compute/integration-function';
import { IntegrationApi, type IntegrationApiProps } from '../../lib/edge/integration-api';
import { ERROR_STATUS } from '../../utils/http/errors';
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

describe('IntegrationApi: machine-to-machine OAuth2', () => {
  it('has a user pool nobody can sign up to, with a domain for the token endpoint', () => {
    const { template } = apiWithOrders();
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  });

  it('declares the resource server scopes', () => {
    const { template } = apiWithOrders();
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'orders',
      Scopes: [
        { ScopeName: 'write', ScopeDescription: 'Create orders' },
        { ScopeName: 'read', ScopeDescription: 'Read orders' },
      ],
    });
  });

  it('gives each client a client-credentials app client with a secret and only its scopes', () => {
    const { template } = apiWithOrders();
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: [{ 'Fn::Join': ['', [{ Ref: Match.stringLikeRegexp('ordersServer') }, '/write']] }],
    });
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

describe('IntegrationApi: web ACL', () => {
  it('applies the AWS common rule set and a per-IP rate limit to the stage', () => {
    const { template } = apiWithOrders();
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: Match.arrayWith([
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: Match.objectLike({
              VendorName: 'AWS',
              Name: 'AWSManagedRulesCommonRuleSet',
            }),
          },
        }),
        Match.objectLike({
          Action: { Block: {} },
          Statement: {
            RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 },
          },
        }),
      ]),
    });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
    });
  });
});

describe('IntegrationApi: gateway responses', () => {
  const render = (template: string) =>
    template
      .replaceAll('$context.requestId', 'req-1')
      .replaceAll('$context.error.messageString', '"Some \\"quoted\\" message"')
      .replaceAll('$context.error.validationErrorString', '[instance failed to match]');

  it('rewrite every gateway error into the standard error format', () => {
    const { template } = apiWithOrders();
    const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse'));
    const types = responses.map((response) => response.Properties.ResponseType);
    expect(types).toEqual(
      expect.arrayContaining([
        'DEFAULT_4XX',
        'DEFAULT_5XX',
        'THROTTLED',
        'QUOTA_EXCEEDED',
        'UNAUTHORIZED',
        'ACCESS_DENIED',
        'INVALID_API_KEY',
        'MISSING_AUTHENTICATION_TOKEN',
        'BAD_REQUEST_BODY',
        'BAD_REQUEST_PARAMETERS',
        'REQUEST_TOO_LARGE',
        'WAF_FILTERED',
        'INTEGRATION_TIMEOUT',
      ]),
    );
    for (const response of responses) {
      const body = JSON.parse(render(response.Properties.ResponseTemplates['application/json']));
      expect(Object.keys(body)).toEqual(['success', 'error_code', 'error_message', 'request_id']);
      expect(body).toMatchObject({ success: false, request_id: 'req-1' });
    }
  });

  it('use error codes and status codes from the one error table', () => {
    const { template } = apiWithOrders();
    for (const response of Object.values(template.findResources('AWS::ApiGateway::GatewayResponse'))) {
      if (String(response.Properties.ResponseType).startsWith('DEFAULT_')) continue;
      const body = JSON.parse(render(response.Properties.ResponseTemplates['application/json']));
      const status = ERROR_STATUS[body.error_code as keyof typeof ERROR_STATUS];
      expect({ type: response.Properties.ResponseType, status: String(status) }).toEqual({
        type: response.Properties.ResponseType,
        status: response.Properties.StatusCode,
      });
    }
  });

  it('answer an unknown route with 404 ROUTE_NOT_FOUND, not a bare 403', () => {
    const { template } = apiWithOrders();
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
      StatusCode: '404',
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"error_code":"ROUTE_NOT_FOUND"') },
    });
  });

  it('tell a throttled client when to retry', () => {
    const { template } = apiWithOrders();
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'THROTTLED',
      StatusCode: '429',
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Retry-After': "'1'" }),
    });
  });
});

describe('IntegrationApi: fails if', () => {
  it('a client asks for a scope no resource server declares', () => {
    expect(() =>
      apiWithOrders({
        clients: { rogue: { ...clients['demo-partner'], scopes: ['orders/delete'] } as never },
      }),
    ).toThrow('Client "rogue" asks for unknown scope "orders/delete" (known: orders/write, orders/read)');
  });

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

  it('the WAF rate limit is under the WAF minimum of 10', () => {
    expect(() => apiWithOrders({ wafRateLimitPer5Minutes: 5 })).toThrow(
      'wafRateLimitPer5Minutes must be a whole number from 10 to 2000000000, got 5',
    );
  });
});

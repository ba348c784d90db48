import type { CfnResource, CfnTemplate } from '../../../../local/template/assembly';
import { stableId } from '../../../../local/template/naming';
import { TemplateResources } from '../../../../local/template/resources';
import { functionArnOfUri, restApisOf, userPoolsOf } from '../../../../local/template/topology-api';
import type { RestApiSpec, UserPoolSpec } from '../../../../local/template/topology-types';
import {
  logicalIdOf,
  resourcesOf,
  type SynthesizedJunction,
  synthesizeJunction,
} from '../../../fixtures/template/junction-assembly';

const ACCOUNT = '000000000000';
const LAMBDA_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function`;
const uriOf = (functionArn: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn}/invocations`;

/** One synthesis for the whole file; nothing here runs function code, so no bundling. */
let junction: SynthesizedJunction;
let resources: TemplateResources;
let api: RestApiSpec;
let pool: UserPoolSpec;

beforeAll(() => {
  junction = synthesizeJunction({ bundle: false });
  resources = new TemplateResources(junction.artifact.template, junction.env);
  const [onlyApi, ...otherApis] = restApisOf(resources);
  const [onlyPool, ...otherPools] = userPoolsOf(resources);
  if (!onlyApi || !onlyPool || otherApis.length > 0 || otherPools.length > 0) {
    throw new Error('Expected one REST API and one user pool');
  }
  api = onlyApi;
  pool = onlyPool;
});

afterAll(() => junction.dispose());

function functionArn(prefix: string): string {
  const logicalId = logicalIdOf(junction.artifact.template, prefix, 'AWS::Lambda::Function');
  return String(resources.physicalOf(logicalId)?.attributes.Arn);
}

function method(path: string, httpMethod: string) {
  const resourceId = [...api.paths].find(([, full]) => full === path)?.[0];
  const found = api.methods.find((spec) => spec.resourceId === resourceId && spec.httpMethod === httpMethod);
  if (!found) throw new Error(`No method ${httpMethod} ${path}`);
  return found;
}

describe('restApisOf on the synthesized Junction stack: resources and methods', () => {
  it('identifies the API by its generated id and its name', () => {
    const logicalId = logicalIdOf(junction.artifact.template, 'ApiRestApi', 'AWS::ApiGateway::RestApi');
    expect(api.logicalId).toBe(logicalId);
    expect(api.id).toBe(stableId(`Junction-dev/${logicalId}`, 10));
    expect(api.name).toBe(resources.property(logicalId, 'Name'));
  });

  it('knows the full path of every resource, from the root', () => {
    expect([...api.paths.values()].sort()).toEqual([
      '/',
      '/api',
      '/api/v1',
      '/api/v1/integrations',
      '/api/v1/integrations/payment',
      '/api/v1/integrations/payment/process',
      '/health',
      '/v1',
      '/v1/orders',
      '/v1/webhooks',
      '/v1/webhooks/{provider}',
    ]);
    const root = resources.physicalOf(api.logicalId)?.attributes.RootResourceId;
    expect(api.paths.get(String(root))).toBe('/');
  });

  it('protects POST /v1/orders with the Cognito authorizer, the write scope, an API key and the order model', () => {
    const post = method('/v1/orders', 'POST');
    expect(post).toEqual({
      resourceId: expect.any(String),
      httpMethod: 'POST',
      authorizationType: 'COGNITO_USER_POOLS',
      authorizerId: api.authorizers[0]?.id,
      authorizationScopes: ['orders/write'],
      apiKeyRequired: true,
      requestModels: { 'application/json': 'OrderRequest' },
      requestValidatorId: expect.any(String),
      requestParameters: {},
      integration: { type: 'AWS_PROXY', functionArn: functionArn('IngestOrder'), timeoutMs: 29_000 },
    });
    expect(api.validators.get(String(post.requestValidatorId))).toEqual({ body: true, parameters: true });
  });

  it('serves GET /health with an API key and no authorizer', () => {
    expect(method('/health', 'GET')).toMatchObject({
      authorizationType: 'NONE',
      authorizerId: undefined,
      authorizationScopes: [],
      apiKeyRequired: true,
      requestModels: {},
      integration: { type: 'AWS_PROXY', functionArn: functionArn('Health'), timeoutMs: 29_000 },
    });
  });

  it('serves POST /v1/webhooks/{provider} with neither an authorizer nor an API key', () => {
    expect(method('/v1/webhooks/{provider}', 'POST')).toMatchObject({
      authorizationType: 'NONE',
      authorizerId: undefined,
      apiKeyRequired: false,
      integration: { type: 'AWS_PROXY', functionArn: functionArn('ReceiveWebhook'), timeoutMs: 29_000 },
    });
  });

  it('protects POST /api/v1/integrations/payment/process with the authorizer, the payments scope, an API key and the payment model', () => {
    const post = method('/api/v1/integrations/payment/process', 'POST');
    expect(post).toEqual({
      resourceId: expect.any(String),
      httpMethod: 'POST',
      authorizationType: 'COGNITO_USER_POOLS',
      authorizerId: api.authorizers[0]?.id,
      authorizationScopes: ['payments/write'],
      apiKeyRequired: true,
      requestModels: { 'application/json': 'PaymentRequest' },
      requestValidatorId: expect.any(String),
      requestParameters: {},
      integration: {
        type: 'AWS_PROXY',
        functionArn: functionArn('PaymentsProcessPayment'),
        timeoutMs: 29_000,
      },
    });
    expect(api.validators.get(String(post.requestValidatorId))).toEqual({ body: true, parameters: true });
  });

  it('serves exactly the four routes of the stack', () => {
    expect(
      api.methods.map((spec) => `${spec.httpMethod} ${String(api.paths.get(spec.resourceId))}`).sort(),
    ).toEqual([
      'GET /health',
      'POST /api/v1/integrations/payment/process',
      'POST /v1/orders',
      'POST /v1/webhooks/{provider}',
    ]);
  });

  it('has one Cognito authorizer, reading the bearer token from the Authorization header', () => {
    const logicalId = logicalIdOf(junction.artifact.template, 'ApiAuthorizer', 'AWS::ApiGateway::Authorizer');
    expect(api.authorizers).toEqual([
      {
        id: stableId(`Junction-dev/${logicalId}`, 10),
        name: resources.property(logicalId, 'Name'),
        type: 'COGNITO_USER_POOLS',
        userPoolArns: [pool.arn],
        functionArn: undefined,
        identitySource: 'method.request.header.Authorization',
        resultTtlSeconds: 300,
      },
    ]);
  });

  it('keeps the order and payment request models as JSON schemas, under their names', () => {
    expect([...api.models.keys()]).toEqual(['OrderRequest', 'PaymentRequest']);
    expect(api.models.get('OrderRequest')).toMatchObject({
      type: 'object',
      required: ['customer', 'currency', 'items'],
      additionalProperties: false,
    });
    expect(api.models.get('PaymentRequest')).toMatchObject({
      type: 'object',
      required: ['transaction_id', 'amount', 'currency', 'source'],
      additionalProperties: false,
    });
  });
});

describe('restApisOf on the synthesized Junction stack: stage, responses, keys and plans', () => {
  it('has the dev stage, throttled for every method', () => {
    expect(api.stages).toEqual([{ name: 'dev', throttle: { rateLimit: 50, burstLimit: 100 } }]);
  });

  it('shapes every gateway error like the API responses, keyed by response type', () => {
    const count = Object.values(junction.artifact.template.Resources).filter(
      (resource) => resource.Type === 'AWS::ApiGateway::GatewayResponse',
    ).length;
    expect(Object.keys(api.gatewayResponses)).toHaveLength(count);
    expect(Object.keys(api.gatewayResponses)).toEqual(
      expect.arrayContaining([
        'DEFAULT_4XX',
        'DEFAULT_5XX',
        'UNAUTHORIZED',
        'ACCESS_DENIED',
        'INVALID_API_KEY',
        'THROTTLED',
        'QUOTA_EXCEEDED',
      ]),
    );
    expect(api.gatewayResponses.UNAUTHORIZED).toMatchObject({ StatusCode: '401', RestApiId: api.id });
    expect(api.gatewayResponses.THROTTLED).toMatchObject({ StatusCode: '429' });
    const templates = (api.gatewayResponses.INVALID_API_KEY?.ResponseTemplates ?? {}) as Record<
      string,
      string
    >;
    const template = templates['application/json'];
    expect(JSON.parse(String(template).replace('$context.requestId', 'r-1'))).toEqual({
      success: false,
      error_code: 'INVALID_API_KEY',
      error_message: 'A valid x-api-key header is required',
      request_id: 'r-1',
    });
  });

  it('has the demo partner API key, with a fresh secret value since the template sets none', () => {
    const logicalId = logicalIdOf(
      junction.artifact.template,
      'ApiRestApidemopartnerApiKey',
      'AWS::ApiGateway::ApiKey',
    );
    expect(api.apiKeys).toEqual([
      { id: stableId(`Junction-dev/${logicalId}`, 10), logicalId, value: expect.any(String), enabled: true },
    ]);
    expect(api.apiKeys[0]?.value).toMatch(/^[A-Za-z0-9_-]{40}$/);
  });

  it('meters the partner key with a usage plan on the dev stage', () => {
    const logicalId = logicalIdOf(
      junction.artifact.template,
      'ApiRestApidemopartnerUsagePlan',
      'AWS::ApiGateway::UsagePlan',
    );
    expect(api.usagePlans).toEqual([
      {
        id: stableId(`Junction-dev/${logicalId}`, 10),
        logicalId,
        throttle: { rateLimit: 10, burstLimit: 20 },
        quota: { limit: 10_000, period: 'DAY', offset: undefined },
        stages: ['dev'],
        apiKeyIds: [api.apiKeys[0]?.id],
      },
    ]);
  });
});

describe('userPoolsOf on the synthesized Junction stack', () => {
  it('has the user pool with a local id and ARN', () => {
    expect(pool.logicalId).toBe(
      logicalIdOf(junction.artifact.template, 'ApiAuthUserPool', 'AWS::Cognito::UserPool'),
    );
    expect(pool.id).toMatch(/^us-east-1_[A-Za-z0-9]{9}$/);
    expect(pool.arn).toBe(`arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/${pool.id}`);
  });

  it('has the partner app client, using client credentials with the order and payment scopes', () => {
    expect(pool.clients).toEqual([
      {
        logicalId: logicalIdOf(
          junction.artifact.template,
          'ApiAuthUserPooldemopartnerClient',
          'AWS::Cognito::UserPoolClient',
        ),
        clientId: expect.stringMatching(/^[a-z0-9]{26}$/),
        userPoolId: pool.id,
        allowedScopes: ['orders/write', 'orders/read', 'payments/write'],
        clientCredentials: true,
      },
    ]);
  });

  it('has the token domain, named after the stage and the account', () => {
    expect(pool.domains).toEqual([`junction-dev-${ACCOUNT}`]);
  });
});

describe('functionArnOfUri', () => {
  it.each<[string, unknown, string | undefined]>([
    ['a Lambda proxy integration URI', uriOf(`${LAMBDA_ARN}:ingest`), `${LAMBDA_ARN}:ingest`],
    ['a URI to an alias', uriOf(`${LAMBDA_ARN}:ingest:live`), `${LAMBDA_ARN}:ingest:live`],
    [
      'a URI in another partition',
      uriOf('arn:aws-cn:lambda:cn-north-1:1:function:f'),
      'arn:aws-cn:lambda:cn-north-1:1:function:f',
    ],
    ['an HTTP integration URL', 'https://example.com/orders', undefined],
    [
      'a URI without the invocations suffix',
      'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:x',
      undefined,
    ],
    ['a URI to a non-ARN', uriOf('ingest'), undefined],
    ['no URI', undefined, undefined],
    ['a non-string', { 'Fn::Join': [] }, undefined],
  ])('reads %s', (_name, uri, expected) => {
    expect(functionArnOfUri(uri)).toBe(expected);
  });
});

const api2 = (logicalId: string): Record<string, CfnResource> => ({
  [logicalId]: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: logicalId.toLowerCase() } },
});
const resourceOf = (apiId: string, parent: unknown, pathPart: string): CfnResource => ({
  Type: 'AWS::ApiGateway::Resource',
  Properties: { RestApiId: { Ref: apiId }, ParentId: parent, PathPart: pathPart },
});
const rootOf = (apiId: string) => ({ 'Fn::GetAtt': [apiId, 'RootResourceId'] });

/** Two APIs side by side, to check that each keeps what is its own. */
const TWO_APIS: CfnTemplate = {
  Resources: {
    ...api2('Orders'),
    ...api2('Admin'),
    Items: resourceOf('Orders', rootOf('Orders'), 'items'),
    Item: resourceOf('Orders', { Ref: 'Items' }, '{id}'),
    Users: resourceOf('Admin', rootOf('Admin'), 'users'),
    GetItem: {
      Type: 'AWS::ApiGateway::Method',
      Properties: {
        RestApiId: { Ref: 'Orders' },
        ResourceId: { Ref: 'Item' },
        HttpMethod: 'GET',
        RequestParameters: { 'method.request.path.id': true },
        Integration: { Type: 'AWS_PROXY', Uri: uriOf(`${LAMBDA_ARN}:items`), TimeoutInMillis: 5_000 },
      },
    },
    ListUsers: {
      Type: 'AWS::ApiGateway::Method',
      Properties: {
        RestApiId: { Ref: 'Admin' },
        ResourceId: { Ref: 'Users' },
        HttpMethod: 'GET',
        AuthorizationType: 'CUSTOM',
        AuthorizerId: { Ref: 'Token' },
      },
    },
    Token: {
      Type: 'AWS::ApiGateway::Authorizer',
      Properties: {
        RestApiId: { Ref: 'Admin' },
        Type: 'TOKEN',
        AuthorizerUri: uriOf(`${LAMBDA_ARN}:auth`),
        AuthorizerResultTtlInSeconds: 0,
      },
    },
    ItemModel: {
      Type: 'AWS::ApiGateway::Model',
      Properties: { RestApiId: { Ref: 'Orders' }, Name: 'Item', Schema: '{"type":"object"}' },
    },
    UserModel: {
      Type: 'AWS::ApiGateway::Model',
      Properties: { RestApiId: { Ref: 'Admin' }, Name: 'User', Schema: { type: 'string' } },
    },
    OrdersStage: {
      Type: 'AWS::ApiGateway::Stage',
      Properties: { RestApiId: { Ref: 'Orders' }, StageName: 'live' },
    },
    AdminStage: {
      Type: 'AWS::ApiGateway::Stage',
      Properties: {
        RestApiId: { Ref: 'Admin' },
        StageName: 'ops',
        MethodSettings: [
          { HttpMethod: 'GET', ResourcePath: '/users', ThrottlingRateLimit: 1 },
          { HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 7 },
        ],
      },
    },
    FixedKey: {
      Type: 'AWS::ApiGateway::ApiKey',
      Properties: { Value: 'fixed-key-value-123456', Enabled: false },
    },
    AdminPlan: {
      Type: 'AWS::ApiGateway::UsagePlan',
      Properties: {
        ApiStages: [{ ApiId: { Ref: 'Admin' }, Stage: 'ops' }],
        Quota: { Limit: 100, Period: 'WEEK', Offset: 2 },
        Throttle: { RateLimit: 3 },
      },
    },
    AdminPlanKey: {
      Type: 'AWS::ApiGateway::UsagePlanKey',
      Properties: { UsagePlanId: { Ref: 'AdminPlan' }, KeyId: { Ref: 'FixedKey' }, KeyType: 'API_KEY' },
    },
    BarePlan: {
      Type: 'AWS::ApiGateway::UsagePlan',
      Properties: { ApiStages: [{ ApiId: { Ref: 'Admin' }, Stage: 'ops' }] },
    },
  },
};
describe('restApisOf on hand-written templates', () => {
  const apis = () => {
    const [orders, admin] = restApisOf(resourcesOf(TWO_APIS));
    if (!orders || !admin) throw new Error('Expected two APIs');
    return { orders, admin };
  };

  it('keeps the resources, methods, models and stages of each API to itself', () => {
    const { orders, admin } = apis();
    expect([...orders.paths.values()]).toEqual(['/', '/items', '/items/{id}']);
    expect([...admin.paths.values()]).toEqual(['/', '/users']);
    expect(orders.methods.map((spec) => spec.httpMethod)).toEqual(['GET']);
    expect([...orders.models]).toEqual([['Item', { type: 'object' }]]);
    expect([...admin.models]).toEqual([['User', { type: 'string' }]]);
    expect(orders.stages).toEqual([{ name: 'live', throttle: undefined }]);
  });

  it('fills in method defaults and reads path parameters and integration timeouts', () => {
    const [get] = apis().orders.methods;
    expect(get).toEqual({
      resourceId: expect.any(String),
      httpMethod: 'GET',
      authorizationType: 'NONE',
      authorizerId: undefined,
      authorizationScopes: [],
      apiKeyRequired: false,
      requestModels: {},
      requestValidatorId: undefined,
      requestParameters: { 'method.request.path.id': true },
      integration: { type: 'AWS_PROXY', functionArn: `${LAMBDA_ARN}:items`, timeoutMs: 5_000 },
    });
    expect(apis().orders.paths.get(String(get?.resourceId))).toBe('/items/{id}');
  });

  it('reads a Lambda token authorizer, named after its logical id when it has no name', () => {
    const { admin } = apis();
    expect(admin.authorizers).toEqual([
      {
        id: expect.any(String),
        name: 'Token',
        type: 'TOKEN',
        userPoolArns: [],
        functionArn: `${LAMBDA_ARN}:auth`,
        identitySource: undefined,
        resultTtlSeconds: 0,
      },
    ]);
    expect(admin.methods[0]).toMatchObject({
      authorizationType: 'CUSTOM',
      authorizerId: admin.authorizers[0]?.id,
    });
    expect(admin.methods[0]?.integration).toEqual({
      type: 'MOCK',
      functionArn: undefined,
      timeoutMs: 29_000,
    });
  });

  it('throttles a stage from its catch-all method setting, burst defaulting to the rate', () => {
    expect(apis().admin.stages).toEqual([{ name: 'ops', throttle: { rateLimit: 7, burstLimit: 7 } }]);
  });

  it('keeps a key value the template fixes, and its enabled flag', () => {
    expect(apis().orders.apiKeys).toEqual([
      { id: expect.any(String), logicalId: 'FixedKey', value: 'fixed-key-value-123456', enabled: false },
    ]);
  });

  it('gives usage plans only to the API whose stages they cover, with their keys and limits', () => {
    const { orders, admin } = apis();
    expect(orders.usagePlans).toEqual([]);
    expect(admin.usagePlans).toEqual([
      {
        id: expect.any(String),
        logicalId: 'AdminPlan',
        throttle: { rateLimit: 3, burstLimit: 3 },
        quota: { limit: 100, period: 'WEEK', offset: 2 },
        stages: ['ops'],
        apiKeyIds: [admin.apiKeys[0]?.id],
      },
      {
        id: expect.any(String),
        logicalId: 'BarePlan',
        throttle: undefined,
        quota: undefined,
        stages: ['ops'],
        apiKeyIds: [],
      },
    ]);
  });

  it('generates a different secret for a key without a value at every build', () => {
    const keyed = resourcesOf({ Resources: { ...api2('Api'), Key: { Type: 'AWS::ApiGateway::ApiKey' } } });
    const first = restApisOf(keyed)[0]?.apiKeys[0]?.value;
    const second = restApisOf(keyed)[0]?.apiKeys[0]?.value;
    expect(first).toMatch(/^[A-Za-z0-9_-]{40}$/);
    expect(second).not.toBe(first);
  });

  it('gives a generated key the same secret in every API of one build', () => {
    const keyed = resourcesOf({
      Resources: { ...api2('Api'), ...api2('Other'), Key: { Type: 'AWS::ApiGateway::ApiKey' } },
    });
    const [first, second] = restApisOf(keyed).map((api) => api.apiKeys[0]?.value);
    expect(first).toMatch(/^[A-Za-z0-9_-]{40}$/);
    expect(second).toBe(first);
  });

  it('refuses a resource whose parent is not in the template', () => {
    const orphan = resourcesOf({ Resources: { ...api2('Api'), Lost: resourceOf('Api', 'nowhere', 'lost') } });
    expect(() => restApisOf(orphan)).toThrow('API resource nowhere has no parent in the template');
  });
});

describe('userPoolsOf on hand-written templates', () => {
  const client = (pool: string, properties: Record<string, unknown> = {}): CfnResource => ({
    Type: 'AWS::Cognito::UserPoolClient',
    Properties: { UserPoolId: { Ref: pool }, ...properties },
  });

  it('gives each pool its own clients and domains', () => {
    const pools = userPoolsOf(
      resourcesOf({
        Resources: {
          Partners: { Type: 'AWS::Cognito::UserPool' },
          Staff: { Type: 'AWS::Cognito::UserPool' },
          Machine: client('Partners', {
            AllowedOAuthFlows: ['client_credentials'],
            AllowedOAuthScopes: ['api/read'],
          }),
          Web: client('Staff', { AllowedOAuthFlows: ['code', 'implicit'] }),
          Plain: client('Staff'),
          StaffDomain: {
            Type: 'AWS::Cognito::UserPoolDomain',
            Properties: { UserPoolId: { Ref: 'Staff' }, Domain: 'staff' },
          },
        },
      }),
    );
    expect(
      pools.map((p) => ({
        id: p.logicalId,
        clients: p.clients.map((c) => [c.logicalId, c.clientCredentials, c.allowedScopes]),
        domains: p.domains,
      })),
    ).toEqual([
      { id: 'Partners', clients: [['Machine', true, ['api/read']]], domains: [] },
      {
        id: 'Staff',
        clients: [
          ['Web', false, []],
          ['Plain', false, []],
        ],
        domains: ['staff'],
      },
    ]);
  });

  it('finds no pool in a template without one', () => {
    expect(userPoolsOf(resourcesOf({ Resources: { ...api2('Api') } }))).toEqual([]);
  });
});

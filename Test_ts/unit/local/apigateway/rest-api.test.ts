import type { APIGatewayProxyEvent } from 'aws-lambda';
import { LocalCognito } from '../../../../local/apigateway/cognito';
import type { HttpReply, IncomingApiRequest } from '../../../../local/apigateway/proxy-event';
import { RestApiEmulator } from '../../../../local/apigateway/rest-api';
import type { RestApiSpec } from '../../../../local/template/topology-types';
import {
  ACCOUNT,
  apiRequest,
  FakeRuntime,
  fails,
  POOL_ID,
  returns,
  TEST_API,
} from '../../../fixtures/local-services/rest-api';

let cognito: LocalCognito;

beforeAll(async () => {
  cognito = await LocalCognito.create({
    issuerBaseUrl: 'http://127.0.0.1:3000',
    userPools: [
      { userPoolId: POOL_ID, clients: [{ name: 'writer', allowedScopes: ['orders/read', 'orders/write'] }] },
    ],
  });
});

/** An access token of the pool's client with these scopes. */
async function accessToken(scope: string): Promise<string> {
  const client = cognito.clients()[0];
  if (!client) throw new Error('no app client');
  const answer = await cognito.handleTokenRequest({
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
    },
    body: `grant_type=client_credentials&scope=${encodeURIComponent(scope)}`,
  });
  return (JSON.parse(answer.body) as { access_token: string }).access_token;
}

/** A fresh emulator (fresh throttles, meters and caches) over a fake runtime with a healthy backend. */
function emulator(spec: RestApiSpec = TEST_API) {
  const runtime = new FakeRuntime().on('backend', () => returns({ statusCode: 200, body: '{"ok":true}' }));
  const api = new RestApiEmulator({
    api: spec,
    runtime: runtime.asRuntime(),
    cognito,
    accountId: ACCOUNT,
    region: 'us-east-1',
    domainName: 'api.local:3000',
  });
  const call = (stage: string, request: IncomingApiRequest) => api.handle(stage, request);
  return { api, runtime, call };
}

const bodyOf = (reply: HttpReply) => JSON.parse(reply.body.toString('utf8')) as Record<string, unknown>;

/** Checks a rejection rendered with the project's gateway responses and returns its body. */
function expectGatewayError(reply: HttpReply, status: number, code: string): Record<string, unknown> {
  expect(reply.statusCode).toBe(status);
  const body = bodyOf(reply);
  expect(body).toMatchObject({
    success: false,
    error_code: code,
    request_id: reply.headers['x-amzn-RequestId'],
  });
  return body;
}

const lastEvent = (runtime: FakeRuntime, name = 'backend') =>
  runtime.eventsOf(name).at(-1) as APIGatewayProxyEvent | undefined;

describe('RestApiEmulator routing', () => {
  let subject: ReturnType<typeof emulator>;
  beforeAll(() => {
    subject = emulator();
  });

  it.each([
    ['an unknown path', 'GET', '/v1/nope'],
    ['a method the resource lacks', 'DELETE', '/v1/orders'],
    ['a path deeper than any resource', 'GET', '/v1/orders/ord-1/lines'],
  ])('answers %s with the MISSING_AUTHENTICATION_TOKEN response', async (_, method, path) => {
    const reply = await subject.call('dev', apiRequest(method, path));
    const body = expectGatewayError(reply, 404, 'ROUTE_NOT_FOUND');
    expect(body.error_message).toBe('No such route or method');
    expect(reply.headers['Cache-Control']).toBe('no-store');
    expect(subject.runtime.invocations).toEqual([]);
  });

  it('answers an unknown stage the same way, even for a path that exists', async () => {
    expectGatewayError(await subject.call('prod', apiRequest('GET', '/v1/backend')), 404, 'ROUTE_NOT_FOUND');
    expect(subject.runtime.invocations).toEqual([]);
  });

  it('answers with AWS’s default body when the API defines no gateway responses', async () => {
    const bare = emulator({ ...TEST_API, gatewayResponses: {} });
    const reply = await bare.call('dev', apiRequest('GET', '/v1/nope'));
    expect(reply.statusCode).toBe(403);
    expect(bodyOf(reply)).toEqual({ message: 'Missing Authentication Token' });
  });

  it('routes ANY to a method of any verb', async () => {
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      expect((await subject.call('dev', apiRequest(method, '/v1/backend'))).statusCode).toBe(200);
    }
    expect(
      subject.runtime.eventsOf('backend').map((event) => (event as APIGatewayProxyEvent).httpMethod),
    ).toEqual(['GET', 'PATCH', 'DELETE']);
  });
});

describe('RestApiEmulator stage throttling', () => {
  it('throttles a stage beyond its burst with the THROTTLED response, other stages untouched', async () => {
    const { call } = emulator();
    const statuses = [];
    for (let index = 0; index < 3; index += 1) {
      statuses.push((await call('burst', apiRequest('GET', '/v1/backend'))).statusCode);
    }
    expect(statuses).toEqual([200, 200, 429]);
    const throttled = await call('burst', apiRequest('GET', '/v1/backend'));
    expectGatewayError(throttled, 429, 'THROTTLED');
    expect(throttled.headers['Retry-After']).toBe('1');
    expect((await call('dev', apiRequest('GET', '/v1/backend'))).statusCode).toBe(200);
  });
});

describe('RestApiEmulator Cognito user pool authorizer', () => {
  let subject: ReturnType<typeof emulator>;
  const order = (headers: Record<string, string>) =>
    apiRequest('POST', '/v1/orders', {
      headers: { 'content-type': 'application/json', 'idempotency-key': 'idem-1', ...headers },
      body: '{"amount":5}',
    });

  beforeAll(() => {
    subject = emulator();
    subject.runtime.on('backend', () => returns({ statusCode: 201, body: '{"accepted":true}' }));
  });

  it('answers a request without a token with 401 UNAUTHORIZED', async () => {
    expectGatewayError(await subject.call('dev', order({})), 401, 'UNAUTHORIZED');
    expect(subject.runtime.invocations).toEqual([]);
  });

  it('answers a token without the method’s scope with 401', async () => {
    const token = await accessToken('orders/read');
    expectGatewayError(await subject.call('dev', order({ authorization: token })), 401, 'UNAUTHORIZED');
  });

  it('answers a token that is not one of the pool’s with 401', async () => {
    expectGatewayError(
      await subject.call('dev', order({ authorization: 'Bearer not.a.jwt' })),
      401,
      'UNAUTHORIZED',
    );
    expect(subject.runtime.invocations).toEqual([]);
  });

  it('passes a valid token and hands its claims to the function', async () => {
    const token = await accessToken('orders/write');
    const reply = await subject.call('dev', order({ authorization: `Bearer ${token}` }));
    expect(reply.statusCode).toBe(201);
    const claims = lastEvent(subject.runtime)?.requestContext.authorizer?.claims as Record<string, string>;
    expect(claims).toMatchObject({
      scope: 'orders/write',
      token_use: 'access',
      client_id: cognito.clients()[0]?.clientId,
      iss: `http://127.0.0.1:3000/${POOL_ID}`,
    });
  });
});

describe('RestApiEmulator API keys and usage plans', () => {
  const keyed = (key?: string) =>
    apiRequest('GET', '/v1/keyed', key ? { headers: { 'x-api-key': key } } : {});

  it.each([
    ['no key', undefined],
    ['an unknown key', 'not-a-key'],
    ['a disabled key', 'disabled-key-value'],
    ['a key whose plan does not cover the stage', 'prod-key-value'],
  ])('answers %s with INVALID_API_KEY', async (_, key) => {
    const { call, runtime } = emulator();
    expectGatewayError(await call('dev', keyed(key)), 403, 'INVALID_API_KEY');
    expect(runtime.invocations).toEqual([]);
  });

  it('passes a valid key and tells the function its id', async () => {
    const { call, runtime } = emulator();
    expect((await call('dev', keyed('basic-key-value'))).statusCode).toBe(200);
    expect(lastEvent(runtime)?.requestContext.identity).toMatchObject({
      apiKeyId: 'key-basic',
      apiKey: 'basic-key-value',
    });
  });

  it('throttles a key beyond its plan’s burst with 429 THROTTLED', async () => {
    const { call } = emulator();
    expect((await call('dev', keyed('tight-key-value'))).statusCode).toBe(200);
    expectGatewayError(await call('dev', keyed('tight-key-value')), 429, 'THROTTLED');
    expect((await call('dev', keyed('basic-key-value'))).statusCode).toBe(200);
  });

  it('refuses a key past its plan’s quota with 429 QUOTA_EXCEEDED', async () => {
    const { call } = emulator();
    for (let index = 0; index < 2; index += 1) {
      expect((await call('dev', keyed('quota-key-value'))).statusCode).toBe(200);
    }
    expectGatewayError(await call('dev', keyed('quota-key-value')), 429, 'QUOTA_EXCEEDED');
  });

  it('leaves methods without apiKeyRequired open, and the function sees no key', async () => {
    const { call, runtime } = emulator();
    expect((await call('dev', apiRequest('GET', '/v1/backend'))).statusCode).toBe(200);
    expect(lastEvent(runtime)?.requestContext.identity).toMatchObject({ apiKeyId: null, apiKey: null });
  });
});

describe('RestApiEmulator request validation', () => {
  let subject: ReturnType<typeof emulator>;
  let token = '';
  const order = (body: string, headers: Record<string, string> = {}) =>
    apiRequest('POST', '/v1/orders', {
      headers: {
        authorization: token,
        'content-type': 'application/json',
        'idempotency-key': 'k',
        ...headers,
      },
      body,
    });

  beforeAll(async () => {
    subject = emulator();
    token = await accessToken('orders/write');
  });

  it('answers a missing required header with BAD_REQUEST_PARAMETERS', async () => {
    const request = apiRequest('POST', '/v1/orders', {
      headers: { authorization: token, 'content-type': 'application/json' },
      body: '{"amount":5}',
    });
    const body = expectGatewayError(await subject.call('dev', request), 400, 'VALIDATION_FAILED');
    expect(body.error_message).toBe(
      'Invalid request parameters: Missing required request parameters: [Idempotency-Key]',
    );
  });

  it('answers a missing required query string parameter, and passes once it is there', async () => {
    const missing = await subject.call('dev', apiRequest('GET', '/v1/orders'));
    expect(bodyOf(missing).error_message).toBe(
      'Invalid request parameters: Missing required request parameters: [status]',
    );
    expect(
      (await subject.call('dev', apiRequest('GET', '/v1/orders', { query: 'status=open' }))).statusCode,
    ).toBe(200);
  });

  it('looks for each required parameter where it is declared, not anywhere in the request', async () => {
    const queryInHeader = await subject.call(
      'dev',
      apiRequest('GET', '/v1/orders', { headers: { status: 'open' } }),
    );
    expect(bodyOf(queryInHeader).error_message).toBe(
      'Invalid request parameters: Missing required request parameters: [status]',
    );
    const headerInQuery = apiRequest('POST', '/v1/orders', {
      headers: { authorization: token, 'content-type': 'application/json' },
      query: 'Idempotency-Key=k',
      body: '{"amount":5}',
    });
    expect(bodyOf(await subject.call('dev', headerInQuery)).error_message).toBe(
      'Invalid request parameters: Missing required request parameters: [Idempotency-Key]',
    );
  });

  it('answers a body the model refuses with BAD_REQUEST_BODY and the validation errors', async () => {
    const invoked = subject.runtime.invocations.length;
    const missing = expectGatewayError(
      await subject.call('dev', order('{"currency":"EUR"}')),
      400,
      'VALIDATION_FAILED',
    );
    expect(missing.error_message).toBe(
      'Invalid request body: [object has missing required properties (["amount"])]',
    );
    const tooSmall = bodyOf(await subject.call('dev', order('{"amount":0}')));
    expect(tooSmall.error_message).toBe(
      'Invalid request body: [numeric instance is lower than the required minimum (minimum: 1, found: 0)]',
    );
    expect(subject.runtime.invocations).toHaveLength(invoked);
  });

  it('answers a body that is not JSON with BAD_REQUEST_BODY', async () => {
    const body = bodyOf(await subject.call('dev', order('{"amount":')));
    expect(body.error_message).toBe('Invalid request body: Could not parse request body into json');
  });

  it('picks the model by the media type, ignoring its parameters', async () => {
    const reply = await subject.call(
      'dev',
      order('{"amount":"five"}', { 'content-type': 'application/json; charset=utf-8' }),
    );
    expect(bodyOf(reply).error_code).toBe('VALIDATION_FAILED');
  });

  it('checks the authorizer before validating', async () => {
    const reply = await subject.call('dev', order('{}', { authorization: '' }));
    expect(reply.statusCode).toBe(401);
  });

  it('passes a valid body on to the function', async () => {
    expect((await subject.call('dev', order('{"amount":5,"currency":"EUR"}'))).statusCode).toBe(200);
    expect(lastEvent(subject.runtime)?.body).toBe('{"amount":5,"currency":"EUR"}');
  });
});

describe('RestApiEmulator Lambda proxy integration', () => {
  it('hands the function the proxy event of the request', async () => {
    const { call, runtime } = emulator();
    const reply = await call(
      'dev',
      apiRequest('GET', '/v1/orders/ord%207', {
        query: 'expand=lines&expand=totals',
        headers: { 'x-trace': 't-1' },
      }),
    );
    const event = lastEvent(runtime);
    expect(event).toMatchObject({
      resource: '/v1/orders/{orderId}',
      path: '/v1/orders/ord%207',
      httpMethod: 'GET',
      pathParameters: { orderId: 'ord 7' },
      queryStringParameters: { expand: 'totals' },
      multiValueQueryStringParameters: { expand: ['lines', 'totals'] },
      headers: { 'x-trace': 't-1' },
      body: null,
      requestContext: {
        stage: 'dev',
        requestId: reply.headers['x-amzn-RequestId'],
        apiId: 'api123',
        accountId: ACCOUNT,
        resourceId: 'order',
        resourcePath: '/v1/orders/{orderId}',
        path: '/dev/v1/orders/ord%207',
        domainName: 'api.local:3000',
        identity: { sourceIp: '127.0.0.9', userAgent: 'jest', apiKeyId: null },
        authorizer: null,
      },
    });
  });

  it('maps the function’s response to the HTTP answer', async () => {
    const { call, runtime } = emulator();
    runtime.on('backend', () =>
      returns({
        statusCode: 201,
        headers: { 'Content-Type': 'text/plain', 'x-order-id': 'ord-1' },
        multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
        body: Buffer.from('created!').toString('base64'),
        isBase64Encoded: true,
      }),
    );
    const reply = await call('dev', apiRequest('POST', '/v1/backend', { body: 'x' }));
    expect(reply.statusCode).toBe(201);
    expect(reply.headers).toMatchObject({
      'Content-Type': 'text/plain',
      'x-order-id': 'ord-1',
      'Set-Cookie': 'a=1, b=2',
    });
    expect(reply.body.toString()).toBe('created!');
  });

  it.each([
    ['a payload that is not an object', returns('just a string')],
    ['a status code out of range', returns({ statusCode: 42 })],
    ['a body that is not a string', returns({ statusCode: 200, body: { ok: true } })],
    ['a function error', fails('TypeError', 'boom')],
  ])('answers %s with the INTEGRATION_FAILURE response (502)', async (_, outcome) => {
    const { call, runtime } = emulator();
    runtime.on('backend', () => outcome);
    const body = expectGatewayError(
      await call('dev', apiRequest('GET', '/v1/backend')),
      502,
      'INTEGRATION_FAILURE',
    );
    expect(body.error_message).toBe('The backend failed');
  });

  it('answers a runtime that refuses the invocation (throttled) with INTEGRATION_FAILURE', async () => {
    const { call, runtime } = emulator();
    runtime.on('backend', () => {
      throw Object.assign(new Error('Rate Exceeded.'), { name: 'TooManyRequestsException' });
    });
    expectGatewayError(await call('dev', apiRequest('GET', '/v1/backend')), 502, 'INTEGRATION_FAILURE');
  });

  it('answers an invocation slower than the integration timeout with INTEGRATION_TIMEOUT', async () => {
    const { call, runtime } = emulator();
    runtime.on('slow', () => new Promise(() => undefined));
    const started = performance.now();
    const body = expectGatewayError(
      await call('dev', apiRequest('GET', '/v1/slow')),
      504,
      'INTEGRATION_TIMEOUT',
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(body.error_message).toBe('The backend did not answer in time');
  });

  it('answers a request over 10 MB with REQUEST_TOO_LARGE without invoking', async () => {
    const { call, runtime } = emulator();
    const reply = await call(
      'dev',
      apiRequest('POST', '/v1/backend', { body: Buffer.alloc(10 * 1024 * 1024 + 1) }),
    );
    expectGatewayError(reply, 413, 'PAYLOAD_TOO_LARGE');
    expect(runtime.invocations).toEqual([]);
  });
});

describe('RestApiEmulator other integrations', () => {
  it('answers a MOCK integration with 200 and no body, invoking nothing', async () => {
    const { call, runtime } = emulator();
    const reply = await call('dev', apiRequest('GET', '/v1/mock'));
    expect(reply.statusCode).toBe(200);
    expect(reply.body.length).toBe(0);
    expect(runtime.invocations).toEqual([]);
  });

  it('answers an integration it cannot run with API_CONFIGURATION_ERROR', async () => {
    const { call } = emulator();
    const body = expectGatewayError(await call('dev', apiRequest('GET', '/v1/http')), 500, 'INTERNAL_ERROR');
    expect(body.error_message).toBe('The API is misconfigured');
  });
});

describe('RestApiEmulator request ids and call records', () => {
  it('gives every answer its own x-amzn-RequestId and x-amz-apigw-id', async () => {
    const { call } = emulator();
    const first = await call('dev', apiRequest('GET', '/v1/backend'));
    const second = await call('dev', apiRequest('GET', '/v1/nope'));
    const ids = [first, second].map((reply) => reply.headers['x-amzn-RequestId']);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(ids[0]).not.toBe(ids[1]);
    expect(first.headers['x-amz-apigw-id']).toBe(ids[0]?.slice(0, 16));
  });

  it('records each call with its status and the type of a rejection', async () => {
    const { api, call } = emulator();
    const ok = await call('dev', apiRequest('GET', '/v1/backend'));
    const missing = await call('dev', apiRequest('POST', '/v1/nope'));
    expect(api.calls()).toEqual([
      {
        requestId: ok.headers['x-amzn-RequestId'],
        method: 'GET',
        path: '/dev/v1/backend',
        status: 200,
        latencyMs: expect.any(Number),
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        errorType: undefined,
      },
      expect.objectContaining({
        requestId: missing.headers['x-amzn-RequestId'],
        path: '/dev/v1/nope',
        status: 404,
        errorType: 'MISSING_AUTHENTICATION_TOKEN',
      }),
    ]);
    expect(api.calls(1).map((entry) => entry.status)).toEqual([404]);
  });

  it('knows its stages and its spec', () => {
    const { api } = emulator();
    expect(api.hasStage('dev')).toBe(true);
    expect(api.hasStage('prod')).toBe(false);
    expect(api.api).toBe(TEST_API);
  });
});

describe('RestApiEmulator Lambda TOKEN authorizer', () => {
  const METHOD_ARN = `arn:aws:execute-api:us-east-1:${ACCOUNT}:api123/dev/GET/v1/token`;
  const policy = (effect: string) => ({
    principalId: 'user-7',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: METHOD_ARN }],
    },
    context: { tenant: 'acme', tier: 'gold' },
  });
  const tokenRequest = (token?: string) =>
    apiRequest('GET', '/v1/token', token ? { headers: { authorization: token } } : {});

  afterEach(() => jest.restoreAllMocks());

  it('answers a request without the identity header with 401, invoking nothing', async () => {
    const { call, runtime } = emulator();
    expectGatewayError(await call('dev', tokenRequest()), 401, 'UNAUTHORIZED');
    expect(runtime.invocations).toEqual([]);
  });

  it('invokes the authorizer with the token and the method ARN, and passes its context on', async () => {
    const { call, runtime } = emulator();
    runtime.on('authz', () => returns(policy('Allow')));
    expect((await call('dev', tokenRequest('allow-me'))).statusCode).toBe(200);
    expect(runtime.eventsOf('authz')).toEqual([
      { type: 'TOKEN', authorizationToken: 'allow-me', methodArn: METHOD_ARN },
    ]);
    expect(lastEvent(runtime)?.requestContext.authorizer).toEqual({
      principalId: 'user-7',
      tenant: 'acme',
      tier: 'gold',
    });
  });

  it('answers a Deny policy with 403 ACCESS_DENIED', async () => {
    const { call, runtime } = emulator();
    runtime.on('authz', () => returns(policy('Deny')));
    expectGatewayError(await call('dev', tokenRequest('deny-me')), 403, 'FORBIDDEN');
    expect(runtime.eventsOf('backend')).toEqual([]);
  });

  it('answers an `Unauthorized` error with 401 and any other failure with AUTHORIZER_FAILURE', async () => {
    const { call, runtime } = emulator();
    runtime.on('authz', (event) =>
      (event as { authorizationToken: string }).authorizationToken === 'expired'
        ? fails('Error', 'Unauthorized')
        : fails('TypeError', 'boom'),
    );
    expectGatewayError(await call('dev', tokenRequest('expired')), 401, 'UNAUTHORIZED');
    const failure = expectGatewayError(await call('dev', tokenRequest('crash')), 500, 'INTERNAL_ERROR');
    expect(failure.error_message).toBe('The authorizer failed');
  });

  it('caches the decision per token for the authorizer’s TTL', async () => {
    const { call, runtime } = emulator();
    runtime.on('authz', () => returns(policy('Allow')));
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    await call('dev', tokenRequest('cached'));
    await call('dev', tokenRequest('cached'));
    expect(runtime.eventsOf('authz')).toHaveLength(1);
    await call('dev', tokenRequest('another'));
    expect(runtime.eventsOf('authz')).toHaveLength(2);
    clock.mockReturnValue(now + 301_000);
    await call('dev', tokenRequest('cached'));
    expect(runtime.eventsOf('authz')).toHaveLength(3);
  });

  it('evaluates a cached policy against each request’s own method ARN', async () => {
    const { call, runtime } = emulator();
    runtime.on('authz', () => returns(policy('Allow')));
    expect((await call('dev', tokenRequest('scoped'))).statusCode).toBe(200);
    // The same token on another stage: the cached policy covers only the dev stage's ARN.
    expectGatewayError(await call('burst', tokenRequest('scoped')), 403, 'FORBIDDEN');
    expect(runtime.eventsOf('authz')).toHaveLength(1);
  });

  it('invokes the authorizer every time when its TTL is 0, reading its own identity header', async () => {
    const { call, runtime } = emulator();
    runtime.on('authz', () =>
      returns({ ...policy('Allow'), policyDocument: { Statement: [{ Effect: 'Allow', Resource: '*' }] } }),
    );
    const request = apiRequest('GET', '/v1/uncached', { headers: { 'x-token': 'tok' } });
    await call('dev', request);
    await call('dev', request);
    expect(runtime.eventsOf('authz')).toEqual([
      expect.objectContaining({ authorizationToken: 'tok' }),
      expect.objectContaining({ authorizationToken: 'tok' }),
    ]);
  });

  it('hands a REQUEST authorizer the whole request', async () => {
    const { call, runtime } = emulator();
    runtime.on('authz', () =>
      returns({ principalId: 'p', policyDocument: { Statement: [{ Effect: 'Allow', Resource: '*' }] } }),
    );
    const reply = await call(
      'dev',
      apiRequest('GET', '/v1/request', { query: 'a=1', headers: { 'x-token': 'tok' } }),
    );
    expect(reply.statusCode).toBe(200);
    expect(runtime.eventsOf('authz')[0]).toMatchObject({
      type: 'REQUEST',
      methodArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:api123/dev/GET/v1/request`,
      path: '/v1/request',
      headers: { 'x-token': 'tok' },
      queryStringParameters: { a: '1' },
    });
  });

  it('answers a method whose authorizer does not exist with AUTHORIZER_CONFIGURATION_ERROR', async () => {
    const { call } = emulator();
    expectGatewayError(await call('dev', apiRequest('GET', '/v1/misconfigured')), 500, 'INTERNAL_ERROR');
  });
});

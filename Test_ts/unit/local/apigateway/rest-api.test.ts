import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ACCOUNT, apiRequest, fails, returns, TEST_API } from '../../../fixtures/local-services/rest-api';
import {
  bodyOf,
  expectGatewayError,
  lastEvent,
  restApiHarness,
} from '../../../fixtures/local-services/rest-api-harness';

const { accessToken, emulator } = restApiHarness();

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

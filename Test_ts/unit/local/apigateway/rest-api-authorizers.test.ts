import { ACCOUNT, apiRequest, fails, POOL_ID, returns } from '../../../fixtures/local-services/rest-api';
import {
  expectGatewayError,
  lastEvent,
  restApiHarness,
} from '../../../fixtures/local-services/rest-api-harness';

const { accessToken, emulator, cognito } = restApiHarness();

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
      client_id: cognito().clients()[0]?.clientId,
      iss: `http://127.0.0.1:3000/${POOL_ID}`,
    });
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

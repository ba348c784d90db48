import { proxyEvent, proxyReply, requestTime } from '../../../../local/apigateway/proxy-event';

const request = {
  method: 'POST',
  path: '/v1/orders',
  query: new URLSearchParams('a=1&a=2&b=x'),
  headers: {
    'content-type': 'application/json',
    'x-api-key': 'key',
    'user-agent': 'curl/8',
    accept: ['a', 'b'],
  },
  body: Buffer.from('{"hello":"world"}'),
  sourceIp: '127.0.0.1',
};
const context = {
  apiId: 'abc123',
  accountId: '000000000000',
  stage: 'dev',
  resourceId: 'res1',
  resourcePath: '/v1/orders',
  pathParameters: {},
  requestId: 'req-1',
  domainName: '127.0.0.1:3000',
  apiKeyId: 'key-id',
  apiKey: 'key',
  authorizer: { claims: { client_id: 'c1', scope: 'orders/write' } },
};

describe('proxyEvent', () => {
  const event = proxyEvent(request, context);

  it('carries the request as API Gateway does for a Lambda proxy integration', () => {
    expect(event).toMatchObject({
      resource: '/v1/orders',
      path: '/v1/orders',
      httpMethod: 'POST',
      body: '{"hello":"world"}',
      isBase64Encoded: false,
      queryStringParameters: { a: '2', b: 'x' },
      multiValueQueryStringParameters: { a: ['1', '2'], b: ['x'] },
      pathParameters: null,
      stageVariables: null,
    });
    expect(event.headers).toMatchObject({ 'content-type': 'application/json', accept: 'b' });
    expect(event.multiValueHeaders.accept).toEqual(['a', 'b']);
  });

  it('fills the request context: stage path, request id, API key, authorizer claims', () => {
    expect(event.requestContext).toMatchObject({
      apiId: 'abc123',
      stage: 'dev',
      path: '/dev/v1/orders',
      requestId: 'req-1',
      resourcePath: '/v1/orders',
      identity: { apiKeyId: 'key-id', apiKey: 'key', sourceIp: '127.0.0.1', userAgent: 'curl/8' },
      authorizer: { claims: { client_id: 'c1', scope: 'orders/write' } },
    });
    expect(event.requestContext.requestTime).toMatch(
      /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/,
    );
  });

  it('base64-encodes a binary body', () => {
    const binary = proxyEvent(
      { ...request, headers: { 'content-type': 'image/png' }, body: Buffer.from([1, 2, 3]) },
      context,
    );
    expect(binary).toMatchObject({ isBase64Encoded: true, body: 'AQID' });
  });

  it('has no body for an empty request', () => {
    expect(proxyEvent({ ...request, body: Buffer.alloc(0) }, context).body).toBeNull();
  });
});

describe('requestTime', () => {
  it('formats like API Gateway', () => {
    expect(requestTime(new Date('2025-01-05T09:03:07Z'))).toBe('05/Jan/2025:09:03:07 +0000');
  });
});

describe('proxyReply', () => {
  it('maps status, headers and body', () => {
    const reply = proxyReply({
      statusCode: 202,
      headers: { 'X-A': 'b' },
      multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
      body: '{"ok":true}',
    });
    expect(reply?.statusCode).toBe(202);
    expect(reply?.headers).toEqual({ 'X-A': 'b', 'Set-Cookie': 'a=1, b=2' });
    expect(reply?.body.toString()).toBe('{"ok":true}');
  });

  it('decodes a base64 body', () => {
    expect(proxyReply({ statusCode: 200, body: 'aGk=', isBase64Encoded: true })?.body.toString()).toBe('hi');
  });

  it.each([
    ['not an object', 'ok'],
    ['a bad status', { statusCode: 'two hundred' }],
    ['a non-string body', { statusCode: 200, body: { a: 1 } }],
    ['null', null],
  ])('refuses a malformed response: %s', (_, payload) => {
    expect(proxyReply(payload)).toBeUndefined();
  });
});

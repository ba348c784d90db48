import {
  DEFAULT_MESSAGE,
  DEFAULT_STATUS,
  type GatewayErrorContext,
  type GatewayResponseDefinition,
  type GatewayResponseType,
  renderGatewayResponse,
} from '../../../../local/apigateway/gateway-responses';

const context: GatewayErrorContext = {
  requestId: 'req-1',
  httpMethod: 'POST',
  resourcePath: '/v1/orders',
  path: '/prod/v1/orders',
  stage: 'prod',
  requestHeaders: { Origin: 'https://shop.example', 'x-correlation-id': 'corr-9' },
};

type Definitions = Partial<Record<GatewayResponseType, GatewayResponseDefinition>>;

describe('defaults', () => {
  it.each([
    ['MISSING_AUTHENTICATION_TOKEN', 403, 'Missing Authentication Token'],
    ['UNAUTHORIZED', 401, 'Unauthorized'],
    ['ACCESS_DENIED', 403, 'User is not authorized to access this resource'],
    ['INVALID_API_KEY', 403, 'Forbidden'],
    ['THROTTLED', 429, 'Too Many Requests'],
    ['QUOTA_EXCEEDED', 429, 'Limit Exceeded'],
    ['BAD_REQUEST_BODY', 400, 'Invalid request body'],
    ['REQUEST_TOO_LARGE', 413, 'Request Too Long'],
    ['UNSUPPORTED_MEDIA_TYPE', 415, 'Unsupported Media Type'],
    ['INTEGRATION_TIMEOUT', 504, 'Endpoint request timed out'],
    ['INTEGRATION_FAILURE', 504, 'Internal server error'],
    ['API_CONFIGURATION_ERROR', 500, 'Internal server error'],
    ['RESOURCE_NOT_FOUND', 404, 'Resource not found'],
  ] as const)('%s → %i %s', (type, status, message) => {
    expect(DEFAULT_STATUS[type]).toBe(status);
    expect(DEFAULT_MESSAGE[type]).toBe(message);
  });

  it('renders AWS’s default {"message": …} body when the API defines nothing', () => {
    const answer = renderGatewayResponse('MISSING_AUTHENTICATION_TOKEN', {}, context);
    expect(answer).toEqual({
      statusCode: 403,
      headers: { 'Content-Type': 'application/json' },
      body: '{"message":"Missing Authentication Token"}',
    });
  });

  it('uses the caller’s message over the AWS default, JSON-escaped', () => {
    const answer = renderGatewayResponse(
      'BAD_REQUEST_PARAMETERS',
      {},
      {
        ...context,
        message: 'Missing required request parameters: [Idempotency-Key] "quoted"',
      },
    );
    expect(JSON.parse(answer.body)).toEqual({
      message: 'Missing required request parameters: [Idempotency-Key] "quoted"',
    });
  });
});

describe('a specific definition', () => {
  const definitions: Definitions = {
    BAD_REQUEST_BODY: {
      StatusCode: '422',
      ResponseParameters: {
        'gatewayresponse.header.Cache-Control': "'no-store'",
        'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.origin',
        'gatewayresponse.header.X-Missing': 'method.request.header.X-Not-Sent',
      },
      ResponseTemplates: {
        'application/json':
          '{"code":"$context.error.responseType","msg":$context.error.messageString,"detail":"$context.error.validationErrorString","id":"$context.requestId","at":"$context.httpMethod $context.resourcePath $context.path $context.stage"}',
      },
    },
    DEFAULT_4XX: {
      StatusCode: '400',
      ResponseParameters: { 'gatewayresponse.header.X-Default': "'4xx'" },
      ResponseTemplates: { 'application/json': '{"fallback":true}' },
    },
  };

  it('renders its status, headers and template, substituting $context variables', () => {
    // API Gateway escapes the validation error string for a JSON string literal.
    const answer = renderGatewayResponse('BAD_REQUEST_BODY', definitions, {
      ...context,
      validationErrorString: '[object has missing required properties (["items"])]',
    });
    expect(answer.statusCode).toBe(422);
    expect(answer.headers).toEqual({
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      'Access-Control-Allow-Origin': 'https://shop.example',
    });
    expect(JSON.parse(answer.body)).toEqual({
      code: 'BAD_REQUEST_BODY',
      msg: 'Invalid request body',
      detail: '[object has missing required properties (["items"])]',
      id: 'req-1',
      at: 'POST /v1/orders /prod/v1/orders prod',
    });
  });

  it('does not inherit DEFAULT_4XX headers or templates', () => {
    const answer = renderGatewayResponse('BAD_REQUEST_BODY', definitions, context);
    expect(answer.headers).not.toHaveProperty('X-Default');
    expect(answer.body).not.toContain('fallback');
  });

  it('keeps the AWS default body when it only sets headers', () => {
    const answer = renderGatewayResponse(
      'THROTTLED',
      { THROTTLED: { ResponseParameters: { 'gatewayresponse.header.Retry-After': "'1'" } } },
      context,
    );
    expect(answer).toEqual({
      statusCode: 429,
      headers: { 'Content-Type': 'application/json', 'Retry-After': '1' },
      body: '{"message":"Too Many Requests"}',
    });
  });

  it('takes its status from DEFAULT_4XX when it sets none, else from the AWS default', () => {
    const unauthorized: Definitions = { UNAUTHORIZED: { ResponseTemplates: { 'application/json': '{}' } } };
    expect(renderGatewayResponse('UNAUTHORIZED', unauthorized, context).statusCode).toBe(401);
    expect(
      renderGatewayResponse('UNAUTHORIZED', { ...unauthorized, DEFAULT_4XX: { StatusCode: '418' } }, context)
        .statusCode,
    ).toBe(418);
  });
});

describe('the DEFAULT_4XX / DEFAULT_5XX fallback', () => {
  const definitions: Definitions = {
    DEFAULT_4XX: {
      ResponseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
      ResponseTemplates: {
        'application/json': '{"error_code":"REJECTED","error_message":$context.error.messageString}',
      },
    },
    DEFAULT_5XX: {
      StatusCode: '503',
      ResponseTemplates: { 'application/json': '{"error_message":$context.error.messageString}' },
    },
  };

  it('applies DEFAULT_4XX to a 4xx type the API does not define, keeping its own status', () => {
    const answer = renderGatewayResponse('INVALID_API_KEY', definitions, context);
    expect(answer.statusCode).toBe(403);
    expect(answer.headers['Access-Control-Allow-Origin']).toBe('*');
    expect(JSON.parse(answer.body)).toEqual({ error_code: 'REJECTED', error_message: 'Forbidden' });
  });

  it('applies DEFAULT_5XX, whose status code replaces every undefined 5xx type’s', () => {
    const answer = renderGatewayResponse('INTEGRATION_TIMEOUT', definitions, context);
    expect(answer.statusCode).toBe(503);
    expect(JSON.parse(answer.body)).toEqual({ error_message: 'Endpoint request timed out' });
  });

  it('does not apply DEFAULT_4XX to a 5xx type', () => {
    const answer = renderGatewayResponse(
      'API_CONFIGURATION_ERROR',
      { DEFAULT_4XX: definitions.DEFAULT_4XX },
      context,
    );
    expect(answer).toEqual({
      statusCode: 500,
      headers: { 'Content-Type': 'application/json' },
      body: '{"message":"Internal server error"}',
    });
  });
});

describe('templates', () => {
  it('picks the application/json template over others and sets its content type', () => {
    const answer = renderGatewayResponse(
      'UNAUTHORIZED',
      {
        UNAUTHORIZED: {
          ResponseTemplates: { 'text/plain': 'nope', 'application/json': '{"json":true}' },
        },
      },
      context,
    );
    expect(answer.body).toBe('{"json":true}');
    expect(answer.headers['Content-Type']).toBe('application/json');
  });

  it('falls back to the only template there is, under its content type', () => {
    const answer = renderGatewayResponse(
      'UNAUTHORIZED',
      { UNAUTHORIZED: { ResponseTemplates: { 'text/plain': 'denied $context.requestId' } } },
      context,
    );
    expect(answer.body).toBe('denied req-1');
    expect(answer.headers['Content-Type']).toBe('text/plain');
  });

  it('lets a response parameter override the content type', () => {
    const answer = renderGatewayResponse(
      'UNAUTHORIZED',
      {
        UNAUTHORIZED: {
          ResponseParameters: { 'gatewayresponse.header.content-type': "'application/problem+json'" },
        },
      },
      context,
    );
    expect(answer.headers).toEqual({ 'content-type': 'application/problem+json' });
  });

  it('renders $context.error.message raw, braces syntax, unknown variables as empty and stray text as is', () => {
    const answer = renderGatewayResponse(
      'THROTTLED',
      {
        THROTTLED: {
          ResponseTemplates: {
            'application/json':
              // biome-ignore lint/suspicious/noTemplateCurlyInString: API Gateway's own ${context.x} form
              'm=$context.error.message; s=${context.stage}; d=$context.domainName; u=[$context.nope]; $ctx; end $context.requestId.',
          },
        },
      },
      { ...context, domainName: 'api.example.com' },
    );
    expect(answer.body).toBe('m=Too Many Requests; s=prod; d=api.example.com; u=[]; $ctx; end req-1.');
  });

  it('renders an empty validation error string when there is none', () => {
    const answer = renderGatewayResponse(
      'BAD_REQUEST_BODY',
      {
        BAD_REQUEST_BODY: {
          ResponseTemplates: { 'application/json': '"$context.error.validationErrorString"' },
        },
      },
      context,
    );
    expect(answer.body).toBe('""');
  });
});

describe('the project’s own gateway responses', () => {
  it('render the standard error format', () => {
    const template =
      '{"success":false,"error_code":"VALIDATION_FAILED","error_message":"Invalid request body: $context.error.validationErrorString","request_id":"$context.requestId"}';
    const answer = renderGatewayResponse(
      'BAD_REQUEST_BODY',
      {
        BAD_REQUEST_BODY: {
          StatusCode: '400',
          ResponseParameters: { 'gatewayresponse.header.Cache-Control': "'no-store'" },
          ResponseTemplates: { 'application/json': template },
        },
      },
      {
        ...context,
        validationErrorString: '[numeric instance is lower than the required minimum (minimum: 1, found: 0)]',
      },
    );
    expect(JSON.parse(answer.body)).toEqual({
      success: false,
      error_code: 'VALIDATION_FAILED',
      error_message:
        'Invalid request body: [numeric instance is lower than the required minimum (minimum: 1, found: 0)]',
      request_id: 'req-1',
    });
  });
});

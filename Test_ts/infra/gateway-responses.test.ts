import { Match } from 'aws-cdk-lib/assertions';
import { addStandardGatewayResponses } from '../../lib/edge/gateway-responses';
import { ERROR_STATUS } from '../../utils/http/errors';
import { bareRestApi } from '../support/rest-api';
import { templateOf, testStack } from '../support/stacks';

function gatewayResponses() {
  const stack = testStack();
  addStandardGatewayResponses(bareRestApi(stack));
  return templateOf(stack);
}

/** What API Gateway substitutes at run time, including a message with quotes in it. */
const render = (template: string) =>
  template
    .replaceAll('$context.requestId', 'req-1')
    .replaceAll('$context.error.messageString', '"Some \\"quoted\\" message"')
    .replaceAll('$context.error.validationErrorString', '[instance failed to match]');

describe('standard gateway responses', () => {
  it('rewrite every gateway error into the standard error format', () => {
    const responses = Object.values(gatewayResponses().findResources('AWS::ApiGateway::GatewayResponse'));
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
    for (const response of Object.values(
      gatewayResponses().findResources('AWS::ApiGateway::GatewayResponse'),
    )) {
      if (String(response.Properties.ResponseType).startsWith('DEFAULT_')) continue;
      const body = JSON.parse(render(response.Properties.ResponseTemplates['application/json']));
      const status = ERROR_STATUS[body.error_code as keyof typeof ERROR_STATUS];
      expect({ type: response.Properties.ResponseType, status: String(status) }).toEqual({
        type: response.Properties.ResponseType,
        status: response.Properties.StatusCode,
      });
    }
  });

  it('keep the status of the errors the defaults cover', () => {
    const template = gatewayResponses();
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        StatusCode: Match.absent(),
      });
    }
  });

  it('answer an unknown route with 404 ROUTE_NOT_FOUND, not a bare 403', () => {
    gatewayResponses().hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
      StatusCode: '404',
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"error_code":"ROUTE_NOT_FOUND"') },
    });
  });

  it('tell a throttled client when to retry, and never let an error be cached', () => {
    gatewayResponses().hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'THROTTLED',
      StatusCode: '429',
      ResponseParameters: {
        'gatewayresponse.header.Retry-After': "'1'",
        'gatewayresponse.header.Cache-Control': "'no-store'",
      },
    });
  });
});

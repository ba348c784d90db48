import type { APIGatewayProxyEvent } from 'aws-lambda';
import { correlationFromRequest } from '../../../utils/http/correlation';

function request(headers: Record<string, string>, claims?: Record<string, string>): APIGatewayProxyEvent {
  return {
    headers,
    requestContext: {
      requestId: 'req-123',
      authorizer: claims ? { claims } : null,
      identity: { apiKeyId: 'key-id-9' },
    },
  } as unknown as APIGatewayProxyEvent;
}

describe('correlationFromRequest', () => {
  it('takes the correlation id the caller sent', () => {
    const correlation = correlationFromRequest(request({ 'x-correlation-id': 'caller-corr-1' }));
    expect(correlation.correlationId).toBe('caller-corr-1');
    expect(correlation.causationId).toBe('req-123');
    expect(correlation.requestId).toBe('req-123');
  });

  it('generates one when the caller sent none or an unusable one', () => {
    const none = correlationFromRequest(request({}));
    const bad = correlationFromRequest(request({ 'X-Correlation-Id': 'has spaces and {braces}' }));
    expect(none.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(bad.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(bad.rejectedCorrelationId).toBe(true);
  });

  it('identifies the client from its token, else from its API key', () => {
    expect(
      correlationFromRequest(request({}, { client_id: 'app-client-1', sub: 'app-client-1' })).clientId,
    ).toBe('app-client-1');
    expect(correlationFromRequest(request({})).clientId).toBe('api-key:key-id-9');
  });

  it('takes the user id from the token subject', () => {
    expect(correlationFromRequest(request({}, { client_id: 'c', sub: 'subject-7' })).userId).toBe(
      'subject-7',
    );
    expect(correlationFromRequest(request({})).userId).toBeUndefined();
  });
});

import {
  JunctionError,
  MalformedJsonError,
  RequestValidationError,
  ServiceUnavailableError,
} from '../../../utils/http/errors';
import { errorResponse, successResponse } from '../../../utils/http/responses';

const now = () => new Date('2025-01-15T10:00:00.000Z');

describe('responses', () => {
  it('wrap success in the standard format with a timestamp', () => {
    const response = successResponse(202, { order_id: 'ord-1' }, { correlationId: 'c-1', now });
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body)).toEqual({
      success: true,
      order_id: 'ord-1',
      timestamp: '2025-01-15T10:00:00.000Z',
    });
    expect(response.headers).toMatchObject({
      'Content-Type': 'application/json',
      'X-Correlation-Id': 'c-1',
      'Cache-Control': 'no-store',
    });
  });

  it('wrap a typed error in the standard error format', () => {
    const response = errorResponse(new MalformedJsonError('Request body is not valid JSON'), {
      requestId: 'req-123',
      correlationId: 'c-1',
    });
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      success: false,
      error_code: 'MALFORMED_JSON',
      error_message: 'Request body is not valid JSON',
      request_id: 'req-123',
    });
  });

  it('list the failing fields of a validation error', () => {
    const error = new RequestValidationError([{ field: 'currency', message: 'Invalid' }]);
    const body = JSON.parse(errorResponse(error, { requestId: 'r', correlationId: 'c' }).body);
    expect(body.details).toEqual([{ field: 'currency', message: 'Invalid' }]);
  });

  it('tell the client when to retry a retryable error', () => {
    const response = errorResponse(new ServiceUnavailableError('Bus unavailable'), {
      requestId: 'r',
      correlationId: 'c',
    });
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['Retry-After']).toBe('1');
  });

  it("give the error's own Retry-After when it knows one", () => {
    const error = new JunctionError('PROVIDER_UNAVAILABLE', 'Circuit open', {
      retryable: true,
      retryAfterSeconds: 17,
    });
    expect(errorResponse(error, { requestId: 'r', correlationId: 'c' }).headers?.['Retry-After']).toBe('17');
    const final = new JunctionError('INVALID_AMOUNT', 'Amount must be positive', { retryAfterSeconds: 17 });
    expect(
      errorResponse(final, { requestId: 'r', correlationId: 'c' }).headers?.['Retry-After'],
    ).toBeUndefined();
  });
});

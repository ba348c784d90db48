import {
  ERROR_STATUS,
  EventPublishError,
  IdempotencyKeyReusedError,
  JunctionError,
  MalformedJsonError,
  PayloadTooLargeError,
  RequestValidationError,
} from '../../../utils/http/errors';

describe('typed errors', () => {
  it('map to their status codes through one table', () => {
    expect(new MalformedJsonError('x').status).toBe(400);
    expect(new RequestValidationError([{ field: 'a', message: 'Required' }]).status).toBe(400);
    expect(new PayloadTooLargeError(10, 5).status).toBe(413);
    expect(new IdempotencyKeyReusedError().status).toBe(422);
    expect(new EventPublishError([{ code: 'ThrottlingException', message: 'slow down' }]).status).toBe(503);
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect(new JunctionError(code as keyof typeof ERROR_STATUS, 'm').status).toBe(status);
    }
  });

  it('name the fields in a validation error', () => {
    const error = new RequestValidationError([
      { field: 'items[0].quantity', message: 'Too small: expected number to be >=1' },
      { field: 'currency', message: 'Invalid string' },
    ]);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe(
      'Invalid request body: items[0].quantity: Too small: expected number to be >=1; currency: Invalid string',
    );
    expect(error.details).toHaveLength(2);
  });

  it('say which size was exceeded', () => {
    expect(new PayloadTooLargeError(70_000, 65_536).message).toBe(
      'Request body is 70000 bytes; the limit is 65536 bytes',
    );
  });

  it('keep the failed entries of a PutEvents call', () => {
    const error = new EventPublishError([{ code: 'InternalFailure', message: 'boom' }]);
    expect(error.message).toContain('InternalFailure: boom');
    expect(error.retryable).toBe(true);
  });
});

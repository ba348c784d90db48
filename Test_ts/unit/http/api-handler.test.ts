import { handleApiRequest } from '../../../utils/http/api-handler';
import { MalformedJsonError } from '../../../utils/http/errors';
import { logger, tracer } from '../../../utils/observability/powertools';
import { CredentialsError } from '../../../utils/security/credentials';
import { postOrderEvent } from '../../support/api-events';
import { captureStderr, captureStdout } from '../../support/stdout';

describe('handleApiRequest', () => {
  it('wraps the result in the standard format with its headers and the correlation id', async () => {
    const response = await handleApiRequest('POST /v1/orders', postOrderEvent(), async () => ({
      statusCode: 202,
      body: { order_id: 'ord-1' },
      headers: { 'Idempotent-Replayed': 'true' },
    }));
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body)).toMatchObject({ success: true, order_id: 'ord-1' });
    expect(response.headers).toMatchObject({
      'Idempotent-Replayed': 'true',
      'X-Correlation-Id': 'c0ffee00-0000-4000-8000-000000000001',
    });
  });

  it('hands the work the request correlation', async () => {
    const seen: string[] = [];
    await handleApiRequest(
      'POST /v1/orders',
      postOrderEvent({ clientId: 'client-z' }),
      async (correlation) => {
        seen.push(correlation.clientId, correlation.causationId);
        return { statusCode: 200, body: {} };
      },
    );
    expect(seen).toEqual(['client-z', 'req-8d3b1f2a']);
  });

  it('adds the correlation ids to every log line of the request', async () => {
    logger.setLogLevel('INFO');
    const stdout = captureStdout();
    try {
      await handleApiRequest('POST /v1/orders', postOrderEvent(), async () => {
        logger.info('inside the request');
        return { statusCode: 200, body: {} };
      });
    } finally {
      stdout.restore();
      logger.setLogLevel('SILENT');
    }
    expect(stdout.json().find((line) => line.message === 'inside the request')).toMatchObject({
      correlation_id: 'c0ffee00-0000-4000-8000-000000000001',
      causation_id: 'req-8d3b1f2a',
      request_id: 'req-8d3b1f2a',
      client_id: 'demo-partner-client',
    });
  });

  it('annotates the trace with the correlation id, so X-Ray can find the request by it', async () => {
    const annotate = jest.spyOn(tracer, 'putAnnotation').mockImplementation(() => undefined);
    try {
      await handleApiRequest('POST /v1/orders', postOrderEvent(), async () => ({
        statusCode: 200,
        body: {},
      }));
      expect(annotate).toHaveBeenCalledWith('correlation_id', 'c0ffee00-0000-4000-8000-000000000001');
    } finally {
      annotate.mockRestore();
    }
  });

  it('maps a typed error to its status in the standard error format', async () => {
    const response = await handleApiRequest('POST /v1/orders', postOrderEvent(), async () => {
      throw new MalformedJsonError('Request body is not valid JSON');
    });
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      success: false,
      error_code: 'MALFORMED_JSON',
      error_message: 'Request body is not valid JSON',
      request_id: 'req-8d3b1f2a',
    });
  });

  it('never leaks the message of an unexpected error', async () => {
    const response = await handleApiRequest('POST /v1/orders', postOrderEvent(), async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.12:443 (internal host)');
    });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('ECONNREFUSED');
    expect(JSON.parse(response.body).error_code).toBe('INTERNAL_ERROR');
  });

  it('never leaks the message of an internal error, while the log keeps it', async () => {
    logger.setLogLevel('INFO');
    const stdout = captureStdout();
    const stderr = captureStderr();
    let response: Awaited<ReturnType<typeof handleApiRequest>>;
    try {
      response = await handleApiRequest('POST /v1/orders', postOrderEvent(), async () => {
        throw new CredentialsError(
          'The secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:payment-AbCdEf could not be read',
        );
      });
    } finally {
      stdout.restore();
      stderr.restore();
      logger.setLogLevel('SILENT');
    }
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toMatchObject({
      error_code: 'INTERNAL_ERROR',
      error_message: 'An unexpected error occurred',
    });
    expect(response.body).not.toContain('123456789012');
    expect(JSON.stringify([...stdout.json(), ...stderr.json()])).toContain(
      'secret:payment-AbCdEf could not be read',
    );
  });

  it('logs one line per handled request, with its status, duration and correlation keys', async () => {
    logger.setLogLevel('INFO');
    const stdout = captureStdout();
    try {
      await handleApiRequest('POST /v1/orders', postOrderEvent(), async () => ({
        statusCode: 202,
        body: {},
      }));
    } finally {
      stdout.restore();
      logger.setLogLevel('SILENT');
    }
    expect(stdout.json().filter((line) => line.message === 'Request handled')).toEqual([
      expect.objectContaining({
        endpoint: 'POST /v1/orders',
        status: 202,
        duration_ms: expect.any(Number),
        correlation_id: 'c0ffee00-0000-4000-8000-000000000001',
      }),
    ]);
  });
});

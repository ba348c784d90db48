import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { logger, tracer } from '../observability/powertools';
import { recordRequest } from '../observability/request-metrics';
import { correlationFromRequest, type RequestCorrelation } from './correlation';
import { JunctionError } from './errors';
import { errorResponse, successResponse } from './responses';

export interface ApiSuccess {
  readonly statusCode: 200 | 201 | 202;
  readonly body: Readonly<Record<string, unknown>>;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a client sees of an error: an internal one says nothing of its cause (a host, an ARN). */
function asJunctionError(error: unknown): JunctionError {
  if (error instanceof JunctionError && error.code !== 'INTERNAL_ERROR') return error;
  return new JunctionError('INTERNAL_ERROR', 'An unexpected error occurred', { cause: error });
}

/**
 * The frame of every API handler: correlation ids in every log line and trace, the standard
 * success and error formats, typed errors mapped to status codes, request metrics. A handler
 * never throws to API Gateway, so a client never sees a bare gateway error.
 */
export async function handleApiRequest(
  endpoint: string,
  event: APIGatewayProxyEvent,
  work: (correlation: RequestCorrelation) => Promise<ApiSuccess>,
): Promise<APIGatewayProxyResult> {
  const started = performance.now();
  const correlation = correlationFromRequest(event);
  logger.appendKeys({
    correlation_id: correlation.correlationId,
    causation_id: correlation.causationId,
    request_id: correlation.requestId,
    client_id: correlation.clientId,
  });
  tracer.putAnnotation('correlation_id', correlation.correlationId);
  if (correlation.rejectedCorrelationId) logger.warn('Replaced an unusable X-Correlation-Id header');

  let response: APIGatewayProxyResult;
  let errorType: string | undefined;
  try {
    const result = await work(correlation);
    response = successResponse(result.statusCode, result.body, { correlationId: correlation.correlationId });
    response.headers = { ...response.headers, ...result.headers };
  } catch (caught) {
    const error = asJunctionError(caught);
    errorType = error.code;
    if (error.status >= 500) logger.error('Request failed', { error: caught, error_code: error.code });
    else logger.warn('Request rejected', { error_code: error.code, error_message: error.message });
    response = errorResponse(error, {
      requestId: correlation.requestId,
      correlationId: correlation.correlationId,
    });
  }
  const durationMs = performance.now() - started;
  recordRequest(endpoint, response.statusCode, durationMs, errorType);
  // One access line per request: the first hop of every request's timeline.
  logger.info('Request handled', {
    endpoint,
    status: response.statusCode,
    duration_ms: Math.round(durationMs),
  });
  return response;
}

import type { APIGatewayProxyResult } from 'aws-lambda';
import type { JunctionError } from './errors';

export interface ResponseContext {
  readonly correlationId: string;
  readonly now?: () => Date;
}

export interface ErrorResponseContext {
  readonly requestId: string;
  readonly correlationId: string;
}

function headers(correlationId: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    'X-Correlation-Id': correlationId,
    ...extra,
  };
}

/** `{"success": true, ..., "timestamp": "…"}` */
export function successResponse(
  statusCode: 200 | 201 | 202,
  payload: Readonly<Record<string, unknown>>,
  context: ResponseContext,
): APIGatewayProxyResult {
  const timestamp = (context.now ?? (() => new Date()))().toISOString();
  return {
    statusCode,
    headers: headers(context.correlationId),
    body: JSON.stringify({ success: true, ...payload, timestamp }),
  };
}

/** `{"success": false, "error_code", "error_message", "request_id"}`, plus `details` for field errors. */
export function errorResponse(error: JunctionError, context: ErrorResponseContext): APIGatewayProxyResult {
  return {
    statusCode: error.status,
    headers: headers(
      context.correlationId,
      error.retryable ? { 'Retry-After': String(error.retryAfterSeconds ?? 1) } : {},
    ),
    body: JSON.stringify({
      success: false,
      error_code: error.code,
      error_message: error.message,
      request_id: context.requestId,
      ...(error.details ? { details: error.details } : {}),
      ...error.extra,
    }),
  };
}

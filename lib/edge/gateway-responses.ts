import { ResponseType, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import { ERROR_STATUS, type ErrorCode } from '../../utils/http/errors';

/** `error_message`: a fixed text, or API Gateway's own message (already a quoted JSON string). */
type Message = { readonly text: string } | { readonly gatewayMessage: true };

interface GatewayError {
  readonly type: ResponseType;
  readonly code: ErrorCode | 'REQUEST_REJECTED' | 'GATEWAY_ERROR';
  readonly message: Message;
  /** Extra response headers, as API Gateway literals. */
  readonly headers?: Readonly<Record<string, string>>;
}

const GATEWAY_MESSAGE: Message = { gatewayMessage: true };

/** Every response API Gateway generates itself, in the standard error format. */
const GATEWAY_ERRORS: readonly GatewayError[] = [
  { type: ResponseType.DEFAULT_4XX, code: 'REQUEST_REJECTED', message: GATEWAY_MESSAGE },
  { type: ResponseType.DEFAULT_5XX, code: 'GATEWAY_ERROR', message: GATEWAY_MESSAGE },
  {
    type: ResponseType.BAD_REQUEST_BODY,
    code: 'VALIDATION_FAILED',
    message: { text: 'Invalid request body: $context.error.validationErrorString' },
  },
  {
    type: ResponseType.BAD_REQUEST_PARAMETERS,
    code: 'VALIDATION_FAILED',
    message: { text: 'Invalid request parameters: $context.error.validationErrorString' },
  },
  {
    type: ResponseType.UNAUTHORIZED,
    code: 'UNAUTHORIZED',
    message: { text: 'A valid bearer access token is required' },
  },
  {
    type: ResponseType.EXPIRED_TOKEN,
    code: 'TOKEN_EXPIRED',
    message: { text: 'The access token has expired' },
  },
  {
    type: ResponseType.ACCESS_DENIED,
    code: 'FORBIDDEN',
    message: { text: 'The access token does not allow this request' },
  },
  {
    type: ResponseType.INVALID_API_KEY,
    code: 'INVALID_API_KEY',
    message: { text: 'A valid x-api-key header is required' },
  },
  { type: ResponseType.INVALID_SIGNATURE, code: 'FORBIDDEN', message: GATEWAY_MESSAGE },
  {
    type: ResponseType.WAF_FILTERED,
    code: 'REQUEST_BLOCKED',
    message: { text: 'The request was blocked by the firewall' },
  },
  // API Gateway answers an unknown route or method with this response (a 403 by default).
  {
    type: ResponseType.MISSING_AUTHENTICATION_TOKEN,
    code: 'ROUTE_NOT_FOUND',
    message: { text: 'No such route or method' },
  },
  {
    type: ResponseType.RESOURCE_NOT_FOUND,
    code: 'ROUTE_NOT_FOUND',
    message: { text: 'No such route or method' },
  },
  {
    type: ResponseType.THROTTLED,
    code: 'THROTTLED',
    message: { text: 'Too many requests; retry after a pause' },
    headers: { 'Retry-After': "'1'" },
  },
  {
    type: ResponseType.QUOTA_EXCEEDED,
    code: 'QUOTA_EXCEEDED',
    message: { text: 'The API key quota for this period is used up' },
  },
  {
    type: ResponseType.REQUEST_TOO_LARGE,
    code: 'PAYLOAD_TOO_LARGE',
    message: { text: 'The request is too large' },
  },
  {
    type: ResponseType.UNSUPPORTED_MEDIA_TYPE,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: { text: 'Content-Type must be application/json' },
  },
  {
    type: ResponseType.INTEGRATION_FAILURE,
    code: 'INTEGRATION_FAILURE',
    message: { text: 'The backend failed' },
  },
  {
    type: ResponseType.INTEGRATION_TIMEOUT,
    code: 'INTEGRATION_TIMEOUT',
    message: { text: 'The backend did not answer in time' },
  },
  {
    type: ResponseType.AUTHORIZER_FAILURE,
    code: 'INTERNAL_ERROR',
    message: { text: 'The authorizer failed' },
  },
  {
    type: ResponseType.AUTHORIZER_CONFIGURATION_ERROR,
    code: 'INTERNAL_ERROR',
    message: { text: 'The authorizer failed' },
  },
  {
    type: ResponseType.API_CONFIGURATION_ERROR,
    code: 'INTERNAL_ERROR',
    message: { text: 'The API is misconfigured' },
  },
];

function bodyTemplate(error: GatewayError): string {
  const message =
    'text' in error.message ? JSON.stringify(error.message.text) : '$context.error.messageString';
  return `{"success":false,"error_code":"${error.code}","error_message":${message},"request_id":"$context.requestId"}`;
}

/** Rewrites API Gateway's own error responses into the standard error format. */
export function addStandardGatewayResponses(api: RestApi): void {
  for (const error of GATEWAY_ERRORS) {
    const status = error.code in ERROR_STATUS ? String(ERROR_STATUS[error.code as ErrorCode]) : undefined;
    api.addGatewayResponse(error.type.responseType, {
      type: error.type,
      statusCode: status,
      responseHeaders: { 'Cache-Control': "'no-store'", ...error.headers },
      templates: { 'application/json': bodyTemplate(error) },
    });
  }
}

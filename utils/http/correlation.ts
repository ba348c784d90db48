import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { header } from './request';

/** Who sent a request and how to follow it: ids that every log line, event and response carries. */
export interface RequestCorrelation {
  /** Follows the request across every hop; the caller's `X-Correlation-Id` when usable. */
  readonly correlationId: string;
  /** The id of what caused the next event: this API request. */
  readonly causationId: string;
  /** API Gateway's request id, returned in every error. */
  readonly requestId: string;
  /** The calling machine client: its OAuth2 client id, else its API key id. Scopes idempotency keys. */
  readonly clientId: string;
  /** The token subject, when the request carried a token. */
  readonly userId?: string;
  /** The caller sent an `X-Correlation-Id` that was unusable and was replaced. */
  readonly rejectedCorrelationId: boolean;
}

export const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type Claims = Readonly<Record<string, string | undefined>>;

function claimsOf(event: APIGatewayProxyEvent): Claims {
  const authorizer = event.requestContext?.authorizer as { claims?: Claims } | null | undefined;
  return authorizer?.claims ?? {};
}

export function correlationFromRequest(event: APIGatewayProxyEvent): RequestCorrelation {
  const supplied = header(event, 'X-Correlation-Id')?.trim();
  const usable = supplied !== undefined && CORRELATION_ID.test(supplied);
  const requestId = event.requestContext?.requestId ?? randomUUID();
  const claims = claimsOf(event);
  const apiKeyId = event.requestContext?.identity?.apiKeyId;
  return {
    correlationId: usable ? supplied : randomUUID(),
    causationId: requestId,
    requestId,
    clientId: claims.client_id ?? (apiKeyId ? `api-key:${apiKeyId}` : 'anonymous'),
    userId: claims.sub,
    rejectedCorrelationId: supplied !== undefined && supplied !== '' && !usable,
  };
}

import type { IncomingHttpHeaders } from 'node:http';

/** A request to the local AWS endpoint, read whole. */
export interface AwsRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** The service the request is for (the SigV4 credential scope name: `sqs`, `events`, …). */
  readonly service: string;
  /** `X-Amz-Target` of JSON-protocol requests (`AWSEvents.PutEvents`). */
  readonly target?: string;
  readonly region: string;
}

export interface AwsResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

export type ServiceHandler = (request: AwsRequest) => Promise<AwsResponse>;

/** An error in the shape of an AWS JSON-protocol error (`__type`, `message`). */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export function jsonResponse(
  body: unknown,
  status = 200,
  contentType = 'application/x-amz-json-1.1',
): AwsResponse {
  return { status, headers: { 'Content-Type': contentType }, body: JSON.stringify(body) };
}

export function jsonError(error: AwsError, contentType = 'application/x-amz-json-1.1'): AwsResponse {
  return {
    status: error.status,
    headers: { 'Content-Type': contentType, 'x-amzn-ErrorType': error.code },
    body: JSON.stringify({ __type: error.code, message: error.message }),
  };
}

/** The JSON body of a JSON-protocol request; a body that is not a JSON object is a SerializationException. */
export function jsonBody(request: AwsRequest): Record<string, unknown> {
  const text = request.body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // falls through to the error below
  }
  throw new AwsError('SerializationException', 'The request body is not a JSON object');
}

/** The operation of a JSON-protocol request: `AWSEvents.PutEvents` → `PutEvents`. */
export function operationOf(request: AwsRequest): string {
  return request.target?.split('.').pop() ?? '';
}

/** Routes JSON-protocol operations to handlers; unknown operations answer UnknownOperationException. */
export function jsonService(
  operations: Readonly<Record<string, (input: Record<string, unknown>, request: AwsRequest) => unknown>>,
  contentType = 'application/x-amz-json-1.1',
): ServiceHandler {
  return async (request) => {
    const operation = operationOf(request);
    const handler = operations[operation];
    try {
      if (!handler)
        throw new AwsError(
          'UnknownOperationException',
          `Operation ${operation || '(none)'} is not supported locally`,
        );
      const output = await handler(jsonBody(request), request);
      return jsonResponse(output ?? {}, 200, contentType);
    } catch (error) {
      if (error instanceof AwsError) return jsonError(error, contentType);
      throw error;
    }
  };
}

/**
 * The credentials every local client signs with (the endpoint checks the scope, never the key);
 * a fresh object each time, as the SDK marks the credentials it is given.
 */
export function localCredentials(): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: 'local', secretAccessKey: 'local' };
}

/**
 * API Gateway's own responses (gateway responses) for the local REST API: the answer API Gateway
 * sends when it rejects a request itself, customised by the API's AWS::ApiGateway::GatewayResponse
 * resources the way the real service does.
 *
 * Sources: "Gateway response types for API Gateway" (default status codes, the DEFAULT_4XX and
 * DEFAULT_5XX fallbacks) and "Gateway responses in API Gateway" (non-VTL templates with simple
 * `$context` substitution; header mappings from literals and method request parameters).
 */

export type GatewayResponseType =
  | 'ACCESS_DENIED'
  | 'API_CONFIGURATION_ERROR'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'AUTHORIZER_FAILURE'
  | 'BAD_REQUEST_PARAMETERS'
  | 'BAD_REQUEST_BODY'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX'
  | 'EXPIRED_TOKEN'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'INVALID_API_KEY'
  | 'INVALID_SIGNATURE'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'QUOTA_EXCEEDED'
  | 'REQUEST_TOO_LARGE'
  | 'RESOURCE_NOT_FOUND'
  | 'THROTTLED'
  | 'UNAUTHORIZED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'WAF_FILTERED';

/** As in AWS::ApiGateway::GatewayResponse. */
export interface GatewayResponseDefinition {
  readonly StatusCode?: string;
  readonly ResponseParameters?: Readonly<Record<string, string>>;
  readonly ResponseTemplates?: Readonly<Record<string, string>>;
}

export interface GatewayErrorContext {
  readonly requestId: string;
  /** Overrides the AWS default message. */
  readonly message?: string;
  readonly validationErrorString?: string;
  readonly httpMethod: string;
  readonly resourcePath: string;
  readonly path: string;
  readonly stage: string;
  readonly requestHeaders?: Readonly<Record<string, string | undefined>>;
  /** `$context.domainName`; empty when absent. */
  readonly domainName?: string;
  /** `method.request.querystring.*` for response parameters. */
  readonly requestQueryString?: Readonly<Record<string, string | undefined>>;
  /** `method.request.path.*` for response parameters. */
  readonly requestPathParameters?: Readonly<Record<string, string | undefined>>;
  /** Further `$context` variables by name without the prefix, e.g. `identity.sourceIp`. */
  readonly variables?: Readonly<Record<string, string>>;
}

export interface GatewayAnswer {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** AWS's default status codes; DEFAULT_4XX and DEFAULT_5XX have none in AWS, so their class's first. */
export const DEFAULT_STATUS: Readonly<Record<GatewayResponseType, number>> = {
  ACCESS_DENIED: 403,
  API_CONFIGURATION_ERROR: 500,
  AUTHORIZER_CONFIGURATION_ERROR: 500,
  AUTHORIZER_FAILURE: 500,
  BAD_REQUEST_PARAMETERS: 400,
  BAD_REQUEST_BODY: 400,
  DEFAULT_4XX: 400,
  DEFAULT_5XX: 500,
  EXPIRED_TOKEN: 403,
  INTEGRATION_FAILURE: 504,
  INTEGRATION_TIMEOUT: 504,
  INVALID_API_KEY: 403,
  INVALID_SIGNATURE: 403,
  MISSING_AUTHENTICATION_TOKEN: 403,
  QUOTA_EXCEEDED: 429,
  REQUEST_TOO_LARGE: 413,
  RESOURCE_NOT_FOUND: 404,
  THROTTLED: 429,
  UNAUTHORIZED: 401,
  UNSUPPORTED_MEDIA_TYPE: 415,
  WAF_FILTERED: 403,
};

/** The `message` API Gateway puts in its default `{"message": …}` body for each type. */
export const DEFAULT_MESSAGE: Readonly<Record<GatewayResponseType, string>> = {
  ACCESS_DENIED: 'User is not authorized to access this resource',
  API_CONFIGURATION_ERROR: 'Internal server error',
  AUTHORIZER_CONFIGURATION_ERROR: 'Internal server error',
  AUTHORIZER_FAILURE: 'Internal server error',
  BAD_REQUEST_PARAMETERS: 'Missing required request parameters',
  BAD_REQUEST_BODY: 'Invalid request body',
  DEFAULT_4XX: 'Bad Request',
  DEFAULT_5XX: 'Internal server error',
  EXPIRED_TOKEN: 'The security token included in the request is expired',
  INTEGRATION_FAILURE: 'Internal server error',
  INTEGRATION_TIMEOUT: 'Endpoint request timed out',
  INVALID_API_KEY: 'Forbidden',
  INVALID_SIGNATURE:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  MISSING_AUTHENTICATION_TOKEN: 'Missing Authentication Token',
  QUOTA_EXCEEDED: 'Limit Exceeded',
  REQUEST_TOO_LARGE: 'Request Too Long',
  RESOURCE_NOT_FOUND: 'Resource not found',
  THROTTLED: 'Too Many Requests',
  UNAUTHORIZED: 'Unauthorized',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported Media Type',
  WAF_FILTERED: 'Forbidden',
};

const JSON_TYPE = 'application/json';
/** The template every gateway response has until the API replaces it. */
const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';
const HEADER_PARAMETER = 'gatewayresponse.header.';

type Definitions = Readonly<Partial<Record<GatewayResponseType, GatewayResponseDefinition>>>;

/**
 * The response API Gateway sends for `type`. A definition for the type itself wins outright (no
 * headers or templates from DEFAULT_4XX/5XX mix in); without one, the fallback of the type's status
 * class applies; without either, AWS's default `{"message": …}` body. A status code set on the
 * fallback replaces the status of every type of its class that sets none of its own, as the
 * documentation says changing DEFAULT_4XX's status "changes the status codes of all other 4XX
 * responses".
 */
export function renderGatewayResponse(
  type: GatewayResponseType,
  definitions: Definitions,
  context: GatewayErrorContext,
): GatewayAnswer {
  const fallbackType = DEFAULT_STATUS[type] >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
  const fallback = definitions[fallbackType];
  const definition = definitions[type] ?? fallback;
  const statusCode =
    parseStatus(definition?.StatusCode) ?? parseStatus(fallback?.StatusCode) ?? DEFAULT_STATUS[type];

  const message = context.message ?? DEFAULT_MESSAGE[type];
  const variables = contextVariables(type, message, context);
  const [contentType, template] = pickTemplate(definition?.ResponseTemplates);
  const headers: Record<string, string> = { 'Content-Type': contentType };
  for (const [key, expression] of Object.entries(definition?.ResponseParameters ?? {})) {
    if (!key.startsWith(HEADER_PARAMETER)) continue;
    const name = key.slice(HEADER_PARAMETER.length);
    const value = parameterValue(expression, context, variables);
    if (value === undefined) continue;
    // One header per name, whatever its case: a mapped Content-Type replaces the template's.
    for (const existing of Object.keys(headers)) {
      if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    }
    headers[name] = value;
  }
  return { statusCode, headers, body: substitute(template, variables) };
}

function parseStatus(statusCode: string | undefined): number | undefined {
  if (statusCode === undefined || !/^\d{3}$/.test(statusCode.trim())) return undefined;
  return Number(statusCode.trim());
}

/** The application/json template, else the first one, else AWS's default. */
function pickTemplate(templates: Readonly<Record<string, string>> | undefined): [string, string] {
  const json = templates?.[JSON_TYPE];
  if (json !== undefined) return [JSON_TYPE, json];
  const first = Object.entries(templates ?? {})[0];
  return first ?? [JSON_TYPE, DEFAULT_TEMPLATE];
}

/** JSON string-literal content without the quotes. */
function escapeForJsonString(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

function contextVariables(
  type: GatewayResponseType,
  message: string,
  context: GatewayErrorContext,
): ReadonlyMap<string, string> {
  return new Map<string, string>([
    ...Object.entries(context.variables ?? {}),
    ['requestId', context.requestId],
    ['extendedRequestId', context.variables?.extendedRequestId ?? context.requestId],
    ['httpMethod', context.httpMethod],
    ['resourcePath', context.resourcePath],
    ['path', context.path],
    ['stage', context.stage],
    ['domainName', context.domainName ?? ''],
    ['error.message', message],
    ['error.messageString', JSON.stringify(message)],
    ['error.responseType', type],
    // API Gateway hands this one over escaped, so templates can quote it; the raw string
    // has quotes of its own (`["items"]`).
    ['error.validationErrorString', escapeForJsonString(context.validationErrorString ?? '')],
  ]);
}

const VARIABLE = /\$(\{)?context((?:\.[A-Za-z_][A-Za-z0-9_-]*)+)(\})?/g;

/**
 * Simple substitution, not VTL: `$context.x.y` or `${context.x.y}`. The longest known name wins,
 * so `$context.requestId.` keeps its trailing text; unknown names render empty, as in VTL's quiet
 * references.
 */
function substitute(template: string, variables: ReadonlyMap<string, string>): string {
  return template.replace(
    VARIABLE,
    (_match, open: string | undefined, dotted: string, close: string | undefined) => {
      const segments = dotted.slice(1).split('.');
      for (let length = segments.length; length > 0; length--) {
        const value = variables.get(segments.slice(0, length).join('.'));
        if (value === undefined) continue;
        const rest = segments.slice(length);
        const tail = rest.length > 0 ? `.${rest.join('.')}` : '';
        return open && close ? `${value}${tail}` : `${value}${tail}${close ?? ''}`;
      }
      return open && close ? '' : (close ?? '');
    },
  );
}

function lookup(
  source: Readonly<Record<string, string | undefined>> | undefined,
  name: string,
): string | undefined {
  if (!source) return undefined;
  const lower = name.toLowerCase();
  const key = Object.keys(source).find((candidate) => candidate.toLowerCase() === lower);
  return key === undefined ? undefined : source[key];
}

/** A response parameter's value: a `'literal'`, a method request parameter, or a context variable. */
function parameterValue(
  expression: string,
  context: GatewayErrorContext,
  variables: ReadonlyMap<string, string>,
): string | undefined {
  const trimmed = expression.trim();
  if (trimmed.length >= 2 && trimmed.startsWith("'") && trimmed.endsWith("'")) return trimmed.slice(1, -1);
  const [, position, name] = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(trimmed) ?? [];
  if (position === 'header' && name) return lookup(context.requestHeaders, name);
  if (position === 'querystring' && name) return context.requestQueryString?.[name];
  if (position === 'path' && name) return context.requestPathParameters?.[name];
  if (trimmed.startsWith('context.')) return variables.get(trimmed.slice('context.'.length));
  return undefined;
}

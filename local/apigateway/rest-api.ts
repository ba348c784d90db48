import { randomUUID } from 'node:crypto';
import type { LambdaRuntime } from '../runtime/lambda-runtime';
import type { ApiMethodSpec, RestApiSpec } from '../template/topology-types';
import { Authorization } from './authorize';
import type { LocalCognito } from './cognito';
import { type GatewayResponseType, renderGatewayResponse } from './gateway-responses';
import { type HttpReply, type IncomingApiRequest, proxyEvent, proxyReply } from './proxy-event';
import { RequestBodyValidator } from './request-validation';
import { matchRoute } from './router';
import { TokenBucket, UsagePlanEnforcer } from './usage-plans';

const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export interface RestApiOptions {
  readonly api: RestApiSpec;
  readonly runtime: LambdaRuntime;
  readonly cognito: LocalCognito;
  readonly accountId: string;
  readonly region: string;
  readonly domainName: string;
}

export interface ApiCall {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly latencyMs: number;
  readonly at: string;
  readonly errorType?: GatewayResponseType;
}

interface Rejection {
  readonly type: GatewayResponseType;
  readonly message?: string;
  readonly validationErrorString?: string;
}

const reject = (type: GatewayResponseType, extra: Omit<Rejection, 'type'> = {}): Rejection => ({
  type,
  ...extra,
});

/**
 * One REST API of the template, answering as API Gateway does: routing, stage throttling,
 * authorizers, API keys with usage plans, request validation against the models, the Lambda
 * proxy integration, and the API's gateway responses for everything API Gateway refuses itself.
 */
export class RestApiEmulator {
  private readonly authorization: Authorization;
  private readonly usage: UsagePlanEnforcer;
  private readonly stageThrottles = new Map<string, TokenBucket>();
  private readonly validator = new RequestBodyValidator();
  private readonly recent: ApiCall[] = [];

  constructor(private readonly options: RestApiOptions) {
    const { api } = options;
    this.authorization = new Authorization(api.authorizers, options.cognito, options.runtime);
    this.usage = new UsagePlanEnforcer(api.apiKeys, api.usagePlans);
    for (const stage of api.stages)
      if (stage.throttle) this.stageThrottles.set(stage.name, new TokenBucket(stage.throttle));
  }

  get api(): RestApiSpec {
    return this.options.api;
  }

  hasStage(stage: string): boolean {
    return this.options.api.stages.some((candidate) => candidate.name === stage);
  }

  calls(limit = 100): readonly ApiCall[] {
    return this.recent.slice(-limit);
  }

  async handle(stage: string, request: IncomingApiRequest): Promise<HttpReply> {
    const started = performance.now();
    const requestId = randomUUID();
    const route = this.hasStage(stage)
      ? matchRoute(this.options.api, request.path, request.method)
      : undefined;
    const result = route
      ? await this.serve(stage, request, requestId, route)
      : reject('MISSING_AUTHENTICATION_TOKEN');
    const reply =
      'statusCode' in result
        ? result
        : this.gatewayResponse(result, stage, request, requestId, route?.resourcePath);
    const headers = {
      ...reply.headers,
      'x-amzn-RequestId': requestId,
      'x-amz-apigw-id': requestId.slice(0, 16),
    };
    this.remember({
      requestId,
      method: request.method,
      path: `/${stage}${request.path}`,
      status: reply.statusCode,
      latencyMs: performance.now() - started,
      at: new Date().toISOString(),
      errorType: 'type' in result ? result.type : undefined,
    });
    return { ...reply, headers };
  }

  private async serve(
    stage: string,
    request: IncomingApiRequest,
    requestId: string,
    route: NonNullable<ReturnType<typeof matchRoute>>,
  ): Promise<HttpReply | Rejection> {
    const { method } = route;
    if (request.body.length > MAX_PAYLOAD_BYTES) return reject('REQUEST_TOO_LARGE');
    if (this.stageThrottles.get(stage)?.tryTake() === false) return reject('THROTTLED');
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [
        name.toLowerCase(),
        Array.isArray(value) ? (value.at(-1) ?? '') : (value ?? ''),
      ]),
    );
    const methodArn = `arn:aws:execute-api:${this.options.region}:${this.options.accountId}:${this.options.api.id}/${stage}/${request.method}${request.path}`;
    const context = {
      apiId: this.options.api.id,
      accountId: this.options.accountId,
      stage,
      resourceId: method.resourceId,
      resourcePath: route.resourcePath,
      pathParameters: route.pathParameters,
      requestId,
      domainName: this.options.domainName,
    };
    const authorization = await this.authorization.authorize(method, {
      headers,
      methodArn,
      event: proxyEvent(request, context),
    });
    if (!authorization.ok) return reject(authorization.type, { message: authorization.message });
    let apiKey: { id: string; value: string } | undefined;
    if (method.apiKeyRequired) {
      const decision = this.usage.check(headers['x-api-key'], stage);
      if (!decision.ok) return reject(decision.type);
      apiKey = { id: decision.apiKeyId, value: headers['x-api-key'] ?? '' };
    }
    const invalid = this.validate(method, request, headers, route.pathParameters);
    if (invalid) return invalid;
    return this.integrate(method, request, {
      ...context,
      apiKeyId: apiKey?.id,
      apiKey: apiKey?.value,
      authorizer: authorization.authorizer,
    });
  }

  private validate(
    method: ApiMethodSpec,
    request: IncomingApiRequest,
    headers: Record<string, string>,
    pathParameters: Readonly<Record<string, string>> | null,
  ): Rejection | undefined {
    const validator = method.requestValidatorId
      ? this.options.api.validators.get(method.requestValidatorId)
      : undefined;
    if (!validator) return undefined;
    if (validator.parameters) {
      const present = (location: string, name: string) =>
        location === 'header'
          ? headers[name.toLowerCase()] !== undefined
          : location === 'querystring'
            ? request.query.has(name)
            : Boolean(pathParameters?.[name]);
      const missing = Object.entries(method.requestParameters)
        .filter(([, required]) => required)
        .map(([key]) => /^method\.request\.(header|querystring|path)\.(.+)$/.exec(key))
        .filter((match): match is RegExpExecArray => match !== null)
        .filter(([, location = '', name = '']) => !present(location, name))
        .map(([, , name]) => name);
      if (missing.length > 0)
        return reject('BAD_REQUEST_PARAMETERS', {
          message: `Missing required request parameters: [${missing.join(', ')}]`,
          validationErrorString: `Missing required request parameters: [${missing.join(', ')}]`,
        });
    }
    if (validator.body) {
      const contentType =
        (headers['content-type'] ?? 'application/json').split(';')[0]?.trim().toLowerCase() ?? '';
      const modelName = method.requestModels[contentType] ?? method.requestModels.$default;
      const schema = modelName ? this.options.api.models.get(modelName) : undefined;
      if (schema) {
        const verdict = this.validator.validate(
          schema,
          request.body.length === 0 ? null : request.body.toString('utf8'),
        );
        if (!verdict.ok)
          return reject('BAD_REQUEST_BODY', {
            message: 'Invalid request body',
            validationErrorString: verdict.validationErrorString,
          });
      }
    }
    return undefined;
  }

  private async integrate(
    method: ApiMethodSpec,
    request: IncomingApiRequest,
    context: Parameters<typeof proxyEvent>[1],
  ): Promise<HttpReply | Rejection> {
    if (method.integration.type === 'MOCK') return { statusCode: 200, headers: {}, body: Buffer.alloc(0) };
    if (method.integration.type !== 'AWS_PROXY' || !method.integration.functionArn)
      return reject('API_CONFIGURATION_ERROR');
    const event = proxyEvent(request, context);
    const timeout = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), method.integration.timeoutMs).unref(),
    );
    try {
      const outcome = await Promise.race([
        this.options.runtime.invoke(method.integration.functionArn, event),
        timeout,
      ]);
      if (outcome === 'timeout') return reject('INTEGRATION_TIMEOUT');
      if (outcome.error) return reject('INTEGRATION_FAILURE', { message: 'Internal server error' });
      return (
        proxyReply(outcome.payload) ?? reject('INTEGRATION_FAILURE', { message: 'Internal server error' })
      );
    } catch {
      return reject('INTEGRATION_FAILURE', { message: 'Internal server error' });
    }
  }

  private gatewayResponse(
    rejection: Rejection,
    stage: string,
    request: IncomingApiRequest,
    requestId: string,
    resourcePath?: string,
  ): HttpReply {
    const answer = renderGatewayResponse(rejection.type, this.options.api.gatewayResponses, {
      requestId,
      message: rejection.message,
      validationErrorString: rejection.validationErrorString,
      httpMethod: request.method,
      resourcePath: resourcePath ?? request.path,
      path: `/${stage}${request.path}`,
      stage,
      domainName: this.options.domainName,
      requestHeaders: Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.at(-1) : value,
        ]),
      ),
    });
    return { statusCode: answer.statusCode, headers: { ...answer.headers }, body: Buffer.from(answer.body) };
  }

  private remember(call: ApiCall): void {
    this.recent.push(call);
    if (this.recent.length > 1000) this.recent.splice(0, this.recent.length - 1000);
  }
}

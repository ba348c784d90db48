import type { Dispatcher } from 'undici-types';
import type { AuthScheme, EndpointContract, IntegrationContract } from '../contracts/contract';
import { ContractViolationError } from '../contracts/errors';
import type { CompiledSchema } from '../contracts/type-notation';
import { HttpClient, type HttpResponse } from '../http/client';
import { RequestValidationError } from '../http/errors';
import { recordConnectorCall } from '../observability/connector-metrics';
import { inSubsegment } from '../observability/subsegment';
import {
  type CircuitBreakerHook,
  type PolicyTiming,
  policiesForContract,
  type ResiliencePolicy,
} from '../resilience/policies';
import { type CredentialsSource, withCredentials } from '../security/credentials';

/** How a connector is set up; everything else comes from its contract. */
export interface ConnectorOptions<C> {
  readonly credentials: CredentialsSource<C>;
  /** @default the environment variable the contract names, else the contract's default */
  readonly baseUrl?: string;
  readonly breaker?: CircuitBreakerHook;
  /** Sleep, jitter and clock of the resilience policies. @default the system's */
  readonly timing?: PolicyTiming;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  readonly dispatcher?: Dispatcher;
}

export interface EndpointCall {
  readonly pathParams?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly idempotencyKey?: string;
  readonly correlationId?: string;
  readonly signal?: AbortSignal;
}

type Credentials = Readonly<Record<string, unknown>>;

/**
 * Calls the endpoints of one contract: checks the request against the contract before it leaves,
 * authenticates with the contract's scheme, runs the endpoint's resilience policy, and checks the
 * answer against the contract (a body outside it is a ContractViolationError).
 */
export class ContractClient {
  readonly baseUrl: string;
  private readonly http: HttpClient;
  private readonly policies: Record<string, ResiliencePolicy>;
  private readonly credentials: CredentialsSource<Credentials>;

  constructor(
    readonly contract: IntegrationContract,
    options: ConnectorOptions<object>,
  ) {
    const env = options.env ?? process.env;
    const baseUrl = options.baseUrl ?? env[contract.baseUrlEnv] ?? contract.defaultBaseUrl;
    if (!baseUrl) {
      throw new Error(
        `${contract.baseUrlEnv} must be set: the ${contract.name} contract has no default base URL`,
      );
    }
    this.baseUrl = baseUrl;
    this.credentials = options.credentials as CredentialsSource<Credentials>;
    this.policies = policiesForContract(contract, options.timing);
    this.http = new HttpClient({
      provider: contract.name,
      baseUrl,
      errorCodePaths: contract.errorHandling.errorCodePaths,
      ...(options.breaker ? { breaker: options.breaker } : {}),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
  }

  async call(endpointName: string, call: EndpointCall): Promise<HttpResponse> {
    const endpoint = this.contract.endpoints[endpointName];
    const policy = this.policies[endpointName];
    if (!endpoint || !policy) throw new TypeError(`${this.contract.name} has no endpoint ${endpointName}`);
    const params = this.checked(endpoint.pathParams, call.pathParams ?? {}, `${endpoint.name} path`);
    const body =
      call.body === undefined
        ? undefined
        : this.checked(endpoint.request, call.body, `${endpoint.name} request`);
    const path = endpoint.path.replace(/\{([^{}]+)\}/g, (_match, name: string) =>
      encodeURIComponent(String((params as Record<string, unknown>)[name])),
    );
    const started = performance.now();
    const response = await inSubsegment(this.contract.id, { operation: endpoint.name }, () =>
      withCredentials(this.credentials, (credentials) =>
        this.http.request({
          method: endpoint.method,
          path,
          ...authentication(endpoint.auth, credentials),
          ...(body === undefined ? {} : { body, encoding: this.contract.encoding }),
          ...(call.idempotencyKey ? { idempotencyKey: call.idempotencyKey } : {}),
          ...(call.correlationId ? { correlationId: call.correlationId } : {}),
          ...(call.signal ? { signal: call.signal } : {}),
          successStatus: endpoint.successStatus,
          policy,
        }),
      ),
    ).catch((error: unknown) => {
      recordConnectorCall(this.contract.id, endpoint.name, performance.now() - started, error);
      throw error;
    });
    recordConnectorCall(this.contract.id, endpoint.name, performance.now() - started);
    return { ...response, body: this.answer(endpoint, response.body) };
  }

  private checked(schema: CompiledSchema | undefined, value: unknown, what: string): unknown {
    if (!schema) return value;
    const result = schema.validate(value);
    if (!result.ok) throw new RequestValidationError(result.issues, `${this.contract.name} ${what}`);
    // The caller's value is sent as given: the schema only checks it.
    return value;
  }

  private answer(endpoint: EndpointContract, body: unknown): unknown {
    if (!endpoint.response) return body;
    const result = endpoint.response.validate(body);
    if (!result.ok) throw new ContractViolationError(this.contract.name, endpoint.name, result.issues);
    return result.value;
  }
}

/** Headers or query parameters that carry the credentials, as the endpoint's scheme says. */
function authentication(
  scheme: AuthScheme | undefined,
  credentials: Credentials,
): { headers?: Record<string, string>; query?: Record<string, string> } {
  if (!scheme) return {};
  const value = (field: string | undefined) => String(field === undefined ? '' : (credentials[field] ?? ''));
  switch (scheme.type) {
    case 'bearer':
      return { headers: { authorization: `Bearer ${value(scheme.credential)}` } };
    case 'basic':
      return {
        headers: { authorization: `Basic ${Buffer.from(`${value(scheme.credential)}:`).toString('base64')}` },
      };
    case 'header':
      return { headers: { [(scheme.header ?? '').toLowerCase()]: value(scheme.credential) } };
    case 'query':
      return {
        query: Object.fromEntries(
          Object.entries(scheme.params ?? {}).map(([name, field]) => [name, value(field)]),
        ),
      };
  }
}

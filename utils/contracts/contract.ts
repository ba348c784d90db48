import path from 'node:path';
import { fieldPath } from '../validation/issues';
import {
  type AuthSchemeFile,
  type ContractFile,
  contractFileSchema,
  type EndpointFile,
} from './contract-file';
import { ContractFileError, type ContractIssue } from './errors';
import {
  type CompiledSchema,
  compileTypeNotation,
  type SchemaMode,
  TypeNotationError,
} from './type-notation';
import { parseDuration, parseRateLimit, type RateLimit } from './values';

export type HttpMethod = EndpointFile['method'];
/** How a repeat of a call is made safe: the provider's Idempotency-Key, the operation itself, or not at all. */
export type Idempotency = 'key' | 'natural' | 'none';

export interface AuthScheme {
  readonly type: AuthSchemeFile['type'];
  readonly credential?: string;
  readonly header?: string;
  readonly params?: Readonly<Record<string, string>>;
}

export interface EndpointContract {
  readonly name: string;
  readonly method: HttpMethod;
  /** With `{name}` placeholders filled from `pathParams`. */
  readonly path: string;
  readonly pathParamNames: readonly string[];
  readonly auth?: AuthScheme;
  readonly rateLimit?: RateLimit;
  readonly idempotency: Idempotency;
  readonly successStatus: readonly number[];
  readonly pathParams?: CompiledSchema;
  readonly request?: CompiledSchema;
  readonly response?: CompiledSchema;
}

export interface ErrorHandling {
  /** Retries after the first attempt. */
  readonly retries: number;
  readonly backoff: 'exponential' | 'constant';
  /** Per attempt. */
  readonly timeoutMs: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** Dotted paths into a provider error body; the first that holds a string or number is the code. */
  readonly errorCodePaths: readonly string[];
}

/** A contract as connectors use it: parsed values, compiled schemas, resolved references. */
export interface IntegrationContract {
  /** The file's base name: `payment` for `payment.yaml`. */
  readonly id: string;
  readonly file: string;
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly baseUrlEnv: string;
  readonly defaultBaseUrl?: string;
  readonly encoding: 'json' | 'form';
  readonly credentials?: CompiledSchema;
  readonly endpoints: Readonly<Record<string, EndpointContract>>;
  readonly errorHandling: ErrorHandling;
}

const DEFAULT_INITIAL_DELAY = '200ms';
const DEFAULT_MAX_DELAY = '5s';
const DEFAULT_SUCCESS = [200, 201, 202, 204];
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Checks a parsed contract document (from YAML, or from the JSON generated next to it for bundles)
 * and builds the contract. Throws ContractFileError naming `file` and every failing field.
 */
export function contractFromDocument(document: unknown, file: string): IntegrationContract {
  const parsed = contractFileSchema.safeParse(document);
  if (!parsed.success) {
    throw new ContractFileError(
      file,
      parsed.error.issues.map((issue) => ({
        field: issue.path.length === 0 ? '(file)' : fieldPath(issue.path),
        message: issue.message,
      })),
    );
  }
  const builder = new ContractBuilder(parsed.data.integration);
  const contract = builder.build(file);
  if (builder.issues.length > 0) throw new ContractFileError(file, builder.issues);
  return contract;
}

type IntegrationFile = ContractFile['integration'];

/** Resolves references and compiles schemas, gathering every problem before failing. */
class ContractBuilder {
  readonly issues: ContractIssue[] = [];

  constructor(private readonly source: IntegrationFile) {}

  build(file: string): IntegrationContract {
    const { source } = this;
    // Tolerant: a secret may hold more than the connector reads.
    const credentials = this.compile(source.credentials, ['integration', 'credentials'], 'response');
    this.checkAuth();
    const endpoints: Record<string, EndpointContract> = {};
    source.endpoints.forEach((endpoint, index) => {
      const at = ['integration', 'endpoints', index];
      if (endpoints[endpoint.name]) this.add([...at, 'name'], `duplicate endpoint name "${endpoint.name}"`);
      endpoints[endpoint.name] = this.endpoint(endpoint, at);
    });
    return {
      id: path.basename(file).replace(/\.(ya?ml|json)$/, ''),
      file,
      name: source.name,
      version: source.version,
      ...(source.description === undefined ? {} : { description: source.description }),
      baseUrlEnv: source.base_url.env,
      ...(source.base_url.default === undefined ? {} : { defaultBaseUrl: source.base_url.default }),
      encoding: source.encoding ?? 'json',
      ...(credentials ? { credentials } : {}),
      endpoints,
      errorHandling: this.errorHandling(),
    };
  }

  private endpoint(endpoint: EndpointFile, at: (string | number)[]): EndpointContract {
    const placeholders = [...endpoint.path.matchAll(/\{([^{}]+)\}/g)].map((match) => match[1] as string);
    if (placeholders.length > 0 && endpoint.path_params === undefined) {
      this.add([...at, 'path_params'], `the path has {${placeholders.join('}, {')}}; declare it here`);
    }
    const pathParams = this.compile(endpoint.path_params, [...at, 'path_params'], 'request');
    const request = this.compile(
      endpoint.request_schema ?? this.source.request_schema,
      [...at, 'request_schema'],
      'request',
    );
    const response = this.compile(
      endpoint.response_schema ?? this.source.response_schema,
      [...at, 'response_schema'],
      'response',
    );
    if (MUTATING.has(endpoint.method) && endpoint.idempotency === undefined) {
      this.add(
        [...at, 'idempotency'],
        `a ${endpoint.method} endpoint must say how a repeat is made safe: key, natural or none`,
      );
    }
    const auth = endpoint.auth === undefined ? undefined : this.source.auth?.[endpoint.auth];
    if (endpoint.auth !== undefined && !auth) {
      this.add([...at, 'auth'], `no scheme "${endpoint.auth}" under integration.auth`);
    }
    const rateLimit = endpoint.rate_limit === undefined ? undefined : parseRateLimit(endpoint.rate_limit);
    return {
      name: endpoint.name,
      method: endpoint.method,
      path: endpoint.path,
      pathParamNames: placeholders,
      ...(auth ? { auth } : {}),
      ...(rateLimit ? { rateLimit } : {}),
      idempotency: endpoint.idempotency ?? 'natural',
      successStatus: endpoint.success_status ?? DEFAULT_SUCCESS,
      ...(pathParams ? { pathParams } : {}),
      ...(request ? { request } : {}),
      ...(response ? { response } : {}),
    };
  }

  private checkAuth(): void {
    const fields = credentialFields(this.source.credentials);
    for (const [schemeName, scheme] of Object.entries(this.source.auth ?? {})) {
      const at = ['integration', 'auth', schemeName];
      const used = scheme.type === 'query' ? Object.values(scheme.params ?? {}) : [scheme.credential];
      if (scheme.type === 'query' && !scheme.params)
        this.add([...at, 'params'], 'a query scheme needs params');
      if (scheme.type === 'header' && !scheme.header)
        this.add([...at, 'header'], 'a header scheme needs header');
      for (const credential of used) {
        const where = scheme.type === 'query' ? [...at, 'params'] : [...at, 'credential'];
        if (credential === undefined) this.add(where, 'expected the credentials field to send');
        else if (!fields.has(credential))
          this.add(where, `no field "${credential}" under integration.credentials`);
      }
    }
  }

  private errorHandling(): ErrorHandling {
    const source = this.source.error_handling;
    const initialDelayMs = parseDuration(source.initial_delay ?? DEFAULT_INITIAL_DELAY) as number;
    const maxDelayMs = parseDuration(source.max_delay ?? DEFAULT_MAX_DELAY) as number;
    if (maxDelayMs < initialDelayMs) {
      this.add(
        ['integration', 'error_handling', 'max_delay'],
        `must not be shorter than initial_delay (${source.initial_delay ?? DEFAULT_INITIAL_DELAY})`,
      );
    }
    const codes = source.error_code;
    return {
      retries: source.retries,
      backoff: source.backoff,
      timeoutMs: parseDuration(source.timeout) as number,
      initialDelayMs,
      maxDelayMs,
      errorCodePaths: codes === undefined ? [] : typeof codes === 'string' ? [codes] : codes,
    };
  }

  private compile(notation: unknown, at: (string | number)[], mode: SchemaMode): CompiledSchema | undefined {
    if (notation === undefined) return undefined;
    try {
      return compileTypeNotation(notation, { mode });
    } catch (error) {
      if (!(error instanceof TypeNotationError)) throw error;
      this.add([...at, ...error.path], error.detail);
      return undefined;
    }
  }

  private add(at: readonly (string | number)[], message: string): void {
    this.issues.push({ field: fieldPath(at), message });
  }
}

/** The top-level field names of the credentials notation, without the optional mark. */
function credentialFields(notation: unknown): Set<string> {
  if (typeof notation !== 'object' || notation === null || Array.isArray(notation)) return new Set();
  return new Set(Object.keys(notation).map((key) => key.replace(/\?$/, '')));
}

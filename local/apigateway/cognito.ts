/**
 * A local Cognito user pool for machine-to-machine OAuth2: the client-credentials grant of the
 * pool's token endpoint, its JWKS, and the decision an API Gateway COGNITO_USER_POOLS authorizer
 * takes on a request's Authorization header.
 *
 * Sources: Cognito's "Token endpoint" (client_secret_basic and client_secret_post, `scope` optional
 * and defaulting to all the client's custom scopes, errors as `{"error": …}` with 400) and
 * "Understanding the access token"; API Gateway's "Integrate a REST API with an Amazon Cognito user
 * pool" (with OAuth scopes on the method the token is an access token and passes when any method
 * scope is in it, otherwise 401; without scopes the token is treated as an ID token).
 */
import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  type CryptoKey,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  exportJWK,
  generateKeyPair,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';

export interface LocalAppClient {
  readonly name: string;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly allowedScopes: readonly string[];
}

export interface LocalCognitoOptions {
  /** E.g. `http://127.0.0.1:3000`; a pool's issuer is `${issuerBaseUrl}/${userPoolId}`. */
  readonly issuerBaseUrl: string;
  readonly userPools: readonly {
    readonly userPoolId: string;
    readonly clients: readonly {
      readonly name: string;
      readonly allowedScopes: readonly string[];
      /** The id the template gave the app client. @default a random one */
      readonly clientId?: string;
    }[];
  }[];
  /** @default 3600 */
  readonly tokenValiditySeconds?: number;
  /** Milliseconds clock, for expiry tests. @default Date.now */
  readonly now?: () => number;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type VerifyResult =
  | { readonly ok: true; readonly claims: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly reason: 'missing' | 'invalid' | 'expired' | 'scope' };

/**
 * The message of API Gateway's 401 UNAUTHORIZED answer for each failure: `Unauthorized`, except for
 * an expired token.
 */
export const UNAUTHORIZED_MESSAGE: Readonly<Record<Extract<VerifyResult, { ok: false }>['reason'], string>> =
  {
    missing: 'Unauthorized',
    invalid: 'Unauthorized',
    scope: 'Unauthorized',
    expired: 'The incoming token has expired',
  };

export interface TokenRequest {
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
}

interface Pool {
  readonly userPoolId: string;
  readonly issuer: string;
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly jwk: JWK;
}

type TokenError =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

const JSON_UTF8 = 'application/json;charset=UTF-8';
const NO_STORE = { 'Cache-Control': 'no-cache, no-store, max-age=0, must-revalidate', Pragma: 'no-cache' };
const FORM = 'application/x-www-form-urlencoded';
/** Grant types the token endpoint knows; the app clients here may use only the last. */
const KNOWN_GRANTS = new Set(['authorization_code', 'refresh_token', 'client_credentials']);
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A random id of Cognito's shape: lower-case letters and digits (client ids 26, secrets 51). */
function randomId(length: number): string {
  return Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

function header(headers: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

function tokenError(error: TokenError): HttpAnswer {
  return {
    status: 400,
    headers: { 'Content-Type': JSON_UTF8, ...NO_STORE },
    body: JSON.stringify({ error }),
  };
}

/** Constant-time string comparison, so the local pool teaches no timing shortcuts. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Java's `Date.toString()` in UTC, which is how API Gateway hands over `exp` and `iat`. */
export function javaDateString(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  const two = (value: number) => String(value).padStart(2, '0');
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${two(date.getUTCDate())} ${time} UTC ${date.getUTCFullYear()}`;
}

/** The claims as `requestContext.authorizer.claims` carries them: every value a string. */
function claimsAsStrings(payload: Readonly<Record<string, unknown>>): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') claims[name] = javaDateString(value);
    else if (typeof value === 'string') claims[name] = value;
    // A list prints as Java prints one.
    else if (Array.isArray(value)) claims[name] = `[${value.map(String).join(', ')}]`;
    else if (value !== null && typeof value === 'object') claims[name] = JSON.stringify(value);
    else claims[name] = String(value);
  }
  return claims;
}

export class LocalCognito {
  private constructor(
    private readonly pools: ReadonlyMap<string, Pool>,
    private readonly appClients: readonly LocalAppClient[],
    private readonly validitySeconds: number,
    private readonly now: () => number,
  ) {}

  /** Generates an RS256 key pair per pool and random client ids and secrets. */
  static async create(options: LocalCognitoOptions): Promise<LocalCognito> {
    const base = options.issuerBaseUrl.replace(/\/+$/, '');
    const pools = new Map<string, Pool>();
    const appClients: LocalAppClient[] = [];
    for (const { userPoolId, clients } of options.userPools) {
      const { privateKey, publicKey } = await generateKeyPair('RS256');
      const kid = randomBytes(32).toString('base64');
      const { kty, n, e } = await exportJWK(publicKey);
      // Cognito lists a key's members in this order.
      const jwk: JWK = { alg: 'RS256', e, kid, kty, n, use: 'sig' };
      pools.set(userPoolId, { userPoolId, issuer: `${base}/${userPoolId}`, kid, privateKey, publicKey, jwk });
      for (const client of clients) {
        appClients.push({
          name: client.name,
          userPoolId,
          clientId: client.clientId ?? randomId(26),
          clientSecret: randomId(51),
          allowedScopes: [...client.allowedScopes],
        });
      }
    }
    return new LocalCognito(pools, appClients, options.tokenValiditySeconds ?? 3600, options.now ?? Date.now);
  }

  clients(): readonly LocalAppClient[] {
    return this.appClients;
  }

  /**
   * POST /oauth2/token with grant_type=client_credentials. Checks in this order: form encoding and
   * grant type present (invalid_request), grant type known (unsupported_grant_type), client
   * credentials (invalid_client), grant allowed to the client (unauthorized_client), scopes
   * (invalid_scope; invalid_grant when the client has none to grant).
   */
  async handleTokenRequest(request: TokenRequest): Promise<HttpAnswer> {
    const contentType = header(request.headers, 'content-type')?.split(';')[0]?.trim().toLowerCase();
    if (contentType !== FORM) return tokenError('invalid_request');
    const form = new URLSearchParams(request.body);
    const grantType = form.get('grant_type');
    if (!grantType) return tokenError('invalid_request');
    if (!KNOWN_GRANTS.has(grantType)) return tokenError('unsupported_grant_type');

    const client = this.authenticate(header(request.headers, 'authorization'), form);
    if (!client) return tokenError('invalid_client');
    if (grantType !== 'client_credentials') return tokenError('unauthorized_client');
    if (client.allowedScopes.length === 0) return tokenError('invalid_grant');

    const requested = [...new Set((form.get('scope') ?? '').split(/\s+/).filter(Boolean))];
    if (requested.some((scope) => !client.allowedScopes.includes(scope))) return tokenError('invalid_scope');
    const scopes = requested.length > 0 ? requested : client.allowedScopes;

    const accessToken = await this.sign(client, scopes);
    return {
      status: 200,
      headers: { 'Content-Type': JSON_UTF8, ...NO_STORE },
      body: JSON.stringify({
        access_token: accessToken,
        expires_in: this.validitySeconds,
        token_type: 'Bearer',
      }),
    };
  }

  /** GET /{userPoolId}/.well-known/jwks.json */
  jwks(userPoolId: string): HttpAnswer {
    const pool = this.pools.get(userPoolId);
    if (!pool) {
      return {
        status: 404,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ message: `User pool ${userPoolId} does not exist.` }),
      };
    }
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ keys: [pool.jwk] }),
    };
  }

  /**
   * What a COGNITO_USER_POOLS authorizer with these pools and the method's authorization scopes
   * decides. The header may hold the bare token or `Bearer <token>`. With scopes, the token must
   * be an access token carrying at least one of them; without, API Gateway treats the token as an
   * ID token, so an access token fails. Every failure is API Gateway's 401 UNAUTHORIZED.
   */
  async verify(
    authorizationHeader: string | undefined,
    options: { readonly userPoolIds: readonly string[]; readonly scopes?: readonly string[] },
  ): Promise<VerifyResult> {
    const token = (authorizationHeader ?? '').trim().replace(/^bearer(?:\s+|$)/i, '');
    if (!token) return { ok: false, reason: 'missing' };
    const pool = this.poolOf(token, options.userPoolIds);
    if (!pool) return { ok: false, reason: 'invalid' };

    let payload: Readonly<Record<string, unknown>>;
    try {
      ({ payload } = await jwtVerify(token, pool.publicKey, {
        algorithms: ['RS256'],
        issuer: pool.issuer,
        currentDate: new Date(this.now()),
      }));
    } catch (error) {
      return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
    }

    const scopes = options.scopes ?? [];
    if (scopes.length === 0) {
      return payload.token_use === 'id'
        ? { ok: true, claims: claimsAsStrings(payload) }
        : { ok: false, reason: 'invalid' };
    }
    if (payload.token_use !== 'access') return { ok: false, reason: 'invalid' };
    const granted = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    if (!scopes.some((scope) => granted.includes(scope))) return { ok: false, reason: 'scope' };
    return { ok: true, claims: claimsAsStrings(payload) };
  }

  /** The client that the Basic header or the body's client_id and client_secret authenticate. */
  private authenticate(authorization: string | undefined, form: URLSearchParams): LocalAppClient | undefined {
    let clientId = form.get('client_id') ?? undefined;
    let secret = form.get('client_secret') ?? undefined;
    const basic = /^basic\s+(.+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (basic !== undefined) {
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return undefined;
      const headerId = decoded.slice(0, colon);
      // A client_id in the body may repeat the header's, never name another client.
      if (clientId !== undefined && clientId !== headerId) return undefined;
      clientId = headerId;
      secret = decoded.slice(colon + 1);
    }
    if (!clientId || secret === undefined) return undefined;
    const client = this.appClients.find((candidate) => candidate.clientId === clientId);
    return client && sameSecret(secret, client.clientSecret) ? client : undefined;
  }

  /** The pool among `userPoolIds` whose issuer the token claims, read before any verification. */
  private poolOf(token: string, userPoolIds: readonly string[]): Pool | undefined {
    try {
      if (decodeProtectedHeader(token).alg !== 'RS256') return undefined;
      const { iss } = decodeJwt(token);
      return userPoolIds
        .map((userPoolId) => this.pools.get(userPoolId))
        .find((pool) => pool !== undefined && pool.issuer === iss);
    } catch {
      return undefined;
    }
  }

  /** A Cognito access token for the client-credentials grant, claims in Cognito's order. */
  private async sign(client: LocalAppClient, scopes: readonly string[]): Promise<string> {
    const pool = this.pools.get(client.userPoolId);
    if (!pool) throw new Error(`No user pool ${client.userPoolId}`);
    const issuedAt = Math.floor(this.now() / 1000);
    return new SignJWT({
      sub: client.clientId,
      token_use: 'access',
      scope: scopes.join(' '),
      auth_time: issuedAt,
      iss: pool.issuer,
      exp: issuedAt + this.validitySeconds,
      iat: issuedAt,
      version: 2,
      jti: randomUUID(),
      client_id: client.clientId,
    })
      .setProtectedHeader({ kid: pool.kid, alg: 'RS256' })
      .sign(pool.privateKey);
  }
}

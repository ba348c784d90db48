import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import {
  type HttpAnswer,
  type LocalAppClient,
  LocalCognito,
  UNAUTHORIZED_MESSAGE,
} from '../../../../local/apigateway/cognito';

const BASE = 'http://127.0.0.1:3000';
const POOL = 'eu-west-1_LocalPool';
const OTHER_POOL = 'eu-west-1_OtherPool';
const START = Date.UTC(2025, 5, 3, 9, 4, 5);

let time = START;
let cognito: LocalCognito;
let ingest: LocalAppClient;
let reporting: LocalAppClient;
let outsider: LocalAppClient;

beforeAll(async () => {
  cognito = await LocalCognito.create({
    issuerBaseUrl: BASE,
    userPools: [
      {
        userPoolId: POOL,
        clients: [
          { name: 'ingest', allowedScopes: ['orders/write', 'orders/read'] },
          { name: 'reporting', allowedScopes: ['orders/read'] },
          { name: 'unscoped', allowedScopes: [] },
        ],
      },
      { userPoolId: OTHER_POOL, clients: [{ name: 'outsider', allowedScopes: ['orders/write'] }] },
    ],
    now: () => time,
  });
  const byName = (name: string) => {
    const client = cognito.clients().find((candidate) => candidate.name === name);
    if (!client) throw new Error(`no client ${name}`);
    return client;
  };
  ingest = byName('ingest');
  reporting = byName('reporting');
  outsider = byName('outsider');
});

beforeEach(() => {
  time = START;
});

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

function basic(client: { clientId: string; clientSecret: string }): string {
  return `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;
}

async function token(client: LocalAppClient, scope?: string): Promise<string> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) });
  const answer = await cognito.handleTokenRequest({
    headers: { ...FORM, Authorization: basic(client) },
    body: body.toString(),
  });
  expect(answer.status).toBe(200);
  return (JSON.parse(answer.body) as { access_token: string }).access_token;
}

function error(answer: HttpAnswer): { status: number; error: unknown } {
  return { status: answer.status, error: (JSON.parse(answer.body) as { error?: unknown }).error };
}

describe('clients', () => {
  it('lists one app client per configured client, with Cognito-shaped ids and secrets', () => {
    const clients = cognito.clients();
    expect(clients.map((client) => [client.userPoolId, client.name])).toEqual([
      [POOL, 'ingest'],
      [POOL, 'reporting'],
      [POOL, 'unscoped'],
      [OTHER_POOL, 'outsider'],
    ]);
    for (const client of clients) {
      expect(client.clientId).toMatch(/^[a-z0-9]{26}$/);
      expect(client.clientSecret).toMatch(/^[a-z0-9]{51}$/);
    }
    expect(new Set(clients.map((client) => client.clientId)).size).toBe(4);
    expect(ingest.allowedScopes).toEqual(['orders/write', 'orders/read']);
  });
});

describe('clients from a template', () => {
  it('keep the client id the template gave them', async () => {
    const fromTemplate = await LocalCognito.create({
      issuerBaseUrl: BASE,
      userPools: [
        {
          userPoolId: POOL,
          clients: [{ name: 'partner', allowedScopes: [], clientId: 'templateclientid00000000' }],
        },
      ],
    });
    expect(fromTemplate.clients()[0]?.clientId).toBe('templateclientid00000000');
  });
});

describe('POST /oauth2/token', () => {
  it('issues an access token for client credentials sent with HTTP Basic', async () => {
    const answer = await cognito.handleTokenRequest({
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(ingest) },
      body: 'grant_type=client_credentials',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['Content-Type']).toBe('application/json;charset=UTF-8');
    expect(answer.headers['Cache-Control']).toContain('no-store');
    const body = JSON.parse(answer.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(body).toMatchObject({ expires_in: 3600, token_type: 'Bearer' });
  });

  it('puts Cognito’s claims in the access token, with every allowed scope when none is asked for', async () => {
    const jwt = await token(ingest);
    const iat = Math.floor(START / 1000);
    const claims = decodeJwt(jwt);
    expect(Object.keys(claims)).toEqual([
      'sub',
      'token_use',
      'scope',
      'auth_time',
      'iss',
      'exp',
      'iat',
      'version',
      'jti',
      'client_id',
    ]);
    expect(claims).toEqual({
      sub: ingest.clientId,
      token_use: 'access',
      scope: 'orders/write orders/read',
      auth_time: iat,
      iss: `${BASE}/${POOL}`,
      exp: iat + 3600,
      iat,
      version: 2,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      client_id: ingest.clientId,
    });
    expect(decodeProtectedHeader(jwt)).toEqual({ kid: expect.any(String), alg: 'RS256' });
  });

  it('accepts client_id and client_secret in the body', async () => {
    const answer = await cognito.handleTokenRequest({
      headers: FORM,
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: reporting.clientId,
        client_secret: reporting.clientSecret,
      }).toString(),
    });
    expect(answer.status).toBe(200);
  });

  it('grants only the scopes asked for', async () => {
    const jwt = await token(ingest, 'orders/read');
    expect(decodeJwt(jwt).scope).toBe('orders/read');
  });

  it('signs tokens that the pool’s JWKS verifies', async () => {
    const jwt = await token(ingest);
    const jwks = cognito.jwks(POOL);
    expect(jwks.status).toBe(200);
    const keySet = JSON.parse(jwks.body) as JSONWebKeySet;
    expect(keySet.keys).toHaveLength(1);
    expect(keySet.keys[0]).toEqual({
      alg: 'RS256',
      e: 'AQAB',
      kid: decodeProtectedHeader(jwt).kid,
      kty: 'RSA',
      n: expect.any(String),
      use: 'sig',
    });
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(keySet), {
      issuer: `${BASE}/${POOL}`,
      currentDate: new Date(START),
    });
    expect(payload.client_id).toBe(ingest.clientId);
  });

  it('signs each pool with its own key', async () => {
    const jwt = await token(outsider);
    const keySet = JSON.parse(cognito.jwks(POOL).body) as JSONWebKeySet;
    await expect(
      jwtVerify(jwt, createLocalJWKSet(keySet), { currentDate: new Date(START) }),
    ).rejects.toThrow();
  });

  it('honours tokenValiditySeconds', async () => {
    const short = await LocalCognito.create({
      issuerBaseUrl: BASE,
      userPools: [{ userPoolId: POOL, clients: [{ name: 'c', allowedScopes: ['s/x'] }] }],
      tokenValiditySeconds: 300,
      now: () => START,
    });
    const [client] = short.clients();
    if (!client) throw new Error('no client');
    const answer = await short.handleTokenRequest({
      headers: { ...FORM, Authorization: basic(client) },
      body: 'grant_type=client_credentials',
    });
    const body = JSON.parse(answer.body) as { access_token: string; expires_in: number };
    expect(body.expires_in).toBe(300);
    expect(decodeJwt(body.access_token).exp).toBe(Math.floor(START / 1000) + 300);
  });

  it('accepts a form content type with a charset', async () => {
    const answer = await cognito.handleTokenRequest({
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8',
        Authorization: basic(ingest),
      },
      body: 'grant_type=client_credentials',
    });
    expect(answer.status).toBe(200);
  });
});

describe('POST /oauth2/token refusals', () => {
  it.each([
    ['a scope the client is not allowed', { scope: 'orders/write' }, 'invalid_scope'],
    ['an allowed and a foreign scope', { scope: 'orders/read orders/delete' }, 'invalid_scope'],
    ['an unknown grant type', { grant_type: 'password' }, 'unsupported_grant_type'],
    ['no grant type', { grant_type: '' }, 'invalid_request'],
    ['the authorization code grant', { grant_type: 'authorization_code', code: 'x' }, 'unauthorized_client'],
  ] as const)('refuses %s', async (_case, fields, expected) => {
    const body = new URLSearchParams({ grant_type: 'client_credentials', ...fields });
    if (body.get('grant_type') === '') body.delete('grant_type');
    const answer = await cognito.handleTokenRequest({
      headers: { ...FORM, Authorization: basic(reporting) },
      body: body.toString(),
    });
    expect(error(answer)).toEqual({ status: 400, error: expected });
    expect(answer.headers['Content-Type']).toBe('application/json;charset=UTF-8');
  });

  it('refuses a client that has no scopes to grant', async () => {
    const unscoped = cognito.clients().find((client) => client.name === 'unscoped');
    if (!unscoped) throw new Error('no client');
    const answer = await cognito.handleTokenRequest({
      headers: { ...FORM, Authorization: basic(unscoped) },
      body: 'grant_type=client_credentials',
    });
    expect(error(answer)).toEqual({ status: 400, error: 'invalid_grant' });
  });

  // Tables are built before the clients exist: CLIENT stands for the ingest client's id.
  it.each([
    ['a wrong secret', 'CLIENT:wrong', ''],
    ['an unknown client', 'nobody:x', ''],
    ['no credentials', undefined, ''],
    ['a client id without a secret', undefined, 'client_id=CLIENT'],
    ['a Basic header without a colon', 'CLIENT', ''],
    ['a body client_id that contradicts the Basic header', 'CLIENT:SECRET', 'client_id=someone-else'],
  ])('refuses %s with invalid_client', async (_case, credentials, extra) => {
    const fill = (text: string) =>
      text.replace('CLIENT', ingest.clientId).replace('SECRET', ingest.clientSecret);
    const authorization =
      credentials === undefined ? undefined : `Basic ${Buffer.from(fill(credentials)).toString('base64')}`;
    const body = ['grant_type=client_credentials', fill(extra)].filter(Boolean).join('&');
    const answer = await cognito.handleTokenRequest({
      headers: { ...FORM, ...(authorization ? { Authorization: authorization } : {}) },
      body,
    });
    expect(error(answer)).toEqual({ status: 400, error: 'invalid_client' });
  });

  it('refuses a body that is not form-encoded', async () => {
    const answer = await cognito.handleTokenRequest({
      headers: { 'Content-Type': 'application/json', Authorization: basic(ingest) },
      body: '{"grant_type":"client_credentials"}',
    });
    expect(error(answer)).toEqual({ status: 400, error: 'invalid_request' });
  });
});

describe('GET /{userPoolId}/.well-known/jwks.json', () => {
  it('answers 404 for a pool it does not host', () => {
    const answer = cognito.jwks('eu-west-1_Nope');
    expect(answer.status).toBe(404);
    expect(answer.headers['Content-Type']).toContain('application/json');
  });
});

describe('verify, as the COGNITO_USER_POOLS authorizer decides', () => {
  const scoped = { userPoolIds: [POOL], scopes: ['orders/write'] };

  it('accepts a valid access token carrying one of the method’s scopes, raw or as a Bearer token', async () => {
    const jwt = await token(ingest);
    const raw = await cognito.verify(jwt, scoped);
    const bearer = await cognito.verify(`Bearer ${jwt}`, scoped);
    expect(raw.ok).toBe(true);
    expect(bearer).toEqual(raw);
  });

  it('hands over every claim as a string, dates as API Gateway renders them', async () => {
    const jwt = await token(ingest);
    const result = await cognito.verify(jwt, {
      userPoolIds: [POOL],
      scopes: ['orders/delete', 'orders/read'],
    });
    if (!result.ok) throw new Error(`rejected: ${result.reason}`);
    const iat = Math.floor(START / 1000);
    expect(result.claims).toEqual({
      sub: ingest.clientId,
      token_use: 'access',
      scope: 'orders/write orders/read',
      auth_time: String(iat),
      iss: `${BASE}/${POOL}`,
      exp: 'Tue Jun 03 10:04:05 UTC 2025',
      iat: 'Tue Jun 03 09:04:05 UTC 2025',
      version: '2',
      jti: decodeJwt(jwt).jti,
      client_id: ingest.clientId,
    });
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['a bare Bearer', 'Bearer '],
  ])('answers missing for %s', async (_case, header) => {
    expect(await cognito.verify(header, scoped)).toEqual({ ok: false, reason: 'missing' });
  });

  it.each([
    ['garbage', 'not-a-jwt'],
    ['a JWT signed by another key', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
  ])('answers invalid for %s', async (_case, header) => {
    expect(await cognito.verify(header, scoped)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('answers invalid for a token whose signature was tampered with', async () => {
    const jwt = await token(ingest);
    const [header, payload] = jwt.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...decodeJwt(jwt), scope: 'orders/write orders/admin' }),
    ).toString('base64url');
    expect(payload).not.toBe(forged);
    const signature = jwt.split('.')[2];
    expect(await cognito.verify(`${header}.${forged}.${signature}`, scoped)).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('answers invalid for a token from a pool the authorizer does not use', async () => {
    const jwt = await token(outsider);
    expect(await cognito.verify(jwt, scoped)).toEqual({ ok: false, reason: 'invalid' });
    expect(
      (await cognito.verify(jwt, { userPoolIds: [POOL, OTHER_POOL], scopes: ['orders/write'] })).ok,
    ).toBe(true);
  });

  it('answers scope when the token has none of the method’s scopes', async () => {
    const jwt = await token(reporting);
    expect(await cognito.verify(jwt, scoped)).toEqual({ ok: false, reason: 'scope' });
  });

  it('answers invalid for an access token on a method without scopes, which expects an ID token', async () => {
    const jwt = await token(ingest);
    expect(await cognito.verify(jwt, { userPoolIds: [POOL] })).toEqual({ ok: false, reason: 'invalid' });
    expect(await cognito.verify(jwt, { userPoolIds: [POOL], scopes: [] })).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('answers expired once the token’s exp has passed', async () => {
    const jwt = await token(ingest);
    time = START + 3_599_000;
    expect((await cognito.verify(jwt, scoped)).ok).toBe(true);
    time = START + 3_600_000;
    expect(await cognito.verify(jwt, scoped)).toEqual({ ok: false, reason: 'expired' });
  });
});

describe('UNAUTHORIZED_MESSAGE', () => {
  it('words every failure as API Gateway does, the expired token apart', () => {
    expect(UNAUTHORIZED_MESSAGE).toEqual({
      missing: 'Unauthorized',
      invalid: 'Unauthorized',
      scope: 'Unauthorized',
      expired: 'The incoming token has expired',
    });
  });
});

import { LocalCognito } from '../../../../local/apigateway/cognito';
import type { HttpReply, IncomingApiRequest } from '../../../../local/apigateway/proxy-event';
import type { RestApiEmulator } from '../../../../local/apigateway/rest-api';
import { RestApiEmulator as Emulator } from '../../../../local/apigateway/rest-api';
import { ApiServer } from '../../../../local/apigateway/server';
import {
  ACCOUNT,
  POOL_ID as API_POOL_ID,
  FakeRuntime,
  returns,
  TEST_API,
} from '../../../fixtures/local-services/rest-api';

const POOL_ID = 'us-east-1_ServerPool';

/** An emulator stand-in that owns some stages and records what it is handed. */
class RecordingApi {
  readonly received: { stage: string; request: IncomingApiRequest }[] = [];

  constructor(
    private readonly stages: readonly string[],
    private readonly reply: (request: IncomingApiRequest) => HttpReply | Promise<HttpReply>,
  ) {}

  hasStage(stage: string): boolean {
    return this.stages.includes(stage);
  }

  async handle(stage: string, request: IncomingApiRequest): Promise<HttpReply> {
    this.received.push({ stage, request });
    return this.reply(request);
  }

  last(): { stage: string; request: IncomingApiRequest } {
    const last = this.received.at(-1);
    if (!last) throw new Error('nothing received');
    return last;
  }
}

const reply = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpReply => ({
  statusCode,
  headers,
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});

const asEmulators = (apis: readonly RecordingApi[]) => apis as unknown as RestApiEmulator[];

async function started(): Promise<{ server: ApiServer; url: string }> {
  const server = new ApiServer();
  return { server, url: await server.start('127.0.0.1', 0) };
}

describe('ApiServer before attach', () => {
  let server: ApiServer;
  let url = '';

  beforeAll(async () => {
    ({ server, url } = await started());
  });

  afterAll(() => server.stop());

  it('listens on the port it was given (0: a free one) and says so in its URL', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toBe('http://127.0.0.1:0');
  });

  it.each([
    ['GET', '/dev/v1/orders'],
    ['POST', '/oauth2/token'],
  ])('answers %s %s with 503 while starting', async (method, path) => {
    const response = await fetch(`${url}${path}`, { method });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ message: 'Starting' });
  });
});

describe('ApiServer with the local Cognito', () => {
  let server: ApiServer;
  let url = '';
  let cognito: LocalCognito;

  beforeAll(async () => {
    ({ server, url } = await started());
    cognito = await LocalCognito.create({
      issuerBaseUrl: url,
      userPools: [{ userPoolId: POOL_ID, clients: [{ name: 'writer', allowedScopes: ['orders/write'] }] }],
    });
    server.attach([], cognito);
  });

  afterAll(() => server.stop());

  const credentials = () => {
    const client = cognito.clients()[0];
    if (!client) throw new Error('no app client');
    return client;
  };

  it('issues an access token at POST /oauth2/token', async () => {
    const { clientId, clientSecret } = credentials();
    const response = await fetch(`${url}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('no-store');
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const verdict = await cognito.verify(body.access_token, {
      userPoolIds: [POOL_ID],
      scopes: ['orders/write'],
    });
    expect(verdict.ok).toBe(true);
  });

  it('passes the Cognito’s refusal of a bad token request through', async () => {
    const response = await fetch(`${url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${credentials().clientId}&client_secret=wrong`,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_client' });
  });

  it('serves a pool’s key set at GET /{pool}/.well-known/jwks.json', async () => {
    const response = await fetch(`${url}/${POOL_ID}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(keys).toEqual([expect.objectContaining({ alg: 'RS256', kty: 'RSA', use: 'sig' })]);
  });

  it('answers the key set of an unknown pool with 404', async () => {
    const response = await fetch(`${url}/us-east-1_Nope/.well-known/jwks.json`);
    expect(response.status).toBe(404);
  });

  it('answers a stage path with 404 when the template has no API', async () => {
    const response = await fetch(`${url}/dev/v1/orders`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'No API in the template' });
  });
});

describe('ApiServer routing to the REST APIs', () => {
  let server: ApiServer;
  let url = '';
  const orders = new RecordingApi(['dev', 'prod'], () =>
    reply(201, { api: 'orders' }, { 'x-api': 'orders' }),
  );
  const admin = new RecordingApi(['admin'], () => reply(200, '<ok/>', { 'Content-Type': 'application/xml' }));
  const broken = new RecordingApi(['broken'], () => {
    throw new Error('boom');
  });

  beforeAll(async () => {
    ({ server, url } = await started());
    const cognito = await LocalCognito.create({ issuerBaseUrl: url, userPools: [] });
    server.attach(asEmulators([orders, admin, broken]), cognito);
  });

  afterAll(() => server.stop());

  it('hands /{stage}/… to the API owning the stage, with the path after the stage', async () => {
    const response = await fetch(`${url}/admin/v1/reports/daily`);
    expect(response.status).toBe(200);
    expect(admin.last()).toMatchObject({
      stage: 'admin',
      request: { method: 'GET', path: '/v1/reports/daily' },
    });
    const prod = await fetch(`${url}/prod/v1/orders`);
    expect(await prod.json()).toEqual({ api: 'orders' });
    expect(orders.last()).toMatchObject({ stage: 'prod', request: { path: '/v1/orders' } });
  });

  it('returns the API’s status, headers and body, JSON by default', async () => {
    const response = await fetch(`${url}/dev/v1/orders`);
    expect(response.status).toBe(201);
    expect(response.headers.get('x-api')).toBe('orders');
    expect(response.headers.get('content-type')).toBe('application/json');
    const xml = await fetch(`${url}/admin/x`);
    expect(xml.headers.get('content-type')).toBe('application/xml');
    expect(await xml.text()).toBe('<ok/>');
  });

  it('passes the query string, headers, body and source address through', async () => {
    await fetch(`${url}/dev/v1/orders?status=open&tag=a&tag=b%20c`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'key-1', 'Idempotency-Key': 'idem-1' },
      body: '{"amount":5}',
    });
    const { request } = orders.last();
    expect(request.method).toBe('POST');
    expect(request.query.get('status')).toBe('open');
    expect(request.query.getAll('tag')).toEqual(['a', 'b c']);
    expect(request.headers).toMatchObject({ 'x-api-key': 'key-1', 'idempotency-key': 'idem-1' });
    expect(request.body.toString('utf8')).toBe('{"amount":5}');
    expect(request.sourceIp).toMatch(/127\.0\.0\.1$/);
  });

  it('hands a path of the stage alone to the API as the root', async () => {
    await fetch(`${url}/dev`);
    expect(orders.last()).toMatchObject({ stage: 'dev', request: { path: '/' } });
  });

  it('hands an unknown stage to the first API, which answers for it', async () => {
    await fetch(`${url}/staging/v1/orders`);
    expect(orders.last()).toMatchObject({ stage: 'staging', request: { path: '/v1/orders' } });
  });

  it('answers 500 with the error when the API fails', async () => {
    const response = await fetch(`${url}/broken/v1/x`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Error: boom' });
  });

  it('does not mistake a stage path for the token endpoint', async () => {
    await fetch(`${url}/dev/oauth2/token`, { method: 'POST', body: 'x' });
    expect(orders.last()).toMatchObject({ stage: 'dev', request: { path: '/oauth2/token' } });
  });
});

describe('ApiServer with a real REST API emulator', () => {
  let server: ApiServer;
  let url = '';
  let cognito: LocalCognito;
  const runtime = new FakeRuntime().on('backend', () =>
    returns({ statusCode: 202, body: '{"queued":true}' }),
  );

  beforeAll(async () => {
    ({ server, url } = await started());
    cognito = await LocalCognito.create({
      issuerBaseUrl: url,
      userPools: [
        { userPoolId: API_POOL_ID, clients: [{ name: 'writer', allowedScopes: ['orders/write'] }] },
      ],
    });
    const api = new Emulator({
      api: TEST_API,
      runtime: runtime.asRuntime(),
      cognito,
      accountId: ACCOUNT,
      region: 'us-east-1',
      domainName: new URL(url).host,
    });
    server.attach([api], cognito);
  });

  afterAll(() => server.stop());

  it('accepts an order with a token from its own token endpoint', async () => {
    const client = cognito.clients()[0];
    const tokenResponse = await fetch(`${url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${client?.clientId}&client_secret=${client?.clientSecret}`,
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    const response = await fetch(`${url}/dev/v1/orders`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': 'k-1',
      },
      body: '{"amount":5}',
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ queued: true });
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a route the API lacks with its gateway response', async () => {
    const response = await fetch(`${url}/dev/v1/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ success: false, error_code: 'ROUTE_NOT_FOUND' });
  });
});

import { HttpClient } from '../../../utils/http/client';
import {
  ProviderError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from '../../../utils/http/client-errors';
import { ResiliencePolicy, type ResilienceSettings } from '../../../utils/resilience/policies';
import { recordingSleep, ScriptedServer, scriptedServerPerFile } from '../../support/scripted-server';

const NOW = Date.parse('2025-01-15T10:00:00Z');
const SETTINGS: ResilienceSettings = {
  provider: 'payment',
  retries: 3,
  backoff: 'exponential',
  timeoutMs: 2_000,
  initialDelayMs: 100,
  maxDelayMs: 4_000,
  idempotency: 'key',
};

const server = scriptedServerPerFile();

function setup(settings: Partial<ResilienceSettings> = {}, random = () => 0.5) {
  const clock = recordingSleep();
  const policy = new ResiliencePolicy(
    { ...SETTINGS, ...settings },
    { sleep: clock.sleep, random, now: () => NOW },
  );
  const client = new HttpClient({
    provider: 'payment',
    baseUrl: server.url,
    errorCodePaths: ['error.code'],
    now: () => NOW,
  });
  return { client, policy, waits: clock.waits };
}

const charge = {
  method: 'POST',
  path: '/v1/charges',
  body: { amount: 100 },
  idempotencyKey: 'order-1:charge',
} as const;

describe('HttpClient requests', () => {
  it('sends JSON with the correlation id and reads the JSON answer', async () => {
    const { client, policy } = setup();
    server.reply({ status: 200, body: { id: 'ch_1' }, headers: { 'request-id': 'req_1' } });
    const response = await client.request({
      ...charge,
      correlationId: 'corr-42',
      query: { expand: 'x y' },
      policy,
    });
    expect(response).toMatchObject({ status: 200, body: { id: 'ch_1' }, attempts: 1 });
    expect(response.headers.get('request-id')).toBe('req_1');
    const [received] = server.received;
    expect(received).toMatchObject({ method: 'POST', url: '/v1/charges?expand=x+y', body: '{"amount":100}' });
    expect(received?.headers).toMatchObject({
      'content-type': 'application/json',
      'idempotency-key': 'order-1:charge',
      'x-correlation-id': 'corr-42',
      accept: 'application/json',
    });
  });

  it('sends form-encoded bodies with nested fields the way Stripe reads them', async () => {
    const { client, policy } = setup();
    await client.request({
      ...charge,
      body: { amount: 100, metadata: { order_id: 'o 1' }, tags: ['a', 'b'], skipped: undefined },
      encoding: 'form',
      policy,
    });
    expect(server.received[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(decodeURIComponent(server.received[0]?.body ?? '')).toBe(
      'amount=100&metadata[order_id]=o+1&tags[0]=a&tags[1]=b',
    );
  });
});

describe('HttpClient retries', () => {
  it('retries a 5xx with full-jitter backoff, keeping the same Idempotency-Key', async () => {
    const { client, policy, waits } = setup({}, () => 0.5);
    server.reply({ status: 500 }, { status: 503 }, { status: 200, body: { id: 'ch_1' } });
    const response = await client.request({ ...charge, policy });
    expect(response.attempts).toBe(3);
    expect(waits).toEqual([50, 100]);
    expect(server.received.map((request) => request.headers['idempotency-key'])).toEqual([
      'order-1:charge',
      'order-1:charge',
      'order-1:charge',
    ]);
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    const { client, policy, waits } = setup();
    server.reply(
      { status: 429, headers: { 'retry-after': '2' } },
      { status: 429, headers: { 'retry-after': 'Wed, 15 Jan 2025 10:00:03 GMT' } },
      { status: 200, body: {} },
    );
    await client.request({ ...charge, policy });
    expect(waits).toEqual([2_000, 3_000]);
  });

  it('gives up at once on a Retry-After longer than the longest delay', async () => {
    const { client, policy } = setup({ maxDelayMs: 1_000 });
    server.reply({ status: 429, headers: { 'retry-after': '60' }, body: { error: { code: 'rate_limit' } } });
    const error = await client.request({ ...charge, policy }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ attempts: 1, retryAfterMs: 60_000 });
    expect(server.received).toHaveLength(1);
  });

  it('never retries other 4xx answers, and keeps the provider status and code', async () => {
    const { client, policy } = setup();
    server.reply({ status: 400, body: { error: { code: 'parameter_missing', message: 'Missing amount' } } });
    const error = await client.request({ ...charge, policy }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      provider: 'payment',
      providerStatus: 400,
      providerCode: 'parameter_missing',
      code: 'INTEGRATION_FAILURE',
    });
    expect(server.received).toHaveLength(1);
  });

  it('turns 5xx answers that outlast the retries into ProviderUnavailableError', async () => {
    const { client, policy, waits } = setup({ retries: 2 });
    server.reply({ status: 500 }, { status: 502 }, { status: 503, body: { error: { code: 'overloaded' } } });
    const error = await client.request({ ...charge, policy }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ attempts: 3, code: 'SERVICE_UNAVAILABLE', retryable: true });
    expect((error as Error).cause).toMatchObject({ providerStatus: 503, providerCode: 'overloaded' });
    expect(waits).toHaveLength(2);
  });

  it('times out each attempt, retries it, and fails with ProviderTimeoutError', async () => {
    const { client, policy } = setup({ retries: 1, timeoutMs: 50 });
    server.reply('hang', 'hang');
    const error = await client.request({ ...charge, policy }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderTimeoutError);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ attempts: 2, code: 'INTEGRATION_TIMEOUT' });
    expect(server.received).toHaveLength(2);
  });

  it('retries a dropped connection when the call is idempotent', async () => {
    const { client, policy } = setup();
    server.reply('drop', { status: 200, body: { id: 'ch_1' } });
    const response = await client.request({ ...charge, policy });
    expect(response).toMatchObject({ attempts: 2, body: { id: 'ch_1' } });
  });

  it('does not repeat a call without idempotency after a 5xx, but does after a 429', async () => {
    const { client, policy } = setup({ idempotency: 'none' });
    server.reply({ status: 503 });
    await expect(client.request({ ...charge, policy })).rejects.toMatchObject({ attempts: 1 });
    server.reply({ status: 429 }, { status: 202 });
    await expect(client.request({ ...charge, policy })).resolves.toMatchObject({ status: 202, attempts: 2 });
  });

  it('retries a refused connection even without idempotency', async () => {
    const closed = await new ScriptedServer().start();
    await closed.stop();
    const clock = recordingSleep();
    const policy = new ResiliencePolicy(
      { ...SETTINGS, idempotency: 'none', retries: 2 },
      { ...clock, random: () => 0, now: () => NOW },
    );
    const client = new HttpClient({ provider: 'email', baseUrl: closed.url });
    const error = await client.request({ ...charge, policy }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ attempts: 3 });
  });
});

describe('HttpClient guards and connections', () => {
  it('refuses a mutating call without an Idempotency-Key before sending it', async () => {
    const { client, policy } = setup();
    await expect(client.request({ method: 'PATCH', path: '/x', body: {}, policy })).rejects.toThrow(
      'PATCH /x needs an idempotency key',
    );
    expect(server.received).toHaveLength(0);
  });

  it('runs the whole retried call inside the circuit breaker', async () => {
    const calls: string[] = [];
    const breaker = {
      async execute<T>(fn: () => Promise<T>): Promise<T> {
        calls.push('enter');
        try {
          return await fn();
        } finally {
          calls.push('leave');
        }
      },
    };
    const { policy } = setup();
    const client = new HttpClient({ provider: 'payment', baseUrl: server.url, breaker });
    server.reply({ status: 503 }, { status: 200, body: {} });
    await client.request({ ...charge, policy });
    expect(calls).toEqual(['enter', 'leave']);
    expect(server.received).toHaveLength(2);

    const open = {
      execute: () => Promise.reject(new ProviderUnavailableError('payment', 'circuit open', { attempts: 0 })),
    };
    const guarded = new HttpClient({ provider: 'payment', baseUrl: server.url, breaker: open });
    await expect(guarded.request({ ...charge, policy })).rejects.toThrow('circuit open');
    expect(server.received).toHaveLength(2);
  });

  it('keeps the connection alive between calls', async () => {
    const fresh = await new ScriptedServer().start();
    try {
      const { policy } = setup();
      const client = new HttpClient({ provider: 'payment', baseUrl: fresh.url });
      for (const path of ['/a', '/b', '/c']) {
        await client.request({ method: 'GET', path, policy });
        // undici hands the socket back to its pool on the next turn of the event loop.
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(fresh.received.map((request) => request.connection)).toEqual([1, 1, 1]);
    } finally {
      await fresh.stop();
    }
  });

  it('returns a text body as text and an empty one as undefined', async () => {
    const { client, policy } = setup();
    server.reply({ status: 200, body: 'plain' }, { status: 204 });
    await expect(client.request({ method: 'GET', path: '/t', policy })).resolves.toMatchObject({
      body: 'plain',
    });
    const empty = await client.request({ method: 'GET', path: '/e', policy });
    expect(empty.body).toBeUndefined();
  });
});

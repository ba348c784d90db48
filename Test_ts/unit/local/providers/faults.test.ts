import type { SandboxProvider, SandboxProviders } from '../../../../local/providers';
import { bearer, credentials, eventually, lastCall, send, startSandbox } from './fixtures';

let sandbox: SandboxProviders;
let randoms: number[] = [];
let randomCalls = 0;
const random = () => {
  randomCalls += 1;
  return randoms.shift() ?? 0.99;
};

/** One ordinary request per provider, answered normally when no fault is set. */
const requests: Record<string, (s: SandboxProviders) => Promise<Response>> = {
  payment: (s) => fetch(`${s.payment.url}/v1/charges/ch_none`, { headers: bearer(credentials.payment) }),
  email: (s) =>
    fetch(`${s.email.url}/v3/mail/send`, { method: 'POST', headers: bearer(credentials.email), body: '{}' }),
  crm: (s) =>
    fetch(`${s.crm.url}/services/data/v60.0/sobjects/Contact/External_Id__c/x`, {
      headers: bearer(credentials.crm),
    }),
  analytics: (s) =>
    fetch(`${s.analytics.url}/mp/collect?measurement_id=G-1&api_secret=${credentials.analytics}`, {
      method: 'POST',
      body: '{}',
    }),
};

beforeAll(async () => {
  sandbox = await startSandbox({ random });
});
afterAll(() => sandbox.stop());
beforeEach(() => {
  for (const provider of sandbox.all()) provider.reset();
  randoms = [];
  randomCalls = 0;
});

describe('sandbox faults: errors', () => {
  it.each([
    ['payment', { error: { type: 'api_error', message: expect.any(String) } }],
    ['email', { errors: [{ message: expect.any(String), field: null }] }],
    ['crm', [{ errorCode: 'SERVER_UNAVAILABLE', message: expect.any(String) }]],
    ['analytics', { error: { code: 503, status: 'UNAVAILABLE', message: expect.any(String) } }],
  ] as const)('%s answers errorStatus 503 with its own error body at error rate 1', async (name, shape) => {
    const provider = sandbox[name];
    provider.setFaults({ errorRate: 1 });
    for (let i = 0; i < 3; i += 1) {
      const response = await requests[name]?.(sandbox);
      expect(response?.status).toBe(503);
      expect(await response?.json()).toEqual(shape);
    }
    expect(provider.calls().map((c) => [c.status, c.fault])).toEqual([
      [503, 'error'],
      [503, 'error'],
      [503, 'error'],
    ]);
  });

  it('answers the configured errorStatus', async () => {
    sandbox.payment.setFaults({ errorRate: 1, errorStatus: 429 });
    const response = await requests.payment?.(sandbox);
    expect(response?.status).toBe(429);
    expect(await response?.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'rate_limit' },
    });
  });
});

describe('sandbox faults: timeouts and latency', () => {
  it.each(['payment', 'email', 'crm', 'analytics'] as const)(
    '%s never answers at timeout rate 1, and records the call as a timeout',
    async (name) => {
      const provider: SandboxProvider = sandbox[name];
      provider.setFaults({ timeoutRate: 1 });
      const url = `${provider.url}/anything`;
      await expect(fetch(url, { signal: AbortSignal.timeout(200) })).rejects.toThrow(/aborted|timeout/i);
      await eventually(() => provider.calls().length === 1);
      expect(lastCall(provider)).toMatchObject({ status: 'timeout', fault: 'timeout' });
      expect(lastCall(provider).durationMs).toBeGreaterThanOrEqual(150);
    },
  );

  it('adds the configured latency before answering', async () => {
    sandbox.crm.setFaults({ latencyMs: 150 });
    const started = performance.now();
    const response = await requests.crm?.(sandbox);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(response?.status).toBe(404);
    expect(lastCall(sandbox.crm)).toMatchObject({ status: 404, fault: 'latency' });
    expect(lastCall(sandbox.crm).durationMs).toBeGreaterThanOrEqual(145);
  });

  it('adds latency before an injected error too', async () => {
    sandbox.crm.setFaults({ latencyMs: 100, errorRate: 1 });
    const started = performance.now();
    const response = await requests.crm?.(sandbox);
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
    expect(response?.status).toBe(503);
    expect(lastCall(sandbox.crm).fault).toBe('error');
  });
});

describe('sandbox faults: determinism', () => {
  it('follows the injected random numbers', async () => {
    sandbox.analytics.setFaults({ errorRate: 0.5 });
    randoms = [0.1, 0.7, 0.49, 0.5, 0.2];
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await requests.analytics?.(sandbox))?.status ?? 0);
    expect(statuses).toEqual([503, 204, 503, 204, 503]);
  });

  it('draws the timeout first, then the error', async () => {
    sandbox.email.setFaults({ errorRate: 0.5, timeoutRate: 0.5 });
    randoms = [0.9, 0.1];
    const response = await requests.email?.(sandbox);
    expect(response?.status).toBe(503);
    expect(randomCalls).toBe(2);
  });

  it('draws nothing when the rates are 0 or 1', async () => {
    await requests.payment?.(sandbox);
    sandbox.payment.setFaults({ errorRate: 1 });
    await requests.payment?.(sandbox);
    expect(randomCalls).toBe(0);
  });
});

describe('sandbox faults: settings', () => {
  it('starts with no faults and merges partial settings', () => {
    expect(sandbox.payment.faults()).toEqual({
      errorRate: 0,
      errorStatus: 503,
      latencyMs: 0,
      timeoutRate: 0,
    });
    sandbox.payment.setFaults({ errorRate: 0.25 });
    sandbox.payment.setFaults({ latencyMs: 10 });
    expect(sandbox.payment.faults()).toEqual({
      errorRate: 0.25,
      errorStatus: 503,
      latencyMs: 10,
      timeoutRate: 0,
    });
    sandbox.payment.reset();
    expect(sandbox.payment.faults().errorRate).toBe(0);
  });

  it.each([
    [{ errorRate: 1.5 }, /errorRate/],
    [{ timeoutRate: -0.1 }, /timeoutRate/],
    [{ errorStatus: 200 }, /errorStatus/],
    [{ errorStatus: 503.5 }, /errorStatus/],
    [{ latencyMs: -1 }, /latencyMs/],
    [{ latencyMs: Number.NaN }, /latencyMs/],
  ])('rejects %p', (faults, message) => {
    expect(() => sandbox.payment.setFaults(faults)).toThrow(message);
    expect(sandbox.payment.faults().errorRate).toBe(0);
  });

  it('keeps each provider’s faults apart', async () => {
    sandbox.payment.setFaults({ errorRate: 1 });
    expect((await requests.crm?.(sandbox))?.status).toBe(404);
    expect(sandbox.crm.faults().errorRate).toBe(0);
  });
});

describe('sandbox faults: recording', () => {
  it('records method, path, duration, time and the idempotency key', async () => {
    const before = Date.now();
    await send(
      `${sandbox.payment.url}/v1/charges`,
      'POST',
      { amount: 5, currency: 'usd', source: 'tok_visa' },
      {
        ...bearer(credentials.payment),
        'idempotency-key': 'rec-1',
        'x-correlation-id': 'corr-rec-1',
      },
    );
    const call = lastCall(sandbox.payment);
    expect(call).toMatchObject({
      provider: 'payment',
      method: 'POST',
      path: '/v1/charges',
      status: 200,
      idempotencyKey: 'rec-1',
      correlationId: 'corr-rec-1',
    });
    expect(call.fault).toBeUndefined();
    expect(call.id).toEqual(expect.any(String));
    expect(Date.parse(call.at)).toBeGreaterThanOrEqual(before - 1000);
    expect(call.durationMs).toBeGreaterThanOrEqual(0);
    expect(call.responseBody).toMatchObject({ object: 'charge' });
  });

  it('never records the Authorization header', async () => {
    await requests.crm?.(sandbox);
    await requests.email?.(sandbox);
    const recorded = JSON.stringify([...sandbox.crm.calls(), ...sandbox.email.calls()]);
    expect(recorded).not.toContain(credentials.crm);
    expect(recorded).not.toContain(credentials.email);
    expect(recorded.toLowerCase()).not.toContain('bearer');
  });

  it('redacts secret fields in recorded bodies', async () => {
    const url = `${sandbox.analytics.url}/mp/collect?measurement_id=G-1&api_secret=${credentials.analytics}`;
    await send(url, 'POST', { client_id: '1.2', api_secret: 'leaked', events: [{ name: 'login' }] });
    expect(lastCall(sandbox.analytics).requestBody).toMatchObject({ api_secret: 'redacted' });
    expect(JSON.stringify(sandbox.analytics.calls())).not.toMatch(/leaked|ga-api-secret/);
  });
});

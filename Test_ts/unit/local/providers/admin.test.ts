import type { SandboxProviders } from '../../../../local/providers';
import { bearer, credentials, send, startSandbox } from './fixtures';

let sandbox: SandboxProviders;
const admin = (path: string) => `${sandbox.payment.url}/_sandbox/${path}`;
const auth = bearer(credentials.payment);
const charge = () =>
  send(
    `${sandbox.payment.url}/v1/charges`,
    'POST',
    { amount: 300, currency: 'usd', source: 'tok_visa' },
    auth,
  );

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.payment.reset());

describe('sandbox admin surface: calls', () => {
  it('lists and clears the recorded calls', async () => {
    await charge();
    const listed = await send(admin('calls'), 'GET');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ calls: sandbox.payment.calls() });
    expect(sandbox.payment.calls()).toHaveLength(1);

    const cleared = await send(admin('calls'), 'DELETE');
    expect(cleared.status).toBe(204);
    expect(sandbox.payment.calls()).toHaveLength(0);
  });

  it('records no admin request', async () => {
    await send(admin('calls'), 'GET');
    await send(admin('faults'), 'GET');
    expect(sandbox.payment.calls()).toHaveLength(0);
  });

  it('is never subject to faults', async () => {
    sandbox.payment.setFaults({ errorRate: 1, timeoutRate: 1, latencyMs: 1000 });
    const started = performance.now();
    const response = await send(admin('calls'), 'GET');
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(900);
  });

  it('answers 404 for an unknown admin route', async () => {
    const response = await send(admin('nothing'), 'GET');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ message: expect.any(String) });
  });
});

describe('sandbox admin surface: faults and reset', () => {
  it('reads and sets faults with a partial body', async () => {
    const initial = await send(admin('faults'), 'GET');
    expect(initial.body).toEqual({ errorRate: 0, errorStatus: 503, latencyMs: 0, timeoutRate: 0 });

    const updated = await send(admin('faults'), 'PUT', { errorRate: 1, errorStatus: 500 });
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual({ errorRate: 1, errorStatus: 500, latencyMs: 0, timeoutRate: 0 });
    expect(sandbox.payment.faults().errorStatus).toBe(500);
    expect((await charge()).status).toBe(500);
  });

  it.each([
    ['an out-of-range rate', { errorRate: 2 }, /errorRate/],
    ['a string', { latencyMs: '10' }, /latencyMs/],
    ['an unknown field', { jitter: 3 }, /jitter/],
    ['a non-object body', [1], /object/],
    ['malformed JSON', '{"errorRate":', /JSON/],
  ])('answers 400 with a message for %s', async (_name, body, message) => {
    const response = await send(admin('faults'), 'PUT', body);
    expect(response.status).toBe(400);
    expect((response.body as { message: string }).message).toMatch(message);
    expect(sandbox.payment.faults().errorRate).toBe(0);
  });

  it('resets calls, stored objects and faults', async () => {
    const created = await charge();
    const id = (created.body as { id: string }).id;
    await send(admin('faults'), 'PUT', { latencyMs: 5 });

    const reset = await send(admin('reset'), 'POST');
    expect(reset.status).toBe(204);
    expect(sandbox.payment.calls()).toHaveLength(0);
    expect(sandbox.payment.faults().latencyMs).toBe(0);
    const fetched = await send(`${sandbox.payment.url}/v1/charges/${id}`, 'GET', undefined, auth);
    expect(fetched.status).toBe(404);
  });

  it('is served by every provider', async () => {
    for (const provider of sandbox.all()) {
      const response = await send(`${provider.url}/_sandbox/faults`, 'GET');
      expect(response.status).toBe(200);
    }
  });
});

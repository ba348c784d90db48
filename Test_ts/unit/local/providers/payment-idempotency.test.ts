import type { SandboxProviders } from '../../../../local/providers';
import { bearer, credentials, lastCall, send, startSandbox } from './fixtures';

let sandbox: SandboxProviders;
let clock = Date.parse('2026-11-25T10:00:00Z');
const auth = bearer(credentials.payment);
const withKey = (key: string) => ({ ...auth, 'idempotency-key': key });
const charges = () => `${sandbox.payment.url}/v1/charges`;
const body = { amount: 1500, currency: 'usd', source: 'tok_visa', metadata: { order_id: 'o-1' } };

beforeAll(async () => {
  sandbox = await startSandbox({ now: () => clock });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.payment.reset());

describe('payment sandbox: idempotency keys', () => {
  it('replays the stored response for the same key and body', async () => {
    const first = await send(charges(), 'POST', body, withKey('key-1'));
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // The same parameters in another order are the same request.
    const reordered = { metadata: { order_id: 'o-1' }, source: 'tok_visa', currency: 'usd', amount: 1500 };
    const second = await send(charges(), 'POST', reordered, withKey('key-1'));
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('idempotency-key')).toBe('key-1');
    expect(second.body).toEqual(first.body);
    expect(lastCall(sandbox.payment)).toMatchObject({ idempotencyKey: 'key-1', replayed: true, status: 200 });
  });

  it('rejects the same key with a different body', async () => {
    await send(charges(), 'POST', body, withKey('key-2'));
    const response = await send(charges(), 'POST', { ...body, amount: 1600 }, withKey('key-2'));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { type: 'idempotency_error' } });
    expect((response.body as { error: { message: string } }).error.message).toMatch(/same parameters/);
  });

  it('rejects the same key on another endpoint', async () => {
    const first = await send(charges(), 'POST', body, withKey('key-3'));
    const chargeId = (first.body as { id: string }).id;
    const response = await send(
      `${sandbox.payment.url}/v1/refunds`,
      'POST',
      { charge: chargeId },
      withKey('key-3'),
    );
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { type: 'idempotency_error' } });
  });

  it('replays declines too, since the endpoint ran', async () => {
    const declined = { ...body, source: 'tok_chargeDeclined' };
    const first = await send(charges(), 'POST', declined, withKey('key-4'));
    const second = await send(charges(), 'POST', declined, withKey('key-4'));
    expect(second.status).toBe(402);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
  });

  it('saves nothing for a request that failed validation', async () => {
    const invalid = await send(charges(), 'POST', { ...body, amount: -1 }, withKey('key-5'));
    expect(invalid.status).toBe(400);
    const fixed = await send(charges(), 'POST', body, withKey('key-5'));
    expect(fixed.status).toBe(200);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
  });

  it('saves nothing for an injected fault, so a retry reaches the endpoint', async () => {
    sandbox.payment.setFaults({ errorRate: 1 });
    const faulted = await send(charges(), 'POST', body, withKey('key-6'));
    expect(faulted.status).toBe(503);
    sandbox.payment.setFaults({ errorRate: 0 });
    const retried = await send(charges(), 'POST', body, withKey('key-6'));
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });

  it('forgets keys after 24 hours', async () => {
    const first = await send(charges(), 'POST', body, withKey('key-7'));
    clock += 24 * 3600 * 1000 + 1000;
    const later = await send(charges(), 'POST', body, withKey('key-7'));
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect((later.body as { id: string }).id).not.toBe((first.body as { id: string }).id);
  });

  it('rejects a key longer than 255 characters', async () => {
    const response = await send(charges(), 'POST', body, withKey('k'.repeat(256)));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('creates a new charge for every request without a key', async () => {
    const first = await send(charges(), 'POST', body, auth);
    const second = await send(charges(), 'POST', body, auth);
    expect((first.body as { id: string }).id).not.toBe((second.body as { id: string }).id);
  });
});

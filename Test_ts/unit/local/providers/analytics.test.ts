import type { AnalyticsValidationMessage, SandboxProviders } from '../../../../local/providers';
import { credentials, lastCall, send, startSandbox } from './fixtures';

let sandbox: SandboxProviders;
const query = (secret: string = credentials.analytics) => `?measurement_id=G-SANDBOX1&api_secret=${secret}`;
const collect = (body: unknown, secret?: string) =>
  send(`${sandbox.analytics.url}/mp/collect${query(secret)}`, 'POST', body);
const debug = (body: unknown, secret?: string) =>
  send(`${sandbox.analytics.url}/debug/mp/collect${query(secret)}`, 'POST', body);
const codes = (body: unknown) =>
  (body as { validationMessages: AnalyticsValidationMessage[] }).validationMessages.map(
    (m) => m.validationCode,
  );

const valid = {
  client_id: '123.456',
  events: [{ name: 'purchase', params: { currency: 'EUR', value: 61 } }],
};

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.analytics.reset());

describe('analytics sandbox: /mp/collect', () => {
  it('answers 204 and records a valid payload as valid', async () => {
    const response = await collect(valid);
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect(lastCall(sandbox.analytics)).toMatchObject({
      status: 204,
      requestBody: valid,
      validation: { valid: true, messages: [] },
    });
  });

  it('answers 204 for an invalid payload too, and records why it is invalid', async () => {
    const response = await collect({ events: [{ name: '_bad' }] });
    expect(response.status).toBe(204);
    const { validation } = lastCall(sandbox.analytics);
    expect(validation?.valid).toBe(false);
    expect(validation?.messages.map((m) => m.validationCode)).toEqual(
      expect.arrayContaining(['VALUE_REQUIRED', 'NAME_INVALID']),
    );
  });

  it('answers 204 for a wrong api_secret, and never records the secret', async () => {
    const response = await collect(valid, 'wrong-secret');
    expect(response.status).toBe(204);
    const call = lastCall(sandbox.analytics);
    expect(call.path).toBe('/mp/collect?measurement_id=G-SANDBOX1&api_secret=redacted');
    expect(call.validation?.messages).toEqual([expect.objectContaining({ fieldPath: 'api_secret' })]);
    expect(JSON.stringify(sandbox.analytics.calls())).not.toContain('wrong-secret');
  });

  it('answers 204 for malformed JSON', async () => {
    const response = await collect('{"client_id":');
    expect(response.status).toBe(204);
    expect(lastCall(sandbox.analytics).validation?.valid).toBe(false);
  });

  it('answers 404 for an unknown route', async () => {
    const response = await send(`${sandbox.analytics.url}/g/collect`, 'POST', valid);
    expect(response.status).toBe(404);
  });
});

describe('analytics sandbox: /debug/mp/collect', () => {
  it('answers 200 with no messages for a valid payload', async () => {
    const response = await debug(valid);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ validationMessages: [] });
  });

  it('reports a missing client_id', async () => {
    const response = await debug({ events: valid.events });
    expect(response.body).toEqual({
      validationMessages: [
        { fieldPath: 'client_id', description: expect.any(String), validationCode: 'VALUE_REQUIRED' },
      ],
    });
  });

  it.each([
    ['a name starting with a digit', '1purchase', 'NAME_INVALID'],
    ['a name with a dash', 'add-to-cart', 'NAME_INVALID'],
    ['a name over 40 characters', 'e'.repeat(41), 'VALUE_OUT_OF_BOUNDS'],
    ['a reserved name', 'session_start', 'NAME_RESERVED'],
    ['a reserved prefix', 'firebase_thing', 'NAME_RESERVED'],
  ])('reports %s', async (_name, name, code) => {
    const response = await debug({ client_id: '1.2', events: [{ name }] });
    expect(codes(response.body)).toEqual([code]);
  });

  it('reports more than 25 events', async () => {
    const events = Array.from({ length: 26 }, () => ({ name: 'page_view' }));
    const response = await debug({ client_id: '1.2', events });
    expect(codes(response.body)).toEqual(['EXCEEDED_MAX_ENTITIES']);
  });

  it('reports bad parameters', async () => {
    const params = { ok: 1, google_hidden: 2, long_value: 'v'.repeat(101) };
    const response = await debug({ client_id: '1.2', events: [{ name: 'purchase', params }] });
    expect(codes(response.body).sort()).toEqual(['NAME_RESERVED', 'VALUE_OUT_OF_BOUNDS']);
  });

  it('reports missing events', async () => {
    const response = await debug({ client_id: '1.2' });
    expect(codes(response.body)).toEqual(['VALUE_REQUIRED']);
  });

  it('reports a wrong api_secret', async () => {
    const response = await debug(valid, 'nope');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      validationMessages: [
        { fieldPath: 'api_secret', description: expect.any(String), validationCode: 'VALUE_INVALID' },
      ],
    });
  });

  it('answers 400 in the Google error shape for malformed JSON', async () => {
    const response = await debug('{"client_id":');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
  });
});

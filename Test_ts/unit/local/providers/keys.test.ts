import type { SandboxProviders } from '../../../../local/providers';
import { bearer, credentials, send, startSandbox } from './fixtures';

// A sandbox can take its keys from a live list (the local cloud reads them from the connector's
// secret), so a rotated key works at once and the one before it keeps working until the next.

let sandbox: SandboxProviders;
const keys = {
  payment: ['sk_live_rotated_1', 'sk_live_rotated_0'],
  email: ['SG.rotated'],
  crm: ['00Drotated!token'],
  analytics: ['ga-rotated'],
};

beforeAll(async () => {
  sandbox = await startSandbox({
    keys: {
      payment: () => keys.payment,
      email: () => keys.email,
      crm: () => keys.crm,
      analytics: () => keys.analytics,
    },
  });
});
afterAll(() => sandbox.stop());

const charge = (key: string) =>
  send(
    `${sandbox.payment.url}/v1/charges`,
    'POST',
    { amount: 100, currency: 'eur', source: 'tok_visa' },
    bearer(key),
  );

describe('sandbox keys', () => {
  it('payment accepts every key in the list, as a bearer token or basic-auth user, and nothing else', async () => {
    expect((await charge('sk_live_rotated_1')).status).toBe(200);
    expect((await charge('sk_live_rotated_0')).status).toBe(200);
    const basic = { authorization: `Basic ${Buffer.from('sk_live_rotated_0:').toString('base64')}` };
    expect((await send(`${sandbox.payment.url}/v1/charges/ch_missing`, 'GET', undefined, basic)).status).toBe(
      404,
    );
    expect((await charge(credentials.payment)).status).toBe(401);
  });

  it('reads the list at each request', async () => {
    keys.payment = ['sk_live_rotated_2', 'sk_live_rotated_1'];
    expect((await charge('sk_live_rotated_2')).status).toBe(200);
    expect((await charge('sk_live_rotated_0')).status).toBe(401);
  });

  it('email and CRM take the listed bearer tokens only', async () => {
    const mail = {
      personalizations: [{ to: [{ email: 'ada@example.com' }] }],
      from: { email: 'orders@junction.example' },
      subject: 'Hello',
      content: [{ type: 'text/plain', value: 'Hi' }],
    };
    const mailUrl = `${sandbox.email.url}/v3/mail/send`;
    expect((await send(mailUrl, 'POST', mail, bearer('SG.rotated'))).status).toBe(202);
    expect((await send(mailUrl, 'POST', mail, bearer(credentials.email))).status).toBe(401);
    const contactUrl = `${sandbox.crm.url}/services/data/v60.0/sobjects/Contact/External_Id__c/cus-keys`;
    expect((await send(contactUrl, 'GET', undefined, bearer('00Drotated!token'))).status).toBe(404);
    expect((await send(contactUrl, 'GET', undefined, bearer(credentials.crm))).status).toBe(401);
  });

  it('analytics reports an api_secret outside the list', async () => {
    const validate = async (secret: string) => {
      const url = `${sandbox.analytics.url}/debug/mp/collect?measurement_id=G-KEYS01&api_secret=${secret}`;
      const { body } = await send(url, 'POST', { client_id: 'c1', events: [{ name: 'purchase' }] });
      return (body as { validationMessages: { fieldPath: string }[] }).validationMessages.map(
        (message) => message.fieldPath,
      );
    };
    expect(await validate('ga-rotated')).toEqual([]);
    expect(await validate(credentials.analytics)).toEqual(['api_secret']);
  });

  it('without a list, a sandbox takes its credential', async () => {
    const plain = await startSandbox();
    try {
      const answer = await send(
        `${plain.payment.url}/v1/charges`,
        'POST',
        { amount: 100, currency: 'eur', source: 'tok_visa' },
        bearer(credentials.payment),
      );
      expect(answer.status).toBe(200);
    } finally {
      await plain.stop();
    }
  });
});

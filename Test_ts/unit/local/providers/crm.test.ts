import type { SandboxProviders } from '../../../../local/providers';
import { bearer, credentials, send, startSandbox } from './fixtures';

let sandbox: SandboxProviders;
const auth = bearer(credentials.crm);
const contactUrl = (externalId: string, query = '') =>
  `${sandbox.crm.url}/services/data/v60.0/sobjects/Contact/External_Id__c/${externalId}${query}`;
const upsert = (externalId: string, body: unknown, query = '') =>
  send(contactUrl(externalId, query), 'PATCH', body, auth);

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.crm.reset());

describe('CRM sandbox: contact upsert', () => {
  it('creates a contact with 201, then updates it with 200', async () => {
    const created = await upsert('cus-1001', {
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Email: 'ada@example.com',
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^003[A-Za-z0-9]{15}$/),
      success: true,
      errors: [],
      created: true,
    });
    const id = (created.body as { id: string }).id;

    const updated = await upsert('cus-1001', { Phone: '+44 20 7946 0000' });
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual({ id, success: true, errors: [], created: false });

    const fetched = await send(contactUrl('cus-1001'), 'GET', undefined, auth);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({
      attributes: { type: 'Contact', url: `/services/data/v60.0/sobjects/Contact/${id}` },
      Id: id,
      External_Id__c: 'cus-1001',
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Email: 'ada@example.com',
      Phone: '+44 20 7946 0000',
    });
  });

  it('retrieves a contact by its record id too', async () => {
    const created = await upsert('cus-7', { LastName: 'Hopper' });
    const id = (created.body as { id: string }).id;
    const fetched = await send(
      `${sandbox.crm.url}/services/data/v60.0/sobjects/Contact/${id}`,
      'GET',
      undefined,
      auth,
    );
    expect(fetched.body).toMatchObject({ Id: id, LastName: 'Hopper' });
  });

  it('answers 400 REQUIRED_FIELD_MISSING when creating without LastName', async () => {
    const response = await upsert('cus-2', { FirstName: 'Grace' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual([
      {
        message: 'Required fields are missing: [LastName]',
        errorCode: 'REQUIRED_FIELD_MISSING',
        fields: ['LastName'],
      },
    ]);
  });

  it('answers 400 when an update blanks LastName', async () => {
    await upsert('cus-3', { LastName: 'Hopper' });
    const response = await upsert('cus-3', { LastName: '' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject([{ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] }]);
  });

  it('answers 400 INVALID_EMAIL_ADDRESS for a bad email', async () => {
    const response = await upsert('cus-4', { LastName: 'Hopper', Email: 'not-an-address' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject([{ errorCode: 'INVALID_EMAIL_ADDRESS', fields: ['Email'] }]);
  });

  it('answers 400 for a read-only field', async () => {
    const response = await upsert('cus-5', { LastName: 'Hopper', Id: '003000000000000AAA' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject([{ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['Id'] }]);
  });

  it('answers 400 JSON_PARSER_ERROR for malformed JSON', async () => {
    const response = await upsert('cus-6', '{"LastName":');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject([{ errorCode: 'JSON_PARSER_ERROR' }]);
  });

  it('answers 404 for updateOnly on an unknown contact', async () => {
    const response = await upsert('cus-8', { LastName: 'Hopper' }, '?updateOnly=true');
    expect(response.status).toBe(404);
    expect(response.body).toEqual([
      { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
    ]);
  });
});

describe('CRM sandbox: errors', () => {
  it('answers 404 NOT_FOUND for an unknown contact', async () => {
    const response = await send(contactUrl('nobody'), 'GET', undefined, auth);
    expect(response.status).toBe(404);
    expect(response.body).toEqual([
      { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
    ]);
  });

  it.each([
    ['no token', {}],
    ['a wrong token', bearer('00Dwrong')],
  ])('answers 401 INVALID_SESSION_ID for %s', async (_name, headers) => {
    const response = await send(contactUrl('cus-1'), 'PATCH', { LastName: 'X' }, headers);
    expect(response.status).toBe(401);
    expect(response.body).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
  });

  it('answers 404 for an unknown route', async () => {
    const response = await send(
      `${sandbox.crm.url}/services/data/v60.0/sobjects/Account/Name/x`,
      'GET',
      undefined,
      auth,
    );
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject([{ errorCode: 'NOT_FOUND' }]);
  });

  it('answers 413 in the Salesforce shape for a body over 1 MB', async () => {
    const response = await upsert('cus-9', { LastName: 'x'.repeat(1_100_000) });
    expect(response.status).toBe(413);
    expect(response.body).toEqual([
      expect.objectContaining({ errorCode: expect.any(String), message: expect.any(String) }),
    ]);
  });
});

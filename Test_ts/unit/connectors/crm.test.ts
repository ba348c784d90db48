import contact from '../../../events/mappings/customer.to.crm/expected.json';
import { CrmConnector } from '../../../utils/connectors/crm';
import { ProviderError } from '../../../utils/http/client-errors';
import { RequestValidationError } from '../../../utils/http/errors';
import { staticCredentials } from '../../../utils/security/credentials';
import { instantTiming } from '../../support/connectors';
import { scriptedServerPerFile } from '../../support/scripted-server';

const server = scriptedServerPerFile();

const connector = () =>
  new CrmConnector({
    baseUrl: server.url,
    credentials: staticCredentials({ access_token: '00D!token' }),
    timing: instantTiming(),
  });

describe('CrmConnector', () => {
  it('upserts the customer.to.crm output by its external id', async () => {
    server.reply({
      status: 201,
      body: { id: '003AAAAAAAAAAAAAAA', success: true, errors: [], created: true },
    });
    const result = await connector().upsertContact(contact, {
      idempotencyKey: 'evt-1',
      correlationId: 'corr-1',
    });
    expect(result).toEqual({ id: '003AAAAAAAAAAAAAAA', created: true, attempts: 1 });
    const [request] = server.received;
    expect(request).toMatchObject({
      method: 'PATCH',
      url: '/services/data/v60.0/sobjects/Contact/External_Id__c/cus-1001',
    });
    expect(request?.headers).toMatchObject({ authorization: 'Bearer 00D!token', 'idempotency-key': 'evt-1' });
    const { attributes: _attributes, External_Id__c: _externalId, ...fields } = contact;
    expect(JSON.parse(request?.body ?? '')).toEqual(fields);
  });

  it('says whether the upsert updated an existing contact', async () => {
    server.reply({
      status: 200,
      body: { id: '003AAAAAAAAAAAAAAA', success: true, errors: [], created: false },
    });
    await expect(connector().upsertContact(contact, { idempotencyKey: 'evt-2' })).resolves.toMatchObject({
      created: false,
    });
  });

  it('refuses a contact without its external id or outside the contract, before sending it', async () => {
    const { External_Id__c: _externalId, ...anonymous } = contact;
    await expect(connector().upsertContact(anonymous, { idempotencyKey: 'k' })).rejects.toThrow(
      'Invalid salesforce-crm upsert_contact path: external_id',
    );
    await expect(
      connector().upsertContact({ ...contact, Email: 'nope' }, { idempotencyKey: 'k' }),
    ).rejects.toBeInstanceOf(RequestValidationError);
    expect(server.received).toHaveLength(0);
  });

  it('keeps the Salesforce error code of a refusal', async () => {
    server.reply({
      status: 400,
      body: [{ message: 'Required fields are missing: [LastName]', errorCode: 'REQUIRED_FIELD_MISSING' }],
    });
    const error = await connector()
      .upsertContact(contact, { idempotencyKey: 'k' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ providerCode: 'REQUIRED_FIELD_MISSING' });
  });
});

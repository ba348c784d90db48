import contact from '../../../events/mappings/customer.to.crm/expected.json';
import type { SandboxProviders } from '../../../local/providers';
import { CrmConnector } from '../../../utils/connectors/crm';
import { ProviderUnavailableError } from '../../../utils/http/client-errors';
import { staticCredentials } from '../../../utils/security/credentials';
import { instantTiming, RotatingCredentials } from '../../support/connectors';
import { callsTo, SANDBOX_CREDENTIALS, startSandbox } from '../../support/sandbox-providers';

// The CRM connector against the Salesforce-like sandbox over real HTTP, with the customer.to.crm output.

const CONTACT_PATH = '/services/data/v60.0/sobjects/Contact/External_Id__c/cus-1001';

let providers: SandboxProviders;
let draws: (...values: number[]) => void;

beforeAll(async () => {
  ({ providers, draws } = await startSandbox());
});
afterEach(() => providers.crm.reset());
afterAll(() => providers?.stop());

const connector = () =>
  new CrmConnector({
    baseUrl: providers.crm.url,
    credentials: staticCredentials({ access_token: SANDBOX_CREDENTIALS.crm }),
    timing: instantTiming(),
  });

describe('CrmConnector against the CRM sandbox', () => {
  it('creates the contact, then updates the same one', async () => {
    const created = await connector().upsertContact(contact, { idempotencyKey: 'evt-1' });
    const updated = await connector().upsertContact(
      { ...contact, LastName: 'Byron' },
      { idempotencyKey: 'evt-2' },
    );
    expect(created).toMatchObject({ created: true, id: expect.stringMatching(/^003/) });
    expect(updated).toEqual({ id: created.id, created: false, attempts: 1 });
    await expect(connector().getContact('cus-1001')).resolves.toMatchObject({
      Id: created.id,
      External_Id__c: 'cus-1001',
      LastName: 'Byron',
      Email: 'ada.lovelace@example.com',
      HasOptedOutOfEmail: true,
    });
  });

  it('retries a 503, since an upsert by external id is idempotent', async () => {
    providers.crm.setFaults({ errorRate: 0.5, errorStatus: 503 });
    draws(0.1, 0.9);
    await expect(connector().upsertContact(contact, { idempotencyKey: 'evt-3' })).resolves.toMatchObject({
      attempts: 2,
    });
    expect(callsTo(providers.crm, 'PATCH', CONTACT_PATH).map((call) => call.status)).toEqual([503, 201]);
  });

  it('gives up with ProviderUnavailableError when the CRM stays down', async () => {
    providers.crm.setFaults({ errorRate: 1, errorStatus: 503 });
    const error = await connector()
      .upsertContact(contact, { idempotencyKey: 'evt-4' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as Error).cause).toMatchObject({ providerStatus: 503, providerCode: 'SERVER_UNAVAILABLE' });
  });

  it('picks up a new session token when the CRM refuses the cached one', async () => {
    const rotating = new RotatingCredentials([
      { access_token: 'expired' },
      { access_token: SANDBOX_CREDENTIALS.crm },
    ]);
    const rotated = new CrmConnector({
      baseUrl: providers.crm.url,
      credentials: rotating,
      timing: instantTiming(),
    });
    await expect(rotated.upsertContact(contact, { idempotencyKey: 'evt-5' })).resolves.toMatchObject({
      created: true,
    });
    expect(callsTo(providers.crm, 'PATCH', CONTACT_PATH).map((call) => call.status)).toEqual([401, 201]);
  });
});

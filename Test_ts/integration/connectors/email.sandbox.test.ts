import type { SandboxProviders } from '../../../local/providers';
import { EmailConnector } from '../../../utils/connectors/email';
import { ProviderError, ProviderUnavailableError } from '../../../utils/http/client-errors';
import { staticCredentials } from '../../../utils/security/credentials';
import { instantTiming, RotatingCredentials } from '../../support/connectors';
import { callsTo, SANDBOX_CREDENTIALS, startSandbox } from '../../support/sandbox-providers';

// The e-mail connector against the SendGrid-like sandbox over real HTTP.

let providers: SandboxProviders;
let draws: (...values: number[]) => void;

beforeAll(async () => {
  ({ providers, draws } = await startSandbox());
});
afterEach(() => providers.email.reset());
afterAll(() => providers?.stop());

const connector = () =>
  new EmailConnector({
    baseUrl: providers.email.url,
    credentials: staticCredentials({ api_key: SANDBOX_CREDENTIALS.email }),
    timing: instantTiming(),
  });
const message = {
  to: { email: 'ada@example.com', name: 'Ada Lovelace' },
  from: 'orders@junction.test',
  subject: 'Your order ord-1',
  text: 'Thank you for your order.',
  idempotencyKey: 'ord-1:email',
};

describe('EmailConnector against the e-mail sandbox', () => {
  it('sends a message the provider accepts, and returns its message id', async () => {
    const sent = await connector().send(message);
    expect(sent).toEqual({ messageId: expect.stringMatching(/^[A-Za-z0-9]{22}$/), attempts: 1 });
    const [call] = callsTo(providers.email, 'POST', '/v3/mail/send');
    expect(call).toMatchObject({ status: 202, idempotencyKey: 'ord-1:email' });
  });

  it('keeps the field of a message the provider refuses', async () => {
    const duplicate = { ...message, cc: [{ email: 'ada@example.com' }] };
    const error = await connector()
      .send(duplicate)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ providerStatus: 400, providerCode: 'personalizations.0' });
  });

  it('retries a 429, which the provider did not act on', async () => {
    providers.email.setFaults({ errorRate: 0.5, errorStatus: 429 });
    draws(0.1, 0.9);
    await expect(connector().send(message)).resolves.toMatchObject({ attempts: 2 });
    expect(callsTo(providers.email, 'POST', '/v3/mail/send').map((call) => call.status)).toEqual([429, 202]);
  });

  it('does not send again after a 5xx, which may have sent the message', async () => {
    providers.email.setFaults({ errorRate: 1, errorStatus: 503 });
    const error = await connector()
      .send(message)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(callsTo(providers.email, 'POST', '/v3/mail/send')).toHaveLength(1);
  });

  it('picks up a rotated key when the provider refuses the cached one', async () => {
    const rotating = new RotatingCredentials([
      { api_key: 'SG.revoked' },
      { api_key: SANDBOX_CREDENTIALS.email },
    ]);
    const rotated = new EmailConnector({
      baseUrl: providers.email.url,
      credentials: rotating,
      timing: instantTiming(),
    });
    await expect(rotated.send(message)).resolves.toMatchObject({ attempts: 1 });
    expect(callsTo(providers.email, 'POST', '/v3/mail/send').map((call) => call.status)).toEqual([401, 202]);
  });
});

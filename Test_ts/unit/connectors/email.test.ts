import { EmailConnector } from '../../../utils/connectors/email';
import { ProviderError, ProviderUnavailableError } from '../../../utils/http/client-errors';
import { RequestValidationError } from '../../../utils/http/errors';
import { staticCredentials } from '../../../utils/security/credentials';
import { instantTiming } from '../../support/connectors';
import { scriptedServerPerFile } from '../../support/scripted-server';

const server = scriptedServerPerFile({ status: 202, headers: { 'x-message-id': 'msg-1' } });

const connector = () =>
  new EmailConnector({
    baseUrl: server.url,
    credentials: staticCredentials({ api_key: 'SG.key' }),
    timing: instantTiming(),
  });
const message = {
  to: 'ada@example.com',
  from: { email: 'orders@junction.test', name: 'Junction' },
  subject: 'Your order',
  text: 'Thank you',
  html: '<p>Thank you</p>',
  idempotencyKey: 'ord-1:email',
};

describe('EmailConnector', () => {
  it('sends a v3 mail/send body and returns the message id', async () => {
    const result = await connector().send({
      ...message,
      cc: [{ email: 'ops@junction.test' }],
      categories: ['order'],
    });
    expect(result).toEqual({ messageId: 'msg-1', attempts: 1 });
    expect(server.received[0]).toMatchObject({ method: 'POST', url: '/v3/mail/send' });
    expect(server.received[0]?.headers.authorization).toBe('Bearer SG.key');
    expect(JSON.parse(server.received[0]?.body ?? '')).toEqual({
      personalizations: [{ to: [{ email: 'ada@example.com' }], cc: [{ email: 'ops@junction.test' }] }],
      from: { email: 'orders@junction.test', name: 'Junction' },
      subject: 'Your order',
      content: [
        { type: 'text/plain', value: 'Thank you' },
        { type: 'text/html', value: '<p>Thank you</p>' },
      ],
      categories: ['order'],
    });
  });

  it('sends a template with its data instead of content', async () => {
    await connector().send({
      to: [{ email: 'ada@example.com', name: 'Ada' }],
      from: 'orders@junction.test',
      templateId: 'd-123',
      templateData: { order_id: 'ord-1' },
      idempotencyKey: 'k',
    });
    expect(JSON.parse(server.received[0]?.body ?? '')).toEqual({
      personalizations: [
        { to: [{ email: 'ada@example.com', name: 'Ada' }], dynamic_template_data: { order_id: 'ord-1' } },
      ],
      from: { email: 'orders@junction.test' },
      template_id: 'd-123',
    });
  });

  it('refuses a message with a bad address before sending it', async () => {
    const error = await connector()
      .send({ ...message, to: 'not-an-address' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as Error).message).toContain('personalizations[0].to[0].email');
    expect(server.received).toHaveLength(0);
  });

  it('does not send twice after a 5xx, since SendGrid keeps no idempotency keys', async () => {
    server.reply({ status: 503, body: { errors: [{ message: 'down', field: null }] } });
    const error = await connector()
      .send(message)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(server.received).toHaveLength(1);
  });

  it('retries a 429, which SendGrid did not act on', async () => {
    server.reply({ status: 429, headers: { 'retry-after': '1' } });
    await expect(connector().send(message)).resolves.toMatchObject({ attempts: 2 });
  });

  it('keeps the field SendGrid names as the code of a refusal', async () => {
    server.reply({
      status: 400,
      body: {
        errors: [{ message: 'The from email does not contain a valid address.', field: 'from.email' }],
      },
    });
    const error = await connector()
      .send(message)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ providerStatus: 400, providerCode: 'from.email' });
    expect(server.received).toHaveLength(1);
  });
});

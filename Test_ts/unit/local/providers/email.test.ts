import type { SandboxProviders } from '../../../../local/providers';
import {
  bearer,
  credentials,
  header,
  hmacBase64,
  lastCall,
  send,
  startSandbox,
  WebhookReceiver,
} from './fixtures';

const secret = 'sendgrid-webhook-secret';
let sandbox: SandboxProviders;
let receiver: WebhookReceiver;
const auth = bearer(credentials.email);
const mailSend = (body: unknown, headers: Record<string, string> = auth) =>
  send(`${sandbox.email.url}/v3/mail/send`, 'POST', body, headers);

const mail = (to: string) => ({
  personalizations: [{ to: [{ email: to, name: 'Ada' }] }],
  from: { email: 'orders@junction.test', name: 'Junction' },
  subject: 'Your order',
  content: [{ type: 'text/plain', value: 'Thanks for your order.' }],
});

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  sandbox = await startSandbox({ webhooks: { email: { url: receiver.url, secret } }, timeScale: 0.01 });
});
afterAll(async () => {
  // Stop the receiver even when the sandbox never started, so that jest can exit.
  await Promise.allSettled([sandbox?.stop(), receiver.stop()]);
});
beforeEach(() => {
  sandbox.email.reset();
  receiver.clear();
});

describe('email sandbox: mail send', () => {
  it('accepts a valid message with 202, an empty body and X-Message-Id', async () => {
    const response = await mailSend(mail('ada@example.com'));
    expect(response.status).toBe(202);
    expect(response.text).toBe('');
    expect(response.headers.get('x-message-id')).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(lastCall(sandbox.email)).toMatchObject({
      status: 202,
      responseBody: null,
      requestBody: mail('ada@example.com'),
    });
  });

  it.each([
    ['no key', {}],
    ['a wrong key', bearer('SG.wrong')],
  ])('answers 401 for %s', async (_name, headers) => {
    const response = await mailSend(mail('ada@example.com'), headers);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      errors: [{ message: 'The provided authorization grant is invalid, expired, or revoked' }],
    });
  });

  it('answers 400 with the SendGrid error list for malformed JSON', async () => {
    const response = await mailSend('{"personalizations":');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ errors: [{ message: 'Bad Request', field: null }] });
  });

  it('answers 404 for an unknown route', async () => {
    const response = await send(`${sandbox.email.url}/v3/templates`, 'GET', undefined, auth);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ errors: [{ field: null }] });
  });
});

describe('email sandbox: validation', () => {
  const fieldsOf = (body: unknown) => (body as { errors: { field: string }[] }).errors.map((e) => e.field);

  it.each([
    ['no personalizations', { ...mail('a@b.test'), personalizations: [] }, 'personalizations'],
    ['no recipient', { ...mail('a@b.test'), personalizations: [{ to: [] }] }, 'personalizations.0.to'],
    ['an invalid recipient', mail('not-an-address'), 'personalizations.0.to.0.email'],
    ['no from', { ...mail('a@b.test'), from: undefined }, 'from.email'],
    ['an invalid from', { ...mail('a@b.test'), from: { email: 'nobody' } }, 'from.email'],
    ['no subject', { ...mail('a@b.test'), subject: undefined }, 'subject'],
    ['no content', { ...mail('a@b.test'), content: [] }, 'content'],
    [
      'an empty content value',
      { ...mail('a@b.test'), content: [{ type: 'text/plain', value: '' }] },
      'content.0.value',
    ],
  ])('answers 400 for %s', async (_name, body, field) => {
    const response = await mailSend(body);
    expect(response.status).toBe(400);
    expect(fieldsOf(response.body)).toContain(field);
    const first = (response.body as { errors: { message: string }[] }).errors[0];
    expect(first?.message).toEqual(expect.any(String));
  });

  it('reports every problem at once', async () => {
    const response = await mailSend({ personalizations: [{ to: [{ email: 'x' }] }], content: [] });
    expect(fieldsOf(response.body)).toEqual(
      expect.arrayContaining(['personalizations.0.to.0.email', 'from.email', 'subject', 'content']),
    );
  });

  it('accepts a subject given per personalization', async () => {
    const body = {
      ...mail('a@b.test'),
      subject: undefined,
      personalizations: [{ to: [{ email: 'a@b.test' }], subject: 'Hi' }],
    };
    expect((await mailSend(body)).status).toBe(202);
  });

  it('rejects a recipient listed twice', async () => {
    const body = {
      ...mail('a@b.test'),
      personalizations: [{ to: [{ email: 'a@b.test' }, { email: 'A@b.test' }] }],
    };
    const response = await mailSend(body);
    expect(response.status).toBe(400);
    expect(fieldsOf(response.body)).toContain('personalizations.0');
  });
});

describe('email sandbox: bounce webhooks', () => {
  it('accepts a @bounce.test recipient, then posts a signed bounce event', async () => {
    const response = await mailSend(mail('gone@bounce.test'));
    expect(response.status).toBe(202);
    const messageId = response.headers.get('x-message-id') ?? '';
    await sandbox.email.webhooksIdle();
    expect(receiver.received).toHaveLength(1);
    const delivery = receiver.received[0];
    if (!delivery) throw new Error('no delivery');
    const timestamp = header(delivery.headers, 'x-twilio-email-event-webhook-timestamp');
    const signature = header(delivery.headers, 'x-twilio-email-event-webhook-signature');
    expect(signature).toBe(hmacBase64(secret, `${timestamp}${delivery.rawBody}`));
    const events = JSON.parse(delivery.rawBody) as Record<string, unknown>[];
    expect(events).toEqual([
      expect.objectContaining({
        email: 'gone@bounce.test',
        event: 'bounce',
        sg_message_id: expect.stringMatching(new RegExp(`^${messageId}\\.`)),
        timestamp: expect.any(Number),
        reason: expect.any(String),
        sg_event_id: expect.any(String),
      }),
    ]);
    expect(sandbox.email.webhookDeliveries()).toEqual([
      expect.objectContaining({ type: 'bounce', delivered: true }),
    ]);
  });

  it('sends no event for an ordinary recipient', async () => {
    await mailSend(mail('ada@example.com'));
    await sandbox.email.webhooksIdle();
    expect(receiver.received).toHaveLength(0);
  });

  it('retries a failed event delivery', async () => {
    receiver.answer(500);
    await mailSend(mail('gone@bounce.test'));
    await sandbox.email.webhooksIdle();
    expect(sandbox.email.webhookDeliveries().map((d) => d.status)).toEqual([500, 200]);
  });
});

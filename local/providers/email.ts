import { randomBytes } from 'node:crypto';
import { type MailRequest, recipientsOf, type SendGridError, validateMail } from './email-validation';
import { bearerToken, type ProviderReply, type ProviderRequest, randomAlphanumeric } from './http-kit';
import type { ProviderBehaviour, ProviderOptions } from './sandbox-server';

/** Recipients in this domain are accepted, then bounce. */
const BOUNCE_DOMAIN = '@bounce.test';

/** A SendGrid-like v3 mail/send API, with signed bounce events for @bounce.test recipients. */
export function emailBehaviour(options: ProviderOptions): ProviderBehaviour {
  const bounce = (messageId: string, addresses: readonly string[]) => {
    const timestamp = Math.floor(options.now() / 1000);
    const events = addresses.map((email, index) => ({
      email,
      timestamp,
      'smtp-id': `<${messageId}@sandbox.sendgrid.test>`,
      event: 'bounce',
      sg_event_id: randomBytes(16).toString('base64url'),
      sg_message_id: `${messageId}.recvd-sandbox-${index}.0`,
      reason: '550 5.1.1 The email account that you tried to reach does not exist.',
      status: '5.1.1',
      type: 'bounce',
    }));
    options.webhooks?.send(events[0]?.sg_event_id ?? messageId, 'bounce', events);
  };

  const handle = (request: ProviderRequest): ProviderReply => {
    if (!options.accepts(bearerToken(request.headers))) {
      return {
        status: 401,
        body: { errors: [{ message: 'The provided authorization grant is invalid, expired, or revoked' }] },
      };
    }
    const path = request.url.pathname.replace(/\/+$/, '');
    if (request.method !== 'POST' || path !== '/v3/mail/send')
      return sendGridErrors(404, [{ message: 'resource not found', field: null }]);
    if (request.body.kind !== 'json') return sendGridErrors(400, [{ message: 'Bad Request', field: null }]);
    const errors = validateMail(request.body.value);
    if (errors.length > 0) return sendGridErrors(400, errors);
    const mail = request.body.value as MailRequest;
    const messageId = randomAlphanumeric(22);
    const bounced = recipientsOf(mail).filter((email) => email.toLowerCase().endsWith(BOUNCE_DOMAIN));
    return {
      status: 202,
      headers: { 'X-Message-Id': messageId },
      ...(bounced.length > 0 ? { after: () => bounce(messageId, bounced) } : {}),
    };
  };

  return {
    name: 'email',
    handle,
    errorReply: (status) =>
      sendGridErrors(status, [
        { message: status === 413 ? 'Payload Too Large' : emailFaultMessage(status), field: null },
      ]),
    reset: () => {
      options.webhooks?.reset();
    },
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
  };
}

function sendGridErrors(status: number, errors: readonly SendGridError[]): ProviderReply {
  return { status, body: { errors } };
}

function emailFaultMessage(status: number): string {
  if (status === 429) return 'too many requests';
  if (status >= 500) return 'The SendGrid v3 Web API is not available (sandbox fault).';
  return `Request failed with status ${status} (sandbox fault).`;
}

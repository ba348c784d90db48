import { EMAIL_CONTRACT } from '../contracts/bundled';
import type { IntegrationContract } from '../contracts/contract';
import { type ConnectorOptions, ContractClient } from './contract-client';
import { connectorOptionsFromEnvironment } from './environment';

export interface EmailCredentials {
  readonly api_key: string;
}

/** An address, or an address with a display name. */
export type Recipient = string | { readonly email: string; readonly name?: string };

export interface EmailMessage {
  readonly to: Recipient | readonly Recipient[];
  readonly cc?: readonly Recipient[];
  readonly bcc?: readonly Recipient[];
  readonly from: Recipient;
  readonly replyTo?: Recipient;
  /** Required unless the template sets it. */
  readonly subject?: string;
  readonly text?: string;
  readonly html?: string;
  readonly templateId?: string;
  readonly templateData?: Readonly<Record<string, unknown>>;
  readonly categories?: readonly string[];
  /** Stable for the business operation; SendGrid keeps no keys, so a 5xx is not retried (see the contract). */
  readonly idempotencyKey: string;
  readonly correlationId?: string;
}

export interface SentEmail {
  /** SendGrid's X-Message-Id, which its events (bounces…) carry. */
  readonly messageId?: string;
  readonly attempts: number;
}

const address = (recipient: Recipient) =>
  typeof recipient === 'string'
    ? { email: recipient }
    : { email: recipient.email, ...(recipient.name ? { name: recipient.name } : {}) };

/** Transactional e-mail with a SendGrid-like provider, as specs/contracts/email.yaml describes it. */
export class EmailConnector {
  private readonly client: ContractClient;

  constructor(options: ConnectorOptions<EmailCredentials>, contract: IntegrationContract = EMAIL_CONTRACT) {
    this.client = new ContractClient(contract, options);
  }

  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): EmailConnector {
    return new EmailConnector(connectorOptionsFromEnvironment(EMAIL_CONTRACT, env));
  }

  async send(message: EmailMessage): Promise<SentEmail> {
    const response = await this.client.call('send_mail', {
      body: mailBody(message),
      idempotencyKey: message.idempotencyKey,
      correlationId: message.correlationId,
    });
    const messageId = response.headers.get('x-message-id') ?? undefined;
    return { ...(messageId ? { messageId } : {}), attempts: response.attempts };
  }
}

/** The v3 mail/send body: one personalization, text before HTML as SendGrid requires. */
function mailBody(message: EmailMessage): Record<string, unknown> {
  const to = (Array.isArray(message.to) ? message.to : [message.to]) as readonly Recipient[];
  const personalization = {
    to: to.map(address),
    ...(message.cc?.length ? { cc: message.cc.map(address) } : {}),
    ...(message.bcc?.length ? { bcc: message.bcc.map(address) } : {}),
    ...(message.templateData ? { dynamic_template_data: message.templateData } : {}),
  };
  const content = [
    ...(message.text ? [{ type: 'text/plain', value: message.text }] : []),
    ...(message.html ? [{ type: 'text/html', value: message.html }] : []),
  ];
  return {
    personalizations: [personalization],
    from: address(message.from),
    ...(message.replyTo ? { reply_to: address(message.replyTo) } : {}),
    ...(message.subject ? { subject: message.subject } : {}),
    ...(content.length > 0 ? { content } : {}),
    ...(message.templateId ? { template_id: message.templateId } : {}),
    ...(message.categories?.length ? { categories: message.categories } : {}),
  };
}

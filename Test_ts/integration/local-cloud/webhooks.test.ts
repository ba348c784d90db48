import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { LocalCloud } from '../../../local/cloud';
import { clientConfig, inspect, startTestCloud } from '../../support/local-cloud';
import { stripeSignature } from '../../support/webhooks';

// Inbound webhooks on the local cloud: the payment sandbox signs its webhooks with the value of
// the template's signing secret (served by the local Secrets Manager), posts them to
// POST /v1/webhooks/payment, and the webhook function puts payment.succeeded on the bus.

let cloud: LocalCloud;
let webhookUrl: string;

interface RecentEvents {
  events: {
    event: {
      'detail-type': string;
      source: string;
      detail: { id: string; data: Record<string, unknown>; metadata: Record<string, string> };
    };
    deliveries: { targetArn: string; status: string }[];
  }[];
}

beforeAll(async () => {
  cloud = await startTestCloud();
  webhookUrl = `${cloud.started.urls.apiStage}/v1/webhooks`;
}, 90_000);

afterAll(() => cloud?.stop());

async function charge(body: Record<string, unknown>) {
  const response = await fetch(`${cloud.started.providers.payment.url}/v1/charges`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${cloud.started.providerCredentials.payment}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { id: string };
}

async function eventsAbout(text: string) {
  const { events } = await inspect<RecentEvents>(cloud, '/events?limit=1000');
  return events.filter((entry) => JSON.stringify(entry.event.detail).includes(text));
}

describe('webhooks on the local cloud', () => {
  it('holds a generated signing secret per provider, readable with the Secrets Manager client', async () => {
    const secrets = new SecretsManagerClient(clientConfig(cloud));
    const { SecretList = [] } = await secrets.send(
      new ListSecretsCommand({ Filters: [{ Key: 'tag-key', Values: ['junction:webhook-provider'] }] }),
    );
    const payment = SecretList.find((secret) =>
      secret.Tags?.some((tag) => tag.Key === 'junction:webhook-provider' && tag.Value === 'payment'),
    );
    const value = await secrets.send(new GetSecretValueCommand({ SecretId: payment?.ARN }));
    const described = await secrets.send(new DescribeSecretCommand({ SecretId: payment?.ARN }));
    secrets.destroy();
    expect(SecretList).toHaveLength(2);
    expect(value.SecretString).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(described.Tags).toEqual(
      expect.arrayContaining([{ Key: 'junction:webhook-path', Value: '/v1/webhooks/payment' }]),
    );
    const fn = cloud.started.topology.functions.find((candidate) =>
      candidate.logicalId.startsWith('ReceiveWebhook'),
    );
    expect(fn?.environment.PAYMENT_WEBHOOK_SECRET_ARN).toBe(payment?.ARN);
  });

  it('turns a payment made at the sandbox into payment.succeeded on the bus, via a signed webhook', async () => {
    const made = await charge({
      amount: 4200,
      currency: 'eur',
      source: 'tok_visa',
      metadata: { order_id: 'ord-webhook-it-1', correlation_id: 'corr-webhook-it-1' },
    });
    await cloud.started.providers.payment.webhooksIdle();
    const [delivery] = cloud.started.providers.payment
      .webhookDeliveries()
      .filter((candidate) => JSON.stringify(candidate.payload).includes(made.id));
    expect(delivery).toMatchObject({ type: 'charge.succeeded', status: 200, delivered: true, attempt: 1 });
    await cloud.idle();

    const [published, ...others] = await eventsAbout(made.id);
    expect(others).toEqual([]);
    expect(published?.event).toMatchObject({
      'detail-type': 'payment.succeeded',
      source: 'junction.payments',
      detail: {
        data: { charge_id: made.id, order_id: 'ord-webhook-it-1', amount: 4200, currency: 'EUR' },
        metadata: { correlation_id: 'corr-webhook-it-1', causation_id: delivery?.eventId },
      },
    });
    expect(published?.deliveries.map((target) => target.status)).toContain('delivered');

    const logs = new CloudWatchLogsClient(clientConfig(cloud));
    const auditGroup = cloud.started.topology.logGroups.find((group) =>
      group.logicalId.startsWith('EventsAuditLogs'),
    )?.name;
    const { events = [] } = await logs.send(
      new FilterLogEventsCommand({ logGroupName: auditGroup, filterPattern: `"${made.id}"` }),
    );
    logs.destroy();
    expect(events).toHaveLength(1);
  });

  it('refuses a forged webhook with 400 INVALID_SIGNATURE and puts nothing on the bus', async () => {
    const body = JSON.stringify({
      id: 'evt_forged_webhook_it',
      object: 'event',
      type: 'charge.succeeded',
      created: Math.floor(Date.now() / 1000),
      data: {
        object: {
          id: 'ch_forged_webhook_it',
          object: 'charge',
          amount: 1_000_000,
          currency: 'eur',
          metadata: {},
        },
      },
    });
    const response = await fetch(`${webhookUrl}/payment`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Stripe-Signature': stripeSignature('whsec_guessed', body),
      },
      body,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      success: false,
      error_code: 'INVALID_SIGNATURE',
      request_id: expect.any(String),
    });
    await cloud.idle();
    expect(await eventsAbout('ch_forged_webhook_it')).toEqual([]);
  });

  it('turns a bounce at the e-mail sandbox into email.bounced', async () => {
    const response = await fetch(`${cloud.started.providers.email.url}/v3/mail/send`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${cloud.started.providerCredentials.email}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        personalizations: [{ to: [{ email: 'webhook-it@bounce.test' }] }],
        from: { email: 'orders@junction.test' },
        subject: 'Your order',
        content: [{ type: 'text/plain', value: 'Thank you.' }],
      }),
    });
    expect(response.status).toBe(202);
    await cloud.started.providers.email.webhooksIdle();
    await cloud.idle();
    const [bounced] = await eventsAbout('webhook-it@bounce.test');
    expect(bounced?.event).toMatchObject({
      'detail-type': 'email.bounced',
      detail: { data: { email: 'webhook-it@bounce.test', bounce_type: 'bounce', status: '5.1.1' } },
    });
  });
});

import { isIP } from 'node:net';
import { analyticsBehaviour } from './analytics';
import { crmBehaviour } from './crm';
import { emailBehaviour } from './email';
import { sameSecret } from './http-kit';
import { paymentBehaviour } from './payment';
import { type ProviderBehaviour, SandboxServer } from './sandbox-server';
import type { ProviderName, SandboxProviders, SandboxProvidersOptions, WebhookTarget } from './types';
import { signSendGrid, signStripe, WebhookSender, type WebhookSigner } from './webhooks';

export type {
  AnalyticsValidationMessage,
  EmailSandbox,
  PaymentSandbox,
  ProviderFaults,
  ProviderName,
  SandboxCall,
  SandboxProvider,
  SandboxProviders,
  SandboxProvidersOptions,
  WebhookDelivery,
  WebhookSandbox,
  WebhookTarget,
} from './types';

const PROVIDERS: readonly ProviderName[] = ['payment', 'email', 'crm', 'analytics'];

/**
 * Starts the four third-party sandboxes on loopback, each on its own port, and resolves once all of
 * them listen. If one cannot start, the others are stopped and the error is thrown.
 */
export async function startSandboxProviders(options: SandboxProvidersOptions): Promise<SandboxProviders> {
  const host = loopbackHost(options.host ?? '127.0.0.1');
  for (const name of PROVIDERS) {
    if (!options.credentials[name]) throw new Error(`credentials.${name} must be a non-empty string`);
  }
  const now = options.now ?? Date.now;
  const timeScale = options.timeScale ?? 1;
  if (!(Number.isFinite(timeScale) && timeScale >= 0)) throw new RangeError('timeScale must be a number ≥ 0');

  const sender = (target: WebhookTarget | undefined, sign: WebhookSigner, userAgent: string) => {
    if (!target) return undefined;
    checkWebhookUrl(target.url);
    return new WebhookSender({ target, sign, userAgent, timeScale, now });
  };
  const paymentWebhooks = sender(
    options.webhooks?.payment,
    signStripe,
    'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
  );
  const emailWebhooks = sender(options.webhooks?.email, signSendGrid, 'SendGrid Event API');
  const accepts = (name: ProviderName) => {
    const listed = options.keys?.[name];
    const keys = listed ?? (() => [options.credentials[name]]);
    return (given: string | undefined) => keys().some((key) => key !== '' && sameSecret(given, key));
  };
  const behaviours: Record<ProviderName, ProviderBehaviour> = {
    payment: paymentBehaviour({
      accepts: accepts('payment'),
      now,
      ...(paymentWebhooks ? { webhooks: paymentWebhooks } : {}),
    }),
    email: emailBehaviour({
      accepts: accepts('email'),
      now,
      ...(emailWebhooks ? { webhooks: emailWebhooks } : {}),
    }),
    crm: crmBehaviour({ accepts: accepts('crm'), now }),
    analytics: analyticsBehaviour({ accepts: accepts('analytics') }),
  };
  const serverOptions = { random: options.random ?? Math.random, now };
  const [payment, email, crm, analytics] = PROVIDERS.map(
    (name) => new SandboxServer(behaviours[name], serverOptions),
  ) as [SandboxServer, SandboxServer, SandboxServer, SandboxServer];
  const servers = [payment, email, crm, analytics];
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()));
  };

  const started = await Promise.allSettled(
    servers.map((server) => server.listen(host, options.ports?.[server.name] ?? 0)),
  );
  const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) {
    await stop();
    throw failure.reason;
  }
  return { payment, email, crm, analytics, all: () => [...servers], stop };
}

/** The sandboxes stand in for third parties on this machine only, so they listen on loopback only. */
function loopbackHost(host: string): string {
  if (!isLoopback(host))
    throw new Error(`host must be a loopback address (127.0.0.0/8, ::1 or localhost), not ${host}`);
  return host === 'localhost' ? '127.0.0.1' : host;
}

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** Webhooks go to the local cloud only; a sandbox never posts to another machine. */
function checkWebhookUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`webhook URL is not a URL: ${url}`);
  }
  if (!['http:', 'https:'].includes(parsed.protocol) || !isLoopback(parsed.hostname)) {
    throw new Error(`webhook URL must be http(s) on a loopback host: ${url}`);
  }
}

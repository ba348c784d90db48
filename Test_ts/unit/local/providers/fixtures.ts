import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type SandboxCall,
  type SandboxProvider,
  type SandboxProviders,
  type SandboxProvidersOptions,
  startSandboxProviders,
} from '../../../../local/providers';

export const credentials = {
  payment: 'sk_test_sandbox_4eC39HqLyjWDarjtT1zdp7dc',
  email: 'SG.sandbox-key.sandbox-secret',
  crm: '00Dsandbox!AQ4AQFakeSessionToken',
  analytics: 'ga-api-secret-sandbox',
} as const;

export function startSandbox(options: Partial<SandboxProvidersOptions> = {}): Promise<SandboxProviders> {
  return startSandboxProviders({ credentials, ...options });
}

export interface JsonResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: unknown;
}

/** Sends a request with a JSON body (a string is sent as is) and reads the answer. */
export async function send(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json', ...headers } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(url, init);
  const text = await response.text();
  let parsed: unknown = null;
  if (text) parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, text, body: parsed };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Polls until `check` holds (webhook deliveries and timed-out calls arrive asynchronously). */
export async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function lastCall(provider: SandboxProvider): SandboxCall {
  const call = provider.calls().at(-1);
  if (!call) throw new Error(`${provider.name} recorded no call`);
  return call;
}

export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
}

/** A webhook endpoint on loopback that answers the statuses it is given, then 200. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly statuses: number[] = [];
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.received.push({ headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(this.statuses.shift() ?? 200).end();
    });
  });

  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks`;
    return this;
  }

  /** The next answers, in order; 200 once they are used up. */
  answer(...statuses: number[]): void {
    this.statuses.push(...statuses);
  }

  clear(): void {
    this.received.length = 0;
    this.statuses.length = 0;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export const hmacHex = (secret: string, text: string) =>
  createHmac('sha256', secret).update(text).digest('hex');
export const hmacBase64 = (secret: string, text: string) =>
  createHmac('sha256', secret).update(text).digest('base64');

export function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name.toLowerCase()];
  if (typeof value !== 'string') throw new Error(`missing header ${name}`);
  return value;
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, writeReply } from './http-kit';
import type { ProviderFaults, SandboxCall, WebhookDelivery } from './types';

/** What the admin surface drives: the sandbox itself. */
export interface AdminTarget {
  calls(): readonly SandboxCall[];
  clearCalls(): void;
  faults(): ProviderFaults;
  setFaults(faults: Partial<ProviderFaults>): void;
  reset(): void;
  webhookDeliveries(): readonly WebhookDelivery[];
}

interface AdminAnswer {
  readonly status: number;
  readonly body?: unknown;
}

/**
 * `/_sandbox/*`: read and clear calls, read and set faults, reset, list webhook deliveries. Never faulted,
 * never recorded, so a test or the local cloud can always see and steer a sandbox, whatever its faults.
 */
export async function handleAdmin(target: AdminTarget, req: IncomingMessage, res: ServerResponse, url: URL) {
  const answer = await adminAnswer(target, req, `${req.method ?? 'GET'} ${url.pathname.replace(/\/+$/, '')}`);
  writeReply(res, answer);
}

async function adminAnswer(target: AdminTarget, req: IncomingMessage, route: string): Promise<AdminAnswer> {
  switch (route) {
    case 'GET /_sandbox/calls':
      return { status: 200, body: { calls: target.calls() } };
    case 'DELETE /_sandbox/calls':
      target.clearCalls();
      return { status: 204 };
    case 'GET /_sandbox/faults':
      return { status: 200, body: target.faults() };
    case 'PUT /_sandbox/faults':
      return putFaults(target, req);
    case 'POST /_sandbox/reset':
      target.reset();
      return { status: 204 };
    case 'GET /_sandbox/webhooks':
      return { status: 200, body: { deliveries: target.webhookDeliveries() } };
    default:
      req.resume();
      return { status: 404, body: { message: `No sandbox admin route ${route}` } };
  }
}

async function putFaults(target: AdminTarget, req: IncomingMessage): Promise<AdminAnswer> {
  const body = await readBody(req);
  if (body.kind !== 'json') {
    const reason =
      body.kind === 'malformed'
        ? `Request body is not valid JSON: ${body.message}`
        : 'Request body must be JSON';
    return { status: 400, body: { message: reason } };
  }
  try {
    target.setFaults(body.value as Partial<ProviderFaults>);
  } catch (error) {
    return { status: 400, body: { message: error instanceof Error ? error.message : String(error) } };
  }
  return { status: 200, body: target.faults() };
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleAdmin } from './admin';
import { type FaultPlan, faultLabel, NO_FAULTS, planFaults, validateFaults } from './faults';
import {
  headerValue,
  type ProviderReply,
  type ProviderRequest,
  type RequestBody,
  readBody,
  writeReply,
} from './http-kit';
import { CallRecorder, recordedBody, recordedPath } from './recorder';
import type { ProviderFaults, ProviderName, SandboxCall, WebhookDelivery, WebhookSandbox } from './types';
import type { WebhookSender } from './webhooks';

/** What makes a sandbox a payment, email, CRM or analytics provider; the server supplies the rest. */
export interface ProviderBehaviour {
  readonly name: ProviderName;
  /** The normal answer. Synchronous, so that no two requests interleave inside a provider's state. */
  handle(request: ProviderRequest): ProviderReply;
  /** The provider-shaped error for an injected fault or an oversized body. */
  errorReply(status: number): ProviderReply;
  /** Forgets stored objects (and cancels pending webhooks). */
  reset(): void;
  readonly webhooks?: WebhookSender;
}

/** What the payment and email sandboxes are built from. */
export interface ProviderOptions {
  /** Whether a key the request carries is one the sandbox takes. */
  readonly accepts: (key: string | undefined) => boolean;
  readonly now: () => number;
  readonly webhooks?: WebhookSender;
}

export interface SandboxServerOptions {
  readonly random: () => number;
  readonly now: () => number;
}

/**
 * One provider on its own loopback port: the admin surface, then for every other request the body,
 * the faults (latency, then timeout, then error), the provider's answer, and a recorded call.
 */
export class SandboxServer implements WebhookSandbox {
  readonly name: ProviderName;
  private address = '';
  private currentFaults: ProviderFaults = NO_FAULTS;
  private readonly recorder: CallRecorder;
  private readonly server: Server;
  /** Wakes requests sleeping through a latency fault when the server stops. */
  private readonly stopping = new AbortController();
  private stopped: Promise<void> | undefined;
  private readonly inFlight = new Set<CallInProgress>();

  constructor(
    private readonly behaviour: ProviderBehaviour,
    private readonly options: SandboxServerOptions,
  ) {
    this.name = behaviour.name;
    this.recorder = new CallRecorder(behaviour.name);
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => answerCrash(res, error));
    });
  }

  get url(): string {
    return this.address;
  }

  async listen(host: string, port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const { port: bound } = this.server.address() as AddressInfo;
    this.address = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  }

  calls(): readonly SandboxCall[] {
    return this.recorder.list();
  }

  clearCalls(): void {
    this.recorder.clear();
  }

  faults(): ProviderFaults {
    return { ...this.currentFaults };
  }

  setFaults(faults: Partial<ProviderFaults>): void {
    const valid = validateFaults(faults);
    const given = Object.entries(valid).filter(([, value]) => value !== undefined);
    this.currentFaults = Object.freeze({ ...this.currentFaults, ...Object.fromEntries(given) });
  }

  reset(): void {
    this.recorder.clear();
    this.currentFaults = NO_FAULTS;
    this.behaviour.reset();
  }

  webhookDeliveries(): readonly WebhookDelivery[] {
    return this.behaviour.webhooks?.deliveries() ?? [];
  }

  webhooksIdle(): Promise<void> {
    return this.behaviour.webhooks?.idle() ?? Promise.resolve();
  }

  /** Cancels webhooks, wakes sleeping requests and destroys every socket, hung ones included. */
  stop(): Promise<void> {
    this.stopped ??= new Promise<void>((resolve) => {
      this.behaviour.webhooks?.stop();
      this.stopping.abort();
      if (!this.server.listening) {
        resolve();
        return;
      }
      this.server.close(() => {
        // The server may report closed before each response hears its socket close: record those now.
        for (const call of this.inFlight) call.finish('timeout');
        resolve();
      });
      this.server.closeAllConnections();
    });
    return this.stopped;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    if (url.pathname === '/_sandbox' || url.pathname.startsWith('/_sandbox/')) {
      await handleAdmin(this, req, res, url);
      return;
    }
    await this.serve(req, res, url);
  }

  private async serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const call = new CallInProgress(this.recorder, req, url, this.options.now, () =>
      this.inFlight.delete(call),
    );
    this.inFlight.add(call);
    const gone = new AbortController();
    // A socket that closes before the answer (client timeout, server stop) is a timed-out call.
    res.on('close', () => {
      gone.abort();
      call.finish('timeout');
    });
    call.body = await readBody(req);
    const plan = planFaults(this.currentFaults, this.options.random);
    call.plan = plan;
    if (
      plan.latencyMs > 0 &&
      !(await wait(plan.latencyMs, AbortSignal.any([gone.signal, this.stopping.signal])))
    ) {
      return;
    }
    // A timeout is never answered: the socket stays open until the client gives up or the server stops.
    if (plan.outcome === 'timeout') return;
    const reply = this.answer(plan, req, url, call.body);
    if (res.destroyed || call.finished) return;
    call.finish(reply.status, reply);
    writeReply(res, reply);
    reply.after?.();
  }

  private answer(plan: FaultPlan, req: IncomingMessage, url: URL, body: RequestBody): ProviderReply {
    if (plan.outcome === 'error') return this.behaviour.errorReply(plan.errorStatus);
    if (body.kind === 'too-large') return this.behaviour.errorReply(413);
    try {
      return this.behaviour.handle({ method: req.method ?? 'GET', url, headers: req.headers, body });
    } catch {
      // A bug in a sandbox looks like the provider's own 500, and the call is still recorded.
      return this.behaviour.errorReply(500);
    }
  }
}

/** The facts of one call gathered while it runs, recorded exactly once. */
class CallInProgress {
  body: RequestBody = { kind: 'empty' };
  plan: FaultPlan | undefined;
  finished = false;
  private readonly started = performance.now();
  private readonly at: string;

  constructor(
    private readonly recorder: CallRecorder,
    private readonly req: IncomingMessage,
    private readonly url: URL,
    now: () => number,
    private readonly onFinished: () => void,
  ) {
    this.at = new Date(now()).toISOString();
  }

  finish(status: number | 'timeout', reply?: ProviderReply): void {
    if (this.finished) return;
    this.finished = true;
    this.onFinished();
    const idempotencyKey = headerValue(this.req.headers, 'idempotency-key');
    const correlationId = headerValue(this.req.headers, 'x-correlation-id');
    const fault = this.plan ? faultLabel(this.plan) : undefined;
    this.recorder.add({
      method: this.req.method ?? 'GET',
      path: recordedPath(this.url),
      status,
      durationMs: Math.round(performance.now() - this.started),
      at: this.at,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      ...(correlationId === undefined ? {} : { correlationId }),
      ...(fault === undefined ? {} : { fault }),
      requestBody: recordedBody(this.body),
      responseBody: reply?.body ?? null,
      ...(reply?.replayed ? { replayed: true } : {}),
      ...(reply?.validation ? { validation: reply.validation } : {}),
    });
  }
}

/** Sleeps; false when woken early because the client left or the server is stopping. */
async function wait(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** A bug in a sandbox answers 500 with the reason rather than hanging the client. */
function answerCrash(res: ServerResponse, error: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const payload = JSON.stringify({
    message: `Sandbox failure: ${error instanceof Error ? error.message : String(error)}`,
  });
  res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' }).end(payload);
}

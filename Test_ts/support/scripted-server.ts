import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the server does with one request: answer, never answer, or drop the connection. */
export type ScriptedReply =
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: unknown }
  | 'hang'
  | 'drop';

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Which connection carried it (1 for the first), to see keep-alive at work. */
  readonly connection: number;
}

/**
 * A real HTTP server on a free loopback port that answers from a script, in order, then with `fallback`.
 * It records every request it receives.
 */
export class ScriptedServer {
  readonly received: ReceivedRequest[] = [];
  private readonly script: ScriptedReply[] = [];
  private readonly connections = new WeakMap<Socket, number>();
  private connectionCount = 0;
  private readonly server: Server;
  url = '';

  constructor(private readonly fallback: ScriptedReply = { status: 200, body: { ok: true } }) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.received.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          connection: this.connections.get(req.socket) ?? 0,
        });
        const reply = this.script.shift() ?? this.fallback;
        if (reply === 'hang') return;
        if (reply === 'drop') {
          req.socket.destroy();
          return;
        }
        const payload =
          reply.body === undefined
            ? ''
            : typeof reply.body === 'string'
              ? reply.body
              : JSON.stringify(reply.body);
        const type = typeof reply.body === 'string' ? 'text/plain' : 'application/json';
        res
          .writeHead(reply.status, { ...(payload ? { 'content-type': type } : {}), ...reply.headers })
          .end(payload);
      });
    });
    this.server.on('connection', (socket) => {
      this.connectionCount += 1;
      this.connections.set(socket, this.connectionCount);
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next replies, in order. */
  reply(...replies: ScriptedReply[]): this {
    this.script.push(...replies);
    return this;
  }

  reset(): void {
    this.received.length = 0;
    this.script.length = 0;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** One server for the test file: started before its tests, its script and records cleared after each, stopped at the end. */
export function scriptedServerPerFile(fallback?: ScriptedReply): ScriptedServer {
  const server = new ScriptedServer(fallback);
  beforeAll(() => server.start());
  afterEach(() => server.reset());
  afterAll(() => server.stop());
  return server;
}

/** A sleep that returns at once and remembers what it was asked to wait. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
}

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedEntry {
  readonly EventBusName?: string;
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
}

export interface RecordingEventBus {
  readonly endpoint: string;
  /** Entries EventBridge would have accepted, in order. */
  readonly accepted: RecordedEntry[];
  /** Reject the entries of the next `count` PutEvents calls with this error code. */
  failNext(count: number, errorCode?: string): void;
  stop(): Promise<void>;
}

/**
 * An EventBridge stand-in speaking the real PutEvents wire protocol (JSON 1.1,
 * `X-Amz-Target: AWSEvents.PutEvents`), so the real SDK client is exercised. It records what
 * it accepts; it does not route.
 */
export async function startRecordingEventBus(): Promise<RecordingEventBus> {
  const accepted: RecordedEntry[] = [];
  let failures: { count: number; code: string } = { count: 0, code: 'InternalFailure' };

  const respond = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1' });
    response.end(JSON.stringify(body));
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.headers['x-amz-target'] !== 'AWSEvents.PutEvents') {
      respond(response, 400, { __type: 'UnknownOperationException', message: 'Only PutEvents is recorded' });
      return;
    }
    const { Entries = [] } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      Entries?: RecordedEntry[];
    };
    if (failures.count > 0) {
      failures = { ...failures, count: failures.count - 1 };
      respond(response, 200, {
        FailedEntryCount: Entries.length,
        Entries: Entries.map(() => ({ ErrorCode: failures.code, ErrorMessage: 'Injected failure' })),
      });
      return;
    }
    accepted.push(...Entries);
    respond(response, 200, { FailedEntryCount: 0, Entries: Entries.map(() => ({ EventId: randomUUID() })) });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => respond(response, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accepted,
    failNext(count, errorCode = 'InternalFailure') {
      failures = { count, code: errorCode };
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

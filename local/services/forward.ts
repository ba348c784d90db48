import { request as httpRequest } from 'node:http';
import type { AwsRequest, AwsResponse } from './aws-protocol';

/** Headers that describe the hop, not the request. */
const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

/** Sends a request on to an emulator listening on loopback and returns its answer. */
export function forward(
  port: number,
  request: AwsRequest,
  body: Buffer = request.body,
): Promise<AwsResponse> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && !HOP_HEADERS.has(name))
      headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  headers['content-length'] = String(body.length);
  const query = request.query.toString();
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: request.method,
        path: `${request.path}${query ? `?${query}` : ''}`,
        headers,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const responseHeaders: Record<string, string> = {};
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (value !== undefined && !HOP_HEADERS.has(name))
              responseHeaders[name] = Array.isArray(value) ? value.join(',') : value;
          }
          resolve({
            status: incoming.statusCode ?? 500,
            headers: responseHeaders,
            body: Buffer.concat(chunks),
          });
        });
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

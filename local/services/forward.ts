import { request as httpRequest } from 'node:http';
import type { AwsRequest, AwsResponse } from './aws-protocol';
import { flattenHeaders } from './http-server';

/** Headers that describe the hop, not the request. */
const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

/** Sends a request on to an emulator listening on loopback and returns its answer. */
export function forward(
  port: number,
  request: AwsRequest,
  body: Buffer = request.body,
): Promise<AwsResponse> {
  const headers = flattenHeaders(request.headers, HOP_HEADERS);
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
          resolve({
            status: incoming.statusCode ?? 500,
            headers: flattenHeaders(incoming.headers, HOP_HEADERS),
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

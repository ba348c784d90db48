import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forward } from '../../../../local/services/forward';
import { awsRequest, textOf } from '../../../fixtures/local-services/aws-request';

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

let server: Server;
let port = 0;
const received: Received[] = [];

function listen(target: Server): Promise<number> {
  return new Promise((resolve) =>
    target.listen(0, '127.0.0.1', () => resolve((target.address() as AddressInfo).port)),
  );
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const status = Number(request.headers['x-answer-status'] ?? 201);
      response.writeHead(status, {
        'Content-Type': 'application/x-amz-json-1.0',
        'x-amzn-RequestId': 'req-1',
        'Set-Cookie': ['a=1', 'b=2'],
        'Keep-Alive': 'timeout=5',
      });
      response.end(JSON.stringify({ echoed: Buffer.concat(chunks).length }));
    });
  });
  port = await listen(server);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received.length = 0;
});

const lastReceived = (): Received => {
  const last = received.at(-1);
  if (!last) throw new Error('the server received nothing');
  return last;
};

describe('forward: the request it sends', () => {
  it('keeps the method, path and query string', async () => {
    await forward(
      port,
      awsRequest({
        method: 'PUT',
        path: '/000000000000/orders',
        query: 'Action=SendMessage&tag=a%20b&tag=c',
      }),
    );
    expect(lastReceived()).toMatchObject({
      method: 'PUT',
      url: '/000000000000/orders?Action=SendMessage&tag=a+b&tag=c',
    });
  });

  it('adds no question mark when there is no query string', async () => {
    await forward(port, awsRequest({ method: 'GET', path: '/health' }));
    expect(lastReceived().url).toBe('/health');
  });

  it('sends the body and a content-length that matches it, whatever the incoming one said', async () => {
    await forward(
      port,
      awsRequest({ body: '{"a":"é"}', headers: { 'content-length': '999', 'transfer-encoding': 'chunked' } }),
    );
    const { body, headers } = lastReceived();
    expect(body).toBe('{"a":"é"}');
    expect(headers['content-length']).toBe(String(Buffer.byteLength('{"a":"é"}')));
    expect(headers['transfer-encoding']).toBeUndefined();
  });

  it('sends a replacement body when one is given, with its own length', async () => {
    await forward(port, awsRequest({ body: 'original body' }), Buffer.from('new'));
    expect(lastReceived()).toMatchObject({ body: 'new', headers: { 'content-length': '3' } });
  });

  it('sends content-length 0 for an empty body', async () => {
    await forward(port, awsRequest({ method: 'GET' }));
    expect(lastReceived().headers['content-length']).toBe('0');
  });

  it('drops the hop headers and keeps the others, joining repeated values', async () => {
    await forward(
      port,
      awsRequest({
        headers: {
          host: 'sqs.example.com',
          'keep-alive': 'timeout=99',
          'x-amz-target': 'AmazonSQS.SendMessage',
          authorization: 'AWS4-HMAC-SHA256 Credential=x',
          'x-repeated': ['one', 'two'],
          'x-absent': undefined,
        },
      }),
    );
    const { headers } = lastReceived();
    expect(headers.host).toBe(`127.0.0.1:${port}`);
    expect(headers['keep-alive']).toBeUndefined();
    expect(headers).toMatchObject({
      'x-amz-target': 'AmazonSQS.SendMessage',
      authorization: 'AWS4-HMAC-SHA256 Credential=x',
      'x-repeated': 'one,two',
    });
    expect(headers).not.toHaveProperty('x-absent');
  });
});

describe('forward: the answer it returns', () => {
  it('returns the status, the end-to-end headers and the body', async () => {
    const answer = await forward(port, awsRequest({ body: 'abcd' }));
    expect(answer.status).toBe(201);
    expect(answer.headers).toMatchObject({
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': 'req-1',
      'set-cookie': 'a=1,b=2',
    });
    expect(Buffer.isBuffer(answer.body)).toBe(true);
    expect(JSON.parse(textOf(answer))).toEqual({ echoed: 4 });
  });

  it('drops the hop headers of the answer', async () => {
    const answer = await forward(port, awsRequest());
    for (const name of ['content-length', 'connection', 'keep-alive', 'transfer-encoding']) {
      expect(answer.headers).not.toHaveProperty(name);
    }
  });

  it('returns an error status as it is', async () => {
    const answer = await forward(port, awsRequest({ headers: { 'x-answer-status': '503' } }));
    expect(answer.status).toBe(503);
    expect(JSON.parse(textOf(answer))).toEqual({ echoed: 0 });
  });

  it('rejects when nothing listens on the port', async () => {
    const closed = createServer();
    const freePort = await listen(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(forward(freePort, awsRequest())).rejects.toThrow(/ECONNREFUSED/);
  });
});

import { ContractClient } from '../../../utils/connectors/contract-client';
import { ContractViolationError } from '../../../utils/contracts/errors';
import { parseContract } from '../../../utils/contracts/load';
import { RequestValidationError } from '../../../utils/http/errors';
import { tracer } from '../../../utils/observability/powertools';
import { staticCredentials } from '../../../utils/security/credentials';
import { instantTiming, RotatingCredentials } from '../../support/connectors';
import { captureEmf } from '../../support/emf';
import { scriptedServerPerFile } from '../../support/scripted-server';

const CONTRACT = parseContract(
  `
integration:
  name: "widgets"
  version: "1.0"
  base_url: {env: WIDGETS_BASE_URL}
  credentials: {token: string, user: string, secret: string}
  auth:
    bearer: {type: bearer, credential: token}
    basic: {type: basic, credential: user}
    header: {type: header, header: X-Api-Key, credential: secret}
    query: {type: query, params: {key: secret}}
  endpoints:
    - {name: put_widget, method: PUT, path: "/widgets/{id}", auth: bearer, idempotency: key,
       path_params: {id: string(1..10)}, request_schema: {size: integer(1..)}, response_schema: {id: string}}
    - {name: get_basic, method: GET, path: /basic, auth: basic}
    - {name: get_header, method: GET, path: /header, auth: header}
    - {name: get_query, method: GET, path: /query, auth: query}
  error_handling: {retries: 1, backoff: exponential, timeout: 2s}
`,
  'widgets.yaml',
);
const CREDENTIALS = { token: 'tok-1', user: 'usr', secret: 'sec' };

const server = scriptedServerPerFile();

const client = (credentials = staticCredentials(CREDENTIALS)) =>
  new ContractClient(CONTRACT, { baseUrl: server.url, credentials, timing: instantTiming() });

describe('ContractClient', () => {
  it('fills the path, authenticates, sends the keys and validates the answer', async () => {
    server.reply({ status: 200, body: { id: 'w 1', colour: 'red' } });
    const response = await client().call('put_widget', {
      pathParams: { id: 'w 1' },
      body: { size: 3 },
      idempotencyKey: 'key-1',
      correlationId: 'corr-1',
    });
    expect(response.body).toEqual({ id: 'w 1', colour: 'red' });
    expect(server.received[0]).toMatchObject({ method: 'PUT', url: '/widgets/w%201', body: '{"size":3}' });
    expect(server.received[0]?.headers).toMatchObject({
      authorization: 'Bearer tok-1',
      'idempotency-key': 'key-1',
      'x-correlation-id': 'corr-1',
    });
  });

  it('speaks every auth scheme of the contract', async () => {
    await client().call('get_basic', {});
    await client().call('get_header', {});
    await client().call('get_query', {});
    expect(server.received[0]?.headers.authorization).toBe(`Basic ${Buffer.from('usr:').toString('base64')}`);
    expect(server.received[1]?.headers['x-api-key']).toBe('sec');
    expect(server.received[2]?.url).toBe('/query?key=sec');
  });

  it('refuses a request outside the contract before sending it', async () => {
    const error = await client()
      .call('put_widget', { pathParams: { id: 'w1' }, body: { size: 0, extra: true }, idempotencyKey: 'k' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as Error).message).toContain('Invalid widgets put_widget request: size: Too small');
    await expect(
      client().call('put_widget', { pathParams: { id: '' }, body: { size: 1 }, idempotencyKey: 'k' }),
    ).rejects.toThrow('Invalid widgets put_widget path: id');
    expect(server.received).toHaveLength(0);
  });

  it('fails with ContractViolationError when the answer breaks the contract', async () => {
    server.reply({ status: 200, body: { name: 'no id' } });
    const error = await client()
      .call('put_widget', { pathParams: { id: 'w1' }, body: { size: 1 }, idempotencyKey: 'k' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error).toMatchObject({ code: 'INTEGRATION_FAILURE', issues: [{ field: 'id' }] });
  });

  it('reads the secret anew once when the provider refuses it', async () => {
    const rotating = new RotatingCredentials([CREDENTIALS, { ...CREDENTIALS, token: 'tok-2' }]);
    server.reply({ status: 401 }, { status: 200, body: { id: 'w1' } });
    await client(rotating).call('put_widget', {
      pathParams: { id: 'w1' },
      body: { size: 1 },
      idempotencyKey: 'k',
    });
    expect(server.received.map((request) => request.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-2',
    ]);
    expect(rotating.refreshes).toBe(1);
  });

  it('takes its base URL from the environment variable the contract names, and fails fast without one', async () => {
    const credentials = staticCredentials(CREDENTIALS);
    expect(
      new ContractClient(CONTRACT, { credentials, env: { WIDGETS_BASE_URL: 'http://127.0.0.1:9' } }).baseUrl,
    ).toBe('http://127.0.0.1:9');
    expect(() => new ContractClient(CONTRACT, { credentials, env: {} })).toThrow(
      'WIDGETS_BASE_URL must be set: the widgets contract has no default base URL',
    );
    await expect(client().call('nope', {})).rejects.toThrow('widgets has no endpoint nope');
  });

  it("measures each call for the contract's provider and endpoint, and counts a provider failure", async () => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    server.reply({ status: 200 }, { status: 503 }, { status: 503 });
    const emf = captureEmf();
    try {
      await client().call('get_basic', {});
      await client()
        .call('get_basic', {})
        .catch(() => undefined);
    } finally {
      emf.restore();
    }
    expect(emf.records('Connector_Latency').map((record) => [record.provider, record.operation])).toEqual([
      ['widgets', 'get_basic'],
      ['widgets', 'get_basic'],
    ]);
    expect(emf.records('Connector_Errors_Total').map((record) => record.provider)).toEqual(['widgets']);
  });

  it('traces each call as a subsegment named after the provider', async () => {
    const names: string[] = [];
    const segment = {
      addNewSubsegment: (name: string) => {
        names.push(name);
        return { addMetadata() {}, addError() {}, close() {} };
      },
    };
    const spies = [
      jest.spyOn(tracer, 'isTracingEnabled').mockReturnValue(true),
      jest.spyOn(tracer, 'getSegment').mockReturnValue(segment as never),
      jest.spyOn(tracer, 'setSegment').mockImplementation(() => {}),
    ];
    try {
      await client().call('get_basic', {});
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(names).toEqual(['widgets']);
  });
});

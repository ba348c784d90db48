import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { ContractFileError } from '../../../utils/contracts/errors';
import { CONTRACTS_DIR, loadContract, loadContracts, parseContract } from '../../../utils/contracts/load';

const VALID = `
integration:
  name: "stripe-payment"
  version: "1.0"
  base_url: {env: PAYMENT_BASE_URL}
  credentials: {api_key: string(1..)}
  auth:
    api_key: {type: bearer, credential: api_key}
  endpoints:
    - name: create_charge
      method: POST
      path: /v1/charges
      auth: api_key
      rate_limit: 100/min
      idempotency: key
      request_schema: {amount: integer(1..), currency: string, source: string}
      response_schema: {id: string, status: string, amount: number}
    - name: get_charge
      method: GET
      path: /v1/charges/{id}
      auth: api_key
      path_params: {id: string(1..)}
  error_handling: {retries: 3, backoff: exponential, timeout: 30s}
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'junction-contracts-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The valid contract with one value replaced (a YAML path) or removed (undefined). */
function variant(at: readonly (string | number)[], value: unknown): string {
  const doc = parseDocument(VALID);
  if (value === undefined) doc.deleteIn(at);
  else doc.setIn(at, value);
  return doc.toString();
}

/** What was changed in the valid contract, where, and the message that must name the field. */
const FIELD_ERRORS: [string, readonly (string | number)[], unknown, string][] = [
  [
    'a missing timeout',
    ['integration', 'error_handling', 'timeout'],
    undefined,
    'integration.error_handling.timeout: expected a duration such as 30s',
  ],
  [
    'a timeout without a unit',
    ['integration', 'error_handling', 'timeout'],
    '30',
    'integration.error_handling.timeout: expected a duration such as 30s',
  ],
  [
    'a negative retry count',
    ['integration', 'error_handling', 'retries'],
    -1,
    'integration.error_handling.retries: expected a whole number from 0 to 10',
  ],
  [
    'an unknown backoff',
    ['integration', 'error_handling', 'backoff'],
    'linear',
    'integration.error_handling.backoff: expected one of exponential, constant',
  ],
  [
    'a max delay under the initial delay',
    ['integration', 'error_handling', 'max_delay'],
    '100ms',
    'integration.error_handling.max_delay: must not be shorter than initial_delay (200ms)',
  ],
  [
    'an unquoted version',
    ['integration', 'version'],
    1,
    'integration.version: expected a quoted version such as "1.0"',
  ],
  [
    'a bad name',
    ['integration', 'name'],
    'Stripe Payment',
    'integration.name: expected lower-case letters, digits and dashes',
  ],
  ['no endpoints', ['integration', 'endpoints'], [], 'integration.endpoints: expected at least one endpoint'],
  [
    'an unknown method',
    ['integration', 'endpoints', 0, 'method'],
    'FETCH',
    'integration.endpoints[0].method: expected one of GET, POST, PUT, PATCH, DELETE',
  ],
  [
    'a relative path',
    ['integration', 'endpoints', 0, 'path'],
    'v1/charges',
    'integration.endpoints[0].path: expected a path starting with /',
  ],
  [
    'a bad rate limit',
    ['integration', 'endpoints', 0, 'rate_limit'],
    '100 per minute',
    'integration.endpoints[0].rate_limit: expected a rate such as 100/min',
  ],
  [
    'an unknown auth scheme',
    ['integration', 'endpoints', 0, 'auth'],
    'oauth',
    'integration.endpoints[0].auth: no scheme "oauth" under integration.auth',
  ],
  [
    'a credential the secret lacks',
    ['integration', 'auth', 'api_key', 'credential'],
    'key',
    'integration.auth.api_key.credential: no field "key" under integration.credentials',
  ],
  [
    'an unknown auth type',
    ['integration', 'auth', 'api_key', 'type'],
    'digest',
    'integration.auth.api_key.type: expected one of bearer, basic, header, query',
  ],
  [
    'a POST without its idempotency',
    ['integration', 'endpoints', 0, 'idempotency'],
    undefined,
    'integration.endpoints[0].idempotency: a POST endpoint must say how a repeat is made safe: key, natural or none',
  ],
  [
    'a bad request schema',
    ['integration', 'endpoints', 0, 'request_schema', 'amount'],
    'numbr',
    'integration.endpoints[0].request_schema.amount: unknown type "numbr"',
  ],
  [
    'a bad response schema',
    ['integration', 'endpoints', 0, 'response_schema', 'status'],
    'enum()',
    'integration.endpoints[0].response_schema.status: enum() needs at least one value',
  ],
  [
    'an undeclared path parameter',
    ['integration', 'endpoints', 1, 'path_params'],
    undefined,
    'integration.endpoints[1].path_params: the path has {id}; declare it here',
  ],
  [
    'a duplicate endpoint name',
    ['integration', 'endpoints', 1, 'name'],
    'create_charge',
    'integration.endpoints[1].name: duplicate endpoint name "create_charge"',
  ],
  ['an unknown field', ['integration', 'colour'], 'blue', 'integration: unknown field "colour"'],
  [
    'a bad success status',
    ['integration', 'endpoints', 0, 'success_status'],
    [700],
    'integration.endpoints[0].success_status[0]: expected a 2xx status',
  ],
  [
    'a bad base URL env name',
    ['integration', 'base_url', 'env'],
    'payment-url',
    'integration.base_url.env: expected an environment variable name such as PAYMENT_BASE_URL',
  ],
];

function errorOf(text: string): ContractFileError {
  try {
    parseContract(text, 'specs/contracts/payment.yaml');
  } catch (error) {
    if (error instanceof ContractFileError) return error;
    throw error;
  }
  throw new Error('the contract was accepted');
}

describe('loadContract', () => {
  it('parses the values a connector needs', () => {
    const contract = loadContract(write('payment.yaml', VALID));
    expect(contract).toMatchObject({
      name: 'stripe-payment',
      version: '1.0',
      baseUrlEnv: 'PAYMENT_BASE_URL',
      encoding: 'json',
      errorHandling: {
        retries: 3,
        backoff: 'exponential',
        timeoutMs: 30_000,
        initialDelayMs: 200,
        maxDelayMs: 5_000,
      },
    });
    const charge = contract.endpoints.create_charge;
    expect(charge).toMatchObject({
      method: 'POST',
      path: '/v1/charges',
      idempotency: 'key',
      auth: { type: 'bearer', credential: 'api_key' },
      rateLimit: { perSecond: 100 / 60, burst: 100 },
      successStatus: [200, 201, 202, 204],
    });
    expect(contract.endpoints.get_charge?.idempotency).toBe('natural');
  });

  it('validates requests strictly and responses tolerantly from the schemas', () => {
    const charge = loadContract(write('payment.yaml', VALID)).endpoints.create_charge;
    expect(charge?.request?.validate({ amount: 10, currency: 'eur', source: 'tok_visa' }).ok).toBe(true);
    expect(charge?.request?.validate({ amount: 0, currency: 'eur', source: 'tok_visa' })).toMatchObject({
      ok: false,
      issues: [{ field: 'amount' }],
    });
    expect(charge?.response?.validate({ id: 'ch_1', status: 'succeeded', amount: 10, paid: true }).ok).toBe(
      true,
    );
  });

  it('takes the brief form: top-level schemas apply to endpoints without their own', () => {
    const doc = parseDocument(VALID);
    doc.deleteIn(['integration', 'endpoints', 0, 'request_schema']);
    doc.setIn(['integration', 'request_schema'], { amount: 'number' });
    const charge = parseContract(doc.toString(), 'x.yaml').endpoints.create_charge;
    expect(charge?.request?.validate({ amount: 1 }).ok).toBe(true);
    expect(charge?.request?.validate({ amount: 'x' }).ok).toBe(false);
  });

  it('fails with the file when it cannot be read or is not YAML', () => {
    expect(() => loadContract(path.join(dir, 'missing.yaml'))).toThrow(
      /missing\.yaml: \(file\): cannot read it \(ENOENT\)/,
    );
    expect(() => loadContract(write('bad.yaml', 'integration: [unclosed'))).toThrow(
      /bad\.yaml: \(file\): not valid YAML: /,
    );
  });

  it('fails for a document without integration', () => {
    expect(errorOf('other: 1').message).toBe(
      'specs/contracts/payment.yaml: integration: expected a mapping\nspecs/contracts/payment.yaml: (file): unknown field "other"',
    );
  });
});

describe('contract errors', () => {
  it.each(FIELD_ERRORS)('names the file and the field for %s', (_what, at, value, message) => {
    const error = errorOf(variant(at, value));
    expect(error.message).toContain(`specs/contracts/payment.yaml: ${message}`);
    expect(error.file).toBe('specs/contracts/payment.yaml');
    expect(message.startsWith(`${error.field}:`)).toBe(true);
  });
});

describe('loadContracts', () => {
  it('loads every contract of the repository', () => {
    const contracts = loadContracts();
    expect(contracts.map((contract) => contract.id)).toEqual(['analytics', 'crm', 'email', 'payment']);
    expect(CONTRACTS_DIR.endsWith(path.join('specs', 'contracts'))).toBe(true);
  });

  it('fails on the first broken file of a directory with its name', () => {
    mkdirSync(path.join(dir, 'nested'));
    write('a.yaml', VALID);
    write('b.yaml', variant(['integration', 'error_handling', 'timeout'], 'soon'));
    expect(() => loadContracts(dir)).toThrow(
      `${path.relative(process.cwd(), path.join(dir, 'b.yaml'))}: integration.error_handling.timeout: expected a duration such as 30s`,
    );
  });
});

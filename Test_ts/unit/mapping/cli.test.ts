import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runMappingCli } from '../../../utils/mapping/cli';

const SPECS = path.join(__dirname, '../../../specs/mappings');
const SAMPLES = path.join(__dirname, '../../../events/mappings');

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runMappingCli(args, {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
  });
  return { code, out, err };
}

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'mapping-cli-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scratchFile(name: string, content: unknown): string {
  const file = path.join(scratch, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('npm run mapping -- check', () => {
  it('checks one spec and says what it holds', () => {
    const { code, out } = run(['check', path.join(SPECS, 'order.to.invoice.json')]);
    expect(code).toBe(0);
    expect(out).toMatch(/✓ order\.to\.invoice 1\.0: \d+ transformations/);
  });

  it('checks every shipped spec when given none', () => {
    const { code, out } = run(['check']);
    expect(code).toBe(0);
    for (const name of ['order.to.invoice', 'order.to.analytics', 'customer.to.crm'])
      expect(out).toContain(name);
  });

  it('fails on a broken spec with the file, the location and what was expected', () => {
    const file = scratchFile('broken.json', {
      mapping: 'order.to.broken',
      version: '1.0',
      input: { order: 'order.created/1.1' },
      transformations: [
        { source: 'order.order_id', target: 'id', type: 'direct' },
        { source: 'order.items[*]', target: 'x[*]', type: 'array', formula: 'unit_amount * customer' },
      ],
    });
    const { code, err } = run(['check', file]);
    expect(code).toBe(1);
    expect(err).toContain('broken.json: transformations[1].formula');
    expect(err).toMatch(/column 15/);
  });

  it('fails on a file that is not JSON', () => {
    const { code, err } = run(['check', scratchFile('not-json.json', '{ "mapping": ')]);
    expect(code).toBe(1);
    expect(err).toContain('not valid JSON');
  });
});

describe('npm run mapping -- run', () => {
  it('prints the mapped output', () => {
    const { code, out } = run([
      'run',
      path.join(SPECS, 'customer.to.crm.json'),
      path.join(SAMPLES, 'customer.to.crm/input.json'),
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ External_Id__c: 'cus-1001', MailingCountry: 'United Kingdom' });
  });

  it('fails with the mapping error for a record it cannot map', () => {
    const input = scratchFile('bad-customer.json', { customer: { customer_id: 'c-1', country: 'DE' } });
    const { code, err } = run(['run', path.join(SPECS, 'customer.to.crm.json'), input]);
    expect(code).toBe(1);
    expect(err).toContain('customer.last_name: required but missing');
  });

  it('fails clearly on a missing input file', () => {
    const { code, err } = run([
      'run',
      path.join(SPECS, 'customer.to.crm.json'),
      path.join(scratch, 'nope.json'),
    ]);
    expect(code).toBe(1);
    expect(err).toMatch(/nope\.json.*ENOENT/);
  });
});

describe('usage', () => {
  it.each([[[]], [['frobnicate']], [['run', 'only-a-spec.json']]])('explains the commands for %j', (args) => {
    const { code, err } = run(args);
    expect(code).toBe(2);
    expect(err).toContain('npm run mapping -- check [SPEC.json ...]');
    expect(err).toContain('npm run mapping -- run SPEC.json INPUT.json');
  });
});

import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runContractsCli } from '../../../utils/contracts/cli';
import { CONTRACTS_DIR } from '../../../utils/contracts/load';

function run(args: string[]) {
  let out = '';
  let err = '';
  const code = runContractsCli(args, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'junction-contract-cli-'));
  copyFileSync(path.join(CONTRACTS_DIR, 'email.yaml'), path.join(dir, 'email.yaml'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('contracts CLI', () => {
  it('checks the repository contracts', () => {
    const result = run(['check']);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain('✓ stripe-payment 1.0: 3 endpoints');
  });

  it('fails a check while the JSON is missing, then generates it', () => {
    const failed = run(['check', dir]);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('email.json is missing: run `npx tsx bin/contracts.ts generate`');
    expect(run(['generate', dir]).code).toBe(0);
    expect(existsSync(path.join(dir, 'email.json'))).toBe(true);
    expect(run(['check', dir]).code).toBe(0);
  });

  it('fails with the file and field of a broken contract', () => {
    writeFileSync(path.join(dir, 'email.yaml'), 'integration: {name: x}\n');
    const result = run(['check', dir]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('email.yaml: integration.version: expected a quoted version such as "1.0"');
  });

  it('prints the usage for an unknown command', () => {
    expect(run(['frobnicate'])).toMatchObject({ code: 2, err: expect.stringContaining('Usage:') });
  });
});

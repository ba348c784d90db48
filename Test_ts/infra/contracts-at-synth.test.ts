import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createJunctionApp } from '../../lib/junction-app';
import { testApp } from '../support/cdk-app';

// A contract configures a connector: a broken one must stop the synth, not the first call.
describe('integration contracts at synth', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'contracts-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fails the synth on a contract with a bad field, naming the file and the field', () => {
    const payment = readFileSync(path.join(__dirname, '../../specs/contracts/payment.yaml'), 'utf8');
    writeFileSync(path.join(dir, 'payment.yaml'), payment.replace(/timeout: \S+/, 'timeout: soon'));
    expect(() => createJunctionApp(testApp(), { contractsDir: dir })).toThrow(/payment\.yaml.*timeout/);
  });
});

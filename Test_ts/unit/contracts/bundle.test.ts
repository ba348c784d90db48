import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { contractDrift, writeContractJson } from '../../../utils/contracts/bundle';
import {
  ANALYTICS_CONTRACT,
  CRM_CONTRACT,
  EMAIL_CONTRACT,
  PAYMENT_CONTRACT,
} from '../../../utils/contracts/bundled';
import { CONTRACTS_DIR } from '../../../utils/contracts/load';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'junction-contract-json-'));
  copyFileSync(path.join(CONTRACTS_DIR, 'payment.yaml'), path.join(dir, 'payment.yaml'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('contract JSON for bundles', () => {
  it('is in step with every YAML contract of the repository', () => {
    expect(contractDrift()).toEqual([]);
  });

  it('reports a missing and a stale JSON file, and writing it brings it back in step', () => {
    expect(contractDrift(dir)).toEqual([{ file: path.join(dir, 'payment.json'), reason: 'missing' }]);
    expect(writeContractJson(dir)).toEqual([path.join(dir, 'payment.json')]);
    expect(contractDrift(dir)).toEqual([]);

    const json = path.join(dir, 'payment.json');
    writeFileSync(json, readFileSync(json, 'utf8').replace('"timeout": "10s"', '"timeout": "30s"'));
    expect(contractDrift(dir)).toEqual([{ file: json, reason: 'stale' }]);
  });

  it('gives connectors the same contracts as the YAML files, without reading files', () => {
    expect(PAYMENT_CONTRACT.endpoints.create_charge?.path).toBe('/v1/charges');
    expect(PAYMENT_CONTRACT.file).toBe('specs/contracts/payment.yaml');
    expect(EMAIL_CONTRACT.endpoints.send_mail?.idempotency).toBe('none');
    expect(CRM_CONTRACT.endpoints.upsert_contact?.method).toBe('PATCH');
    expect(ANALYTICS_CONTRACT.endpoints.collect?.auth?.type).toBe('query');
  });
});

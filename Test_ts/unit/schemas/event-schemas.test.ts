import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { catalogSchemaSources } from '../../../utils/events/catalog';
import { findDrift, readSchemaFiles, renderSchemaFiles } from '../../../utils/schemas/registry-files';
import { sampleJson } from '../../support/api-events';

const directory = path.join(__dirname, '..', '..', '..', 'specs', 'schemas');
const files = readSchemaFiles(directory);

function validator(file: string) {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(files.get(file) ?? 'null'));
}

const data = (sample: string) =>
  sampleJson<{ detail: { data: unknown } }>(`eventbridge/${sample}`).detail.data;

describe('specs/schemas', () => {
  it('is exactly what the zod schemas of the event catalog generate', () => {
    expect(findDrift(renderSchemaFiles(catalogSchemaSources()), files, 'specs/schemas')).toEqual([]);
    expect([...files.keys()].sort()).toEqual([
      'customer.updated/1.0.json',
      'email.bounced/1.0.json',
      'email.dropped/1.0.json',
      'notification.failed/1.0.json',
      'order.completed/1.0.json',
      'order.created/1.0.json',
      'order.created/1.1.json',
      'order.created/1.2.json',
      'order.failed/1.0.json',
      'payment.failed/1.0.json',
      'payment.refunded/1.0.json',
      'payment.succeeded/1.0.json',
    ]);
  });

  it('holds valid draft 2020-12 schemas that accept the sample events of their version', () => {
    expect(validator('order.created/1.0.json')(data('order-created-1.0.json'))).toBe(true);
    expect(validator('order.created/1.1.json')(data('order-created.json'))).toBe(true);
    expect(validator('customer.updated/1.0.json')(data('customer-updated.json'))).toBe(true);
    for (const type of [
      'payment.succeeded',
      'payment.failed',
      'payment.refunded',
      'email.bounced',
      'email.dropped',
    ]) {
      expect(validator(`${type}/1.0.json`)(data(`${type.replace('.', '-')}.json`))).toBe(true);
    }
  });

  it('lets a 1.0 consumer validate a 1.1 event (a minor only adds), but not the other way round', () => {
    expect(validator('order.created/1.0.json')(data('order-created.json'))).toBe(true);
    const v11 = validator('order.created/1.1.json');
    expect(v11(data('order-created-1.0.json'))).toBe(false);
    expect(v11.errors?.[0]).toMatchObject({ keyword: 'required', params: { missingProperty: 'channel' } });
  });
});

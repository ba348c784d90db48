import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MappingError } from '../../../utils/mapping/errors';
import { loadMappingSpec, loadMappingSpecs } from '../../../utils/mapping/load';

const ROOT = path.join(__dirname, '../../..');
const readJson = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'));

describe('the shipped mapping specs', () => {
  it('are the three Junction ships, each checked against its input schemas', () => {
    expect(loadMappingSpecs().map((mapping) => `${mapping.name} ${mapping.version}`)).toEqual([
      'customer.to.crm 1.0',
      'order.to.analytics 1.0',
      'order.to.invoice 1.0',
    ]);
  });

  it.each(['order.to.invoice', 'order.to.analytics', 'customer.to.crm'])(
    '%s maps its sample input to its expected output',
    (name) => {
      const mapping = loadMappingSpec(path.join(ROOT, 'specs/mappings', `${name}.json`));
      const input = readJson(`events/mappings/${name}/input.json`);
      expect(mapping.map(input)).toEqual(readJson(`events/mappings/${name}/expected.json`));
    },
  );

  it('order.to.invoice fails a line without a quantity, naming the line', () => {
    const mapping = loadMappingSpec(path.join(ROOT, 'specs/mappings/order.to.invoice.json'));
    const input = readJson('events/mappings/order.to.invoice/input.json');
    delete input.order.items[1].quantity;
    expect(() => mapping.map(input)).toThrow(MappingError);
    expect(() => mapping.map(input)).toThrow('order.items[1].quantity');
  });

  it('order.to.analytics leaves the customer email out of what analytics receives', () => {
    const mapping = loadMappingSpec(path.join(ROOT, 'specs/mappings/order.to.analytics.json'));
    const output = JSON.stringify(mapping.map(readJson('events/mappings/order.to.analytics/input.json')));
    expect(output).not.toContain('@');
  });

  it('customer.to.crm leaves out a phone number that is not E.164 and names countries it does not know as Other', () => {
    const mapping = loadMappingSpec(path.join(ROOT, 'specs/mappings/customer.to.crm.json'));
    const input = readJson('events/mappings/customer.to.crm/input.json');
    input.customer.phone = '020 7123 4567';
    input.customer.country = 'JP';
    const output = mapping.map(input);
    expect(output).not.toHaveProperty('MobilePhone');
    expect(output).toMatchObject({ MailingCountry: 'Other', MailingCountryCode: 'JP' });
  });
});

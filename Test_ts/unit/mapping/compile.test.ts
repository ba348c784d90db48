import { compileMapping } from '../../../utils/mapping/compile';
import { MappingError } from '../../../utils/mapping/errors';
import { map, mappingErrorOf, order, specOf } from '../../fixtures/mapping/specs';

describe('compileMapping: direct and array', () => {
  it('direct copies a field to a nested target', () => {
    expect(map([{ source: 'order.id', target: 'invoice.order_reference', type: 'direct' }], order)).toEqual({
      invoice: { order_reference: 'ord-1' },
    });
  });

  it('direct computes a formula over the root', () => {
    expect(
      map([{ formula: 'count(order.items[*].sku) * 10', target: 'lines', type: 'direct' }], order),
    ).toEqual({ lines: 20 });
  });

  it('array maps every item, with the formula relative to the item', () => {
    expect(
      map(
        [
          { source: 'order.items[*].sku', target: 'invoice.line_items[*].sku', type: 'array' },
          {
            source: 'order.items[*].unit_amount',
            target: 'invoice.line_items[*].amount',
            type: 'array',
            formula: 'unit_amount * quantity',
          },
        ],
        order,
      ),
    ).toEqual({
      invoice: {
        line_items: [
          { sku: 'BOOK', amount: 4900 },
          { sku: 'MUG', amount: 1200 },
        ],
      },
    });
  });

  it('array formulas reach the root through $ and the position through $index', () => {
    expect(
      map(
        [
          {
            source: 'order.items[*]',
            target: 'lines[*].label',
            type: 'array',
            formula: "$.order.id & '/' & ($index + 1) & ' ' & sku",
          },
        ],
        order,
      ),
    ).toEqual({ lines: [{ label: 'ord-1/1 BOOK' }, { label: 'ord-1/2 MUG' }] });
  });

  it('array maps nested arrays, keeping an empty inner array', () => {
    expect(
      map(
        [{ source: 'order.items[*].options[*].code', target: 'lines[*].options[*].code', type: 'array' }],
        order,
      ),
    ).toEqual({ lines: [{ options: [{ code: 'GIFT' }, { code: 'WRAP' }] }, { options: [] }] });
  });

  it('array fills a list of values, leaving out the items a condition skips', () => {
    expect(
      map(
        [{ source: 'order.items[*].sku', target: 'gift_skus[*]', type: 'array', when: 'quantity > 1' }],
        order,
      ),
    ).toEqual({ gift_skus: ['BOOK'] });
  });
});

describe('compileMapping: constant, lookup, format and concat', () => {
  it('constant sets a value, once or for every item', () => {
    expect(
      map(
        [
          { target: 'schema', type: 'constant', value: { name: 'invoice', version: 2 } },
          { source: 'order.items[*]', target: 'lines[*].unit', type: 'constant', value: 'EA' },
        ],
        order,
      ),
    ).toEqual({ schema: { name: 'invoice', version: 2 }, lines: [{ unit: 'EA' }, { unit: 'EA' }] });
  });

  it('lookup translates through a table of the spec', () => {
    const lookups = { countries: { DE: 'Germany', FR: 'France' } };
    expect(
      map(
        [{ source: 'order.customer.country', target: 'country', type: 'lookup', table: 'countries' }],
        order,
        { lookups },
      ),
    ).toEqual({ country: 'Germany' });
  });

  it('lookup falls back to the default for a key the table lacks, and fails without one', () => {
    const lookups = { countries: { FR: 'France' } };
    const lookup = {
      source: 'order.customer.country',
      target: 'country',
      type: 'lookup',
      table: 'countries',
    };
    expect(map([{ ...lookup, default: 'Elsewhere' }], order, { lookups })).toEqual({ country: 'Elsewhere' });
    const error = mappingErrorOf(() => map([lookup], order, { lookups }));
    expect(error).toMatchObject({
      field: 'order.customer.country',
      reason: 'no entry for "DE" in lookup "countries"',
    });
  });

  it('format turns dates, amounts and case', () => {
    expect(
      map(
        [
          { source: 'order.created_at', target: 'issued_at', type: 'format', format: 'iso8601' },
          { source: 'order.created_at', target: 'issued_on', type: 'format', format: 'date' },
          {
            source: 'order.items[*].unit_amount',
            target: 'prices[*]',
            type: 'format',
            format: 'minor-to-major:2',
          },
          { source: 'order.customer.last_name', target: 'surname', type: 'format', format: 'upper' },
          {
            formula: 'sum(order.items[*].unit_amount) / 100',
            target: 'total',
            type: 'format',
            format: 'decimal:2',
          },
        ],
        order,
      ),
    ).toEqual({
      issued_at: '2025-01-15T10:00:00.000Z',
      issued_on: '2025-01-15',
      prices: [24.5, 12],
      surname: 'LOVELACE',
      total: '36.50',
    });
  });

  it('concat joins the present parts with the separator', () => {
    const input = { a: { first: 'Ada', middle: null, last: 'Lovelace', n: 3 } };
    expect(
      map(
        [
          {
            sources: ['a.first', 'a.middle', 'a.last', 'a.n'],
            separator: ' ',
            target: 'name',
            type: 'concat',
          },
        ],
        input,
      ),
    ).toEqual({ name: 'Ada Lovelace 3' });
  });

  it('concat works per item, mixing item fields and root fields', () => {
    expect(
      map(
        [{ sources: ['order.id', 'order.items[*].sku'], separator: '-', target: 'refs[*]', type: 'concat' }],
        order,
      ),
    ).toEqual({ refs: ['ord-1-BOOK', 'ord-1-MUG'] });
  });
});

describe('compileMapping: absent values', () => {
  it('leaves out the target of an absent optional value', () => {
    expect(map([{ source: 'order.missing', target: 'x', type: 'direct' }], order)).toEqual({});
  });

  it('treats null as absent', () => {
    expect(map([{ source: 'a', target: 'x', type: 'direct', default: 'none' }], { a: null })).toEqual({
      x: 'none',
    });
  });

  it('uses the default as it stands, without formatting it', () => {
    expect(map([{ source: 'a', target: 'x', type: 'format', format: 'upper', default: 'n/a' }], {})).toEqual({
      x: 'n/a',
    });
  });

  it('fails on an absent required value, naming the field with its index', () => {
    const input = { order: { items: [{ sku: 'A' }, {}] } };
    const error = mappingErrorOf(() =>
      map([{ source: 'order.items[*].sku', target: 'skus[*]', type: 'array', required: true }], input),
    );
    expect(error).toMatchObject({
      mapping: 'test.mapping',
      transformation: 0,
      target: 'skus[*]',
      field: 'order.items[1].sku',
      reason: 'required but missing',
      code: 'MAPPING_FAILED',
    });
    expect(error.message).toBe(
      'Mapping test.mapping failed at transformation 0 (skus[*]): order.items[1].sku: required but missing',
    );
  });

  it('fails on a required array that is absent, and on one that is not an array', () => {
    const spec = [{ source: 'order.items[*].sku', target: 'skus[*]', type: 'array', required: true }];
    expect(mappingErrorOf(() => map(spec, { order: {} }))).toMatchObject({
      field: 'order.items',
      reason: 'required but missing',
    });
    expect(mappingErrorOf(() => map(spec, { order: { items: 'BOOK' } }))).toMatchObject({
      field: 'order.items',
      reason: 'expected an array, found string',
    });
  });

  it('names the item field a formula could not use', () => {
    const input = {
      order: {
        items: [
          { quantity: 1, unit_amount: 5 },
          { quantity: 'two', unit_amount: 5 },
        ],
      },
    };
    const error = mappingErrorOf(() =>
      map(
        [
          {
            source: 'order.items[*]',
            target: 'amounts[*]',
            type: 'array',
            formula: 'unit_amount * quantity',
          },
        ],
        input,
      ),
    );
    expect(error.field).toBe('order.items[1].quantity');
    expect(error.reason).toMatch(/expected a number, found string/);
  });

  it('names the field a format could not take', () => {
    const error = mappingErrorOf(() =>
      map([{ source: 'order.id', target: 'x', type: 'format', format: 'decimal:2' }], order),
    );
    expect(error).toMatchObject({ field: 'order.id', reason: 'expected a number, found string' });
  });

  it('returns nothing half-built: a failure late in the spec throws and yields no output', () => {
    const compiled = compileMapping(
      specOf([
        { source: 'order.id', target: 'id', type: 'direct' },
        { source: 'order.absent', target: 'must', type: 'direct', required: true },
      ]),
    );
    let output: unknown;
    expect(() => {
      output = compiled.map(order);
    }).toThrow(MappingError);
    expect(output).toBeUndefined();
  });

  it('builds a fresh output for every call', () => {
    const compiled = compileMapping(
      specOf([{ source: 'order.items[*].sku', target: 'skus[*]', type: 'array' }]),
    );
    const first = compiled.map(order);
    const second = compiled.map(order);
    expect(first).toEqual(second);
    expect(first).not.toBe(second);
    expect(first.skus).not.toBe(second.skus);
  });

  it('skips a transformation whose condition is false', () => {
    expect(
      map(
        [
          { source: 'order.id', target: 'eur_id', type: 'direct', when: "order.currency == 'EUR'" },
          { source: 'order.id', target: 'usd_id', type: 'direct', when: "order.currency == 'USD'" },
        ],
        order,
      ),
    ).toEqual({ eur_id: 'ord-1' });
  });
});

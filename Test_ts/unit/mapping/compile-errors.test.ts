import { compileMapping } from '../../../utils/mapping/compile';
import { map, order, specErrorOf, specOf } from '../../fixtures/mapping/specs';

describe('compileMapping: spec errors', () => {
  it.each([
    [{ mapping: 'x', version: '1.0', transformations: [] }, 'mapping'],
    [{ mapping: 'a.b', version: '1', transformations: [] }, 'version'],
    [{ mapping: 'a.b', version: '1.0', transformations: [] }, 'transformations'],
    [specOf([{ source: 'a', target: 'b', type: 'copy' }]), 'transformations[0].type'],
    [specOf([{ source: 'a', target: 'b', type: 'direct', extra: 1 }]), 'transformations[0]'],
  ])('rejects a malformed spec (%j) at %s', (spec, location) => {
    expect(specErrorOf(() => compileMapping(spec, { file: 'specs/mappings/x.json' }))).toMatchObject({
      file: 'specs/mappings/x.json',
      location,
    });
  });

  it.each([
    [{ target: 'b', type: 'direct' }, 'transformations[0]', 'a source or a formula'],
    [{ source: 'a[*]', target: 'b', type: 'direct' }, 'transformations[0].source', 'a path without [*]'],
    [{ source: 'a', target: 'b', type: 'array' }, 'transformations[0].source', 'a path with [*]'],
    [{ source: 'a[*]', target: 'b', type: 'array' }, 'transformations[0].target', 'a target with 1 [*]'],
    [{ source: 'a', target: 'b', type: 'lookup' }, 'transformations[0].table', 'a lookup table'],
    [
      { source: 'a', target: 'b', type: 'lookup', table: 'nope' },
      'transformations[0].table',
      'one of (none)',
    ],
    [{ source: 'a', target: 'b', type: 'format' }, 'transformations[0].format', 'a format'],
    [
      { source: 'a', target: 'b', type: 'format', format: 'shout' },
      'transformations[0].format',
      'one of iso8601',
    ],
    [{ target: 'b', type: 'constant' }, 'transformations[0].value', 'a value'],
    [{ target: 'b', type: 'concat' }, 'transformations[0].sources', 'a list of sources'],
    [{ source: 'a', target: 'b', type: 'direct', table: 't' }, 'transformations[0].table', 'no table'],
    [{ source: 'a..b', target: 'b', type: 'direct' }, 'transformations[0].source', 'a field name'],
    [{ formula: '1 +', target: 'b', type: 'direct' }, 'transformations[0].formula', 'column 4'],
    [{ source: 'a', target: 'b', type: 'direct', when: 'a >' }, 'transformations[0].when', 'column 4'],
    [
      { target: 'y[*]', type: 'concat', sources: ['x[*].a', 'z[*].b'] },
      'transformations[0].sources[1]',
      'x[*]',
    ],
  ])('rejects %j at %s, expecting %s', (transformation, location, expected) => {
    const error = specErrorOf(() => compileMapping(specOf([transformation]), { file: 'm.json' }));
    expect(error.location).toBe(location);
    expect(error.message).toContain(expected);
    expect(error.message).toMatch(/^m\.json: /);
  });

  it('rejects two transformations writing the same target, or one inside the other', () => {
    const same = specErrorOf(() =>
      compileMapping(
        specOf([
          { source: 'a', target: 'x.y', type: 'direct' },
          { source: 'b', target: 'x.y', type: 'direct' },
        ]),
      ),
    );
    expect(same.location).toBe('transformations[1].target');
    expect(same.message).toContain('x.y is already written by transformations[0]');
    const nested = specErrorOf(() =>
      compileMapping(
        specOf([
          { source: 'a', target: 'x', type: 'direct' },
          { source: 'b', target: 'x.y', type: 'direct' },
        ]),
      ),
    );
    expect(nested.message).toContain('x.y is inside x, written by transformations[0]');
  });
});

describe('compileMapping: targets', () => {
  it('makes arrays where the target has an index', () => {
    expect(
      map(
        [
          { target: 'events[0].name', type: 'constant', value: 'purchase' },
          { source: 'order.items[*].sku', target: 'events[0].params.items[*].item_id', type: 'array' },
        ],
        order,
      ),
    ).toEqual({
      events: [{ name: 'purchase', params: { items: [{ item_id: 'BOOK' }, { item_id: 'MUG' }] } }],
    });
  });

  it('rejects a value target that an array target runs inside', () => {
    const error = specErrorOf(() =>
      compileMapping(
        specOf([
          { source: 'order.items[*].sku', target: 'x[*]', type: 'array' },
          { source: 'order.id', target: 'x', type: 'direct' },
        ]),
      ),
    );
    expect(error.message).toContain('x[*] is inside x, written by transformations[1]');
  });
});

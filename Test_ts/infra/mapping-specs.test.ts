import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createJunctionApp } from '../../lib/junction-app';
import { MappingSpecError } from '../../utils/mapping/errors';
import { testApp } from '../support/cdk-app';

// A mapping spec is code: a broken one must stop the synth, not the first record at run time.
describe('mapping specs at synth', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mapping-specs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes `<mapping>.json` over `order.created/1.1` with the one transformation given. */
  const writeSpec = (mapping: string, transformation: Record<string, unknown>) =>
    writeFileSync(
      path.join(dir, `${mapping}.json`),
      JSON.stringify({
        mapping,
        version: '1.0',
        input: { order: 'order.created/1.1' },
        transformations: [transformation],
      }),
    );

  it('fails the synth on a formula of the wrong type, naming the file, the transformation and the column', () => {
    writeSpec('order.to.broken', { formula: "order.total_amount * 'two'", target: 'total', type: 'direct' });
    let thrown: unknown;
    try {
      createJunctionApp(testApp(), { mappingSpecsDir: dir });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MappingSpecError);
    expect((thrown as MappingSpecError).message).toMatch(
      /order\.to\.broken\.json: transformations\[0\]\.formula: .*column 22/,
    );
  });

  it('fails the synth on a field the input schema does not have', () => {
    writeSpec('order.to.typo', { source: 'order.custmer.id', target: 'id', type: 'direct' });
    expect(() => createJunctionApp(testApp(), { mappingSpecsDir: dir })).toThrow(
      'order.to.typo.json: transformations[0].source: no field order.custmer.id in the input schemas',
    );
  });
});

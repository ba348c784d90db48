import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import {
  eventDataJsonSchema,
  findDrift,
  readSchemaFiles,
  renderSchemaFiles,
  writeSchemaFiles,
} from '../../../utils/schemas/registry-files';

const Thing = z.object({
  id: z.string().min(1),
  size: z.enum(['s', 'm']),
  tags: z.array(z.object({ name: z.string() })),
  note: z.string().optional(),
});
const sources = [
  { type: 'thing.made', version: '1.0', schema: Thing },
  { type: 'thing.made', version: '1.1', schema: Thing.extend({ colour: z.string() }) },
  { type: 'thing.lost', version: '2.0', schema: z.object({ id: z.string() }) },
];

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'junction-schemas-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe('eventDataJsonSchema', () => {
  const schema = eventDataJsonSchema(sources[0] as (typeof sources)[0]);

  it('is draft 2020-12, with $id and title naming type and version', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe('urn:junction:event-data:thing.made:1.0');
    expect(schema.title).toBe('thing.made 1.0 data');
    expect(Object.keys(schema).slice(0, 3)).toEqual(['$schema', '$id', 'title']);
  });

  it('keeps plain type / properties / required / items structure', () => {
    expect(schema).toMatchObject({
      type: 'object',
      properties: {
        id: { type: 'string', minLength: 1 },
        size: { type: 'string', enum: ['s', 'm'] },
        tags: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
        note: { type: 'string' },
      },
      required: ['id', 'size', 'tags'],
    });
  });

  it('describes what producers send: unknown fields are not forbidden, as a newer minor may add some', () => {
    expect(schema).not.toHaveProperty('additionalProperties');
  });
});

describe('renderSchemaFiles', () => {
  it('renders one pretty-printed file per type and version, with a trailing newline', () => {
    const files = renderSchemaFiles(sources);
    expect([...files.keys()]).toEqual(['thing.made/1.0.json', 'thing.made/1.1.json', 'thing.lost/2.0.json']);
    const text = files.get('thing.made/1.0.json') ?? '';
    expect(text).toBe(`${JSON.stringify(eventDataJsonSchema(sources[0] as (typeof sources)[0]), null, 2)}\n`);
  });
});

describe('schema files on disk', () => {
  const expected = renderSchemaFiles(sources);

  it('writes every file, reads them back, and then finds no drift', () => {
    const { written, removed } = writeSchemaFiles(directory, expected);
    expect(written).toEqual([...expected.keys()]);
    expect(removed).toEqual([]);
    expect(readSchemaFiles(directory)).toEqual(expected);
    expect(findDrift(expected, readSchemaFiles(directory), 'specs/schemas')).toEqual([]);
    expect(readFileSync(path.join(directory, 'thing.lost', '2.0.json'), 'utf8')).toMatch(/\n$/);
  });

  it('reports a missing file', () => {
    writeSchemaFiles(directory, expected);
    rmSync(path.join(directory, 'thing.made', '1.1.json'));
    expect(findDrift(expected, readSchemaFiles(directory), 'specs/schemas')).toEqual([
      'specs/schemas/thing.made/1.1.json is missing',
    ]);
  });

  it('reports a file with no zod schema behind it', () => {
    writeSchemaFiles(directory, expected);
    mkdirSync(path.join(directory, 'thing.found'));
    writeFileSync(path.join(directory, 'thing.found', '1.0.json'), '{}\n');
    expect(findDrift(expected, readSchemaFiles(directory), 'specs/schemas')).toEqual([
      'specs/schemas/thing.found/1.0.json has no zod schema in the event catalog',
    ]);
  });

  it('reports a hand-edited file, with the first line that differs', () => {
    writeSchemaFiles(directory, expected);
    const file = path.join(directory, 'thing.made', '1.0.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"minLength": 1', '"minLength": 2'));
    const [problem] = findDrift(expected, readSchemaFiles(directory), 'specs/schemas');
    expect(problem).toMatch(
      /^specs\/schemas\/thing\.made\/1\.0\.json differs from what its zod schema generates \(line \d+: expected "minLength": 1, found "minLength": 2\)$/,
    );
  });

  it('reports a file whose zod schema changed', () => {
    writeSchemaFiles(directory, expected);
    const changed = renderSchemaFiles([
      { type: 'thing.made', version: '1.0', schema: Thing.extend({ id: z.number() }) },
      ...sources.slice(1),
    ]);
    expect(findDrift(changed, readSchemaFiles(directory), 'specs/schemas')).toEqual([
      expect.stringMatching(/^specs\/schemas\/thing\.made\/1\.0\.json differs/),
    ]);
  });

  it('removes files that no longer have a schema when writing, and leaves other files alone', () => {
    mkdirSync(path.join(directory, 'thing.found'));
    writeFileSync(path.join(directory, 'thing.found', '1.0.json'), '{}\n');
    writeFileSync(path.join(directory, 'README.md'), 'generated\n');
    const { removed } = writeSchemaFiles(directory, expected);
    expect(removed).toEqual(['thing.found/1.0.json']);
    expect(readFileSync(path.join(directory, 'README.md'), 'utf8')).toBe('generated\n');
    expect(findDrift(expected, readSchemaFiles(directory), 'specs/schemas')).toEqual([]);
  });

  it('reads nothing from a directory that does not exist yet', () => {
    expect(readSchemaFiles(path.join(directory, 'absent')).size).toBe(0);
  });
});

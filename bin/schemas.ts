/** `npm run schemas -- generate | check`: the event JSON Schemas in specs/schemas (docs/events.md). */
import path from 'node:path';
import { catalogSchemaSources } from '../utils/events/catalog';
import { runSchemasCli } from '../utils/schemas/cli';

process.exitCode = runSchemasCli(process.argv.slice(2), {
  directory: path.join(__dirname, '..', 'specs', 'schemas'),
  displayDirectory: 'specs/schemas',
  sources: catalogSchemaSources(),
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});

#!/usr/bin/env node
import { runMappingCli } from '../utils/mapping/cli';

process.exitCode = runMappingCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});

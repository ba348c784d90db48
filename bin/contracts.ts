#!/usr/bin/env node
import { runContractsCli } from '../utils/contracts/cli';

process.exitCode = runContractsCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});

#!/usr/bin/env node
import { createInterface } from 'node:readline/promises';
import { runOpsCli } from '../utils/ops/cli';

void runOpsCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  ask: async (question) => {
    if (!process.stdin.isTTY) return undefined;
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await prompt.question(question);
    } finally {
      prompt.close();
    }
  },
}).then((code) => {
  process.exitCode = code;
});

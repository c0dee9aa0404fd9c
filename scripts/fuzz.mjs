#!/usr/bin/env node
/**
 * npm run fuzz -- [--runs N] [--seed S] — the API fuzzer (test/fuzz.test.ts) with N requests per operation
 * (CI runs a bounded number) and an optional seed; a failure prints the seed and path to replay it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { optionValue } from './lib/args.mjs';
import { ROOT } from './lib/wrangler.mjs';

const argv = process.argv.slice(2);
const runs = optionValue(argv, '--runs') ?? '200';
const seed = optionValue(argv, '--seed') ?? '';
if (!/^\d+$/.test(runs) || (seed && !/^-?\d+$/.test(seed))) {
  console.error('usage: npm run fuzz -- [--runs N] [--seed S]   (N, S integers)');
  process.exit(2);
}
const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/fuzz.test.ts'], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SEED: seed },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

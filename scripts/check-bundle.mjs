#!/usr/bin/env node
/**
 * CI bundle budget: builds the Worker exactly as `wrangler deploy` would (dry run, minified by wrangler.toml)
 * and fails when its gzip size exceeds the budget in scripts/lib/bundle.mjs.
 *   node scripts/check-bundle.mjs            build into a temporary directory, then measure
 *   node scripts/check-bundle.mjs --dir DIR  measure an existing `--outdir` build
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleLine, bundleSize } from './lib/bundle.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const dirArg = process.argv.indexOf('--dir');
let dir = dirArg > 0 ? process.argv[dirArg + 1] : null;
let temp = null;
if (!dir) {
  temp = dir = mkdtempSync(join(tmpdir(), 'bundle-'));
  execFileSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', dir], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
  });
}
try {
  const size = bundleSize(dir);
  console.log(`Worker bundle: ${bundleLine(size)}`);
  if (!size.withinBudget) {
    console.error('The bundle is over budget: look for a new dependency or an import that defeats tree shaking (see README, "Bundle").');
    process.exitCode = 1;
  }
} finally {
  if (temp) rmSync(temp, { recursive: true, force: true });
}

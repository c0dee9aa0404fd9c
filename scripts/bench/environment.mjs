/** What a benchmark run ran on: commit, tool versions, machine, and the size of the deployable bundle. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

function pkgVersion(name, from = require) {
  try {
    return from(`${name}/package.json`).version;
  } catch {
    return 'unknown';
  }
}

function git(root, args) {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export function environment(root) {
  // workerd and miniflare are the ones wrangler itself loads, which may differ from any other copy installed.
  const fromWrangler = createRequire(require.resolve('wrangler/package.json'));
  const commit = git(root, ['rev-parse', '--short', 'HEAD']) || 'unknown';
  const dirty = git(root, ['status', '--porcelain', '--untracked-files=no']) !== '';
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    commit: dirty ? `${commit} (with uncommitted changes)` : commit,
    versions: {
      node: process.version,
      wrangler: pkgVersion('wrangler'),
      workerd: pkgVersion('workerd', fromWrangler),
      miniflare: pkgVersion('miniflare', fromWrangler),
      autocannon: pkgVersion('autocannon'),
    },
    machine: {
      cores: cpus.length,
      model: cpus[0]?.model?.trim() ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      loadStart: os.loadavg(),
    },
  };
}

export { bundleSize } from '../lib/bundle.mjs';

export { kib } from '../lib/bundle.mjs';

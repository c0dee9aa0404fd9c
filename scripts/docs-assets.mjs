#!/usr/bin/env node
/**
 * Fills static/docs-ui/ (the Worker's static assets, `[assets]` in wrangler.toml) with the docs UI from
 * node_modules/swagger-ui-dist, whose version the lockfile pins. The UI is served by the Worker itself from
 * its own origin (no CDN) and is never bundled into the Worker script, so it costs nothing of its size budget.
 * Run by wrangler's `[build]` step (dev, deploy, `npm run build`) and by vitest.config.ts; idempotent and fast.
 */
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = join(ROOT, 'node_modules', 'swagger-ui-dist');
export const DOCS_UI_DIR = join(ROOT, 'static', 'docs-ui');
/** The only files the page loads, plus the licence that must travel with them. */
const FILES = ['swagger-ui-bundle.js', 'swagger-ui.css', 'LICENSE', 'NOTICE'];

export function copyDocsAssets() {
  let version;
  try {
    version = JSON.parse(readFileSync(join(SOURCE, 'package.json'), 'utf8')).version;
  } catch {
    throw new Error('swagger-ui-dist is not installed: run `npm ci` first.');
  }
  mkdirSync(DOCS_UI_DIR, { recursive: true });
  for (const file of FILES) {
    const from = join(SOURCE, file);
    const to = join(DOCS_UI_DIR, file);
    let same = false;
    try {
      const a = statSync(from);
      const b = statSync(to);
      same = a.size === b.size && a.mtimeMs <= b.mtimeMs;
    } catch {}
    if (!same) copyFileSync(from, to);
  }
  return version;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const version = copyDocsAssets();
  console.log(`docs UI: swagger-ui-dist ${version} → static/docs-ui/`);
}

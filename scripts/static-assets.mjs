#!/usr/bin/env node
/**
 * Fills static/, the Worker's static assets (`[assets]` in wrangler.toml), with what the Worker serves or reads but
 * need not carry in its script (every byte of the bundle is loaded on every cold start; assets are read on use):
 *   static/docs-ui/                        the docs UI, from the lockfile-pinned swagger-ui-dist package
 *   static/console/                        the admin console's stylesheet and scripts (src/console/assets/)
 *   static/internal/common-passwords.txt   the common-password list (src/users/common-passwords.txt)
 *   static/api/openapi.json                the OpenAPI document, generated from the route table by
 *                                          src/http/openapi.ts (the Worker serves it; it does not build it)
 *   static/api/docs.html, docs-init.js     the docs page with the problem-code reference, and its start-up
 *                                          script (src/system/docs-page.ts; the Worker fills in APP_NAME)
 * The Worker runs first for every request (run_worker_first), so these are reachable only through its routes.
 * Run by wrangler's `[build]` step (`npm run dev`, again on every change under src/; deploy; `npm run build`),
 * by vitest.config.ts (`npm test`) and by `npm run assets`. Idempotent: unchanged files are not rewritten.
 */
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRouteModule } from './lib/route-table.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const STATIC_DIR = join(ROOT, 'static');
const SWAGGER = join(ROOT, 'node_modules', 'swagger-ui-dist');
/** The title the document is built with; the Worker puts the configured APP_NAME in its place when it differs. */
export const OPENAPI_TITLE = 'Edge Shop API';

/** The docs UI: only the files the page loads, plus the licence that must travel with them. */
const DOCS_UI_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css', 'LICENSE', 'NOTICE'];
/** Committed sources → their place in static/ (paths the Worker reads: src/console/routes.ts, src/users/common-passwords.ts). */
const SOURCES = [
  ['src/console/assets/console.css', 'console/console.css'],
  ['src/console/assets/console.js', 'console/console.js'],
  ['src/console/assets/thread.js', 'console/thread.js'],
  ['src/users/common-passwords.txt', 'internal/common-passwords.txt'],
];
/** Where src/system/system.routes.ts reads the document. */
const OPENAPI_FILE = 'api/openapi.json';

/** Copies when the target is missing, of another size or older (a large file is not read to compare). */
function copyIfNewer(from, to) {
  try {
    const a = statSync(from);
    const b = statSync(to);
    if (a.size === b.size && a.mtimeMs <= b.mtimeMs) return;
  } catch {}
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

/** Writes when the content differs (wrangler dev watches static/ and reloads on a write). */
function writeIfChanged(to, content) {
  try {
    if (readFileSync(to, 'utf8') === content) return;
  } catch {}
  mkdirSync(dirname(to), { recursive: true });
  writeFileSync(to, content);
}

/** The OpenAPI document as the Worker serves it (compact JSON, as `c.json` wrote it when it was built per request). */
export async function openApiJson(mod) {
  mod ??= await loadRouteModule();
  return JSON.stringify(mod.openApiDocument(OPENAPI_TITLE, mod.routeTable));
}

/** The docs page and its start-up script, as src/system/docs-assets.ts reads them. */
function docsFiles(mod) {
  return [
    ['api/docs.html', mod.docsPage()],
    ['api/docs-init.js', mod.DOCS_INIT_SCRIPT],
  ];
}

/** Fills static/; returns the swagger-ui-dist version. */
export async function buildStaticAssets() {
  let version;
  try {
    version = JSON.parse(readFileSync(join(SWAGGER, 'package.json'), 'utf8')).version;
  } catch {
    throw new Error('swagger-ui-dist is not installed: run `npm ci` first.');
  }
  for (const file of DOCS_UI_FILES) copyIfNewer(join(SWAGGER, file), join(STATIC_DIR, 'docs-ui', file));
  for (const [from, to] of SOURCES) writeIfChanged(join(STATIC_DIR, to), readFileSync(join(ROOT, from), 'utf8'));
  const mod = await loadRouteModule();
  writeIfChanged(join(STATIC_DIR, OPENAPI_FILE), await openApiJson(mod));
  for (const [to, content] of docsFiles(mod)) writeIfChanged(join(STATIC_DIR, to), content);
  return version;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const version = await buildStaticAssets();
  console.log(`static assets: docs UI (swagger-ui-dist ${version}), docs page, console files, common passwords, OpenAPI document → static/`);
}

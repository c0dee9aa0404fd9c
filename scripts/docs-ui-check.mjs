#!/usr/bin/env node
/**
 * npm run docs:ui-check — opens /api/v1/docs in headless Chromium against `wrangler dev`, with every request to
 * another origin blocked (as on a machine without internet), and checks that the page renders one block per
 * operation of /api/v1/openapi.json, with no CSP violation and no console error. Saves a screenshot.
 * Needs Debian's Chromium (`apt-get install -y chromium`) or CHROMIUM=/path/to/chrome.
 *   node scripts/docs-ui-check.mjs [--out docs/images/docs-page.png]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';
import { optionValue } from './lib/args.mjs';
import { OFFLINE_ENV, ROOT } from './lib/wrangler.mjs';

const out = optionValue(process.argv.slice(2), '--out') ?? join(ROOT, 'docs', 'images', 'docs-page.png');
const freePort = () =>
  new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

const port = await freePort();
const state = mkdtempSync(join(tmpdir(), 'docs-check-'));
const wrangler = spawn(
  process.execPath,
  [join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js'), 'dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', state,
    '--var', 'JWT_SECRET:docs-check-secret-0123456789-0123456789', '--log-level', 'error'],
  { cwd: ROOT, env: { ...process.env, ...OFFLINE_ENV }, stdio: ['ignore', 'inherit', 'inherit'] },
);
const origin = `http://127.0.0.1:${port}`;
let browser;
let failed = false;
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${origin}/api/v1/openapi.json`)).ok) break;
    } catch {}
    if (i > 240) throw new Error('wrangler dev did not start');
    await new Promise((r) => setTimeout(r, 500));
  }
  const doc = await (await fetch(`${origin}/api/v1/openapi.json`)).json();
  const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);

  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  const foreign = [];
  // Offline: anything the page asks of another origin fails, exactly as without internet.
  await page.route('**/*', (route) => (route.request().url().startsWith(origin) ? route.continue() : (foreign.push(route.request().url()), route.abort())));
  page.on('console', (msg) => msg.type() === 'error' && problems.push(`console: ${msg.text()}`));
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  await page.goto(`${origin}/api/v1/docs/`, { waitUntil: 'networkidle' });
  await page.waitForSelector('.opblock', { timeout: 30_000 });
  const rendered = await page.locator('.opblock').count();
  const title = await page.locator('.info .title').first().innerText();
  await page.screenshot({ path: out, fullPage: false });
  console.log(`docs page: "${title.split('\n')[0]}", ${rendered} operation blocks for ${operations} operations in openapi.json`);
  console.log(`requests to other origins: ${foreign.length ? foreign.join(', ') : 'none'}`);
  console.log(`console errors / CSP violations: ${problems.length ? problems.join(' | ') : 'none'}`);
  console.log(`screenshot: ${out}`);
  failed = rendered !== operations || foreign.length > 0 || problems.length > 0;
} catch (err) {
  console.error(err);
  failed = true;
} finally {
  await browser?.close();
  wrangler.kill('SIGTERM');
  await new Promise((r) => wrangler.once('exit', r));
  rmSync(state, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

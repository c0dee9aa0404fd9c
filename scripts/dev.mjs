#!/usr/bin/env node
/**
 * npm run dev — one command from a fresh clone to a running API:
 *   1. creates .dev.vars with a random JWT_SECRET when missing,
 *   2. applies the D1 migrations to the local database,
 *   3. seeds the demo catalog when the catalog is empty (first start only),
 *   4. makes sure the demo admin exists and prints its credentials,
 *   5. runs `wrangler dev` (port 8787 unless --port is given), forwarding signals and its exit code.
 * Extra arguments go to `wrangler dev`: `npm run dev -- --port 9000`.
 */
import { optionValue, hasFlag } from './lib/args.mjs';
import { DEMO_ADMIN, ensureDemoAdmin } from './lib/admin.mjs';
import { DEFAULT_SEED, generateCatalog } from './lib/catalog.mjs';
import { ensureDevVars } from './lib/dev-vars.mjs';
import { withPlatform } from './lib/platform.mjs';
import { markSeeded, seedCatalog, shouldAutoSeed } from './lib/seed-catalog.mjs';
import { fail, spawnWrangler, wranglerOrExit } from './lib/wrangler.mjs';

const DEFAULT_PORT = '8787';
const extra = process.argv.slice(2);
const port = optionValue(extra, '--port') ?? DEFAULT_PORT;
const persistTo = optionValue(extra, '--persist-to');
const step = (text) => console.log(`▸ ${text}`);

// 1. Local secrets.
const vars = ensureDevVars();
if (vars !== 'kept') step(`${vars} .dev.vars with a random JWT_SECRET`);

// 2. Migrations (non-interactive; wrangler's table is shown only when something fails).
step('applying migrations…');
const migrateOut = await wranglerOrExit(
  ['d1', 'migrations', 'apply', 'DB', '--local', ...(persistTo ? ['--persist-to', persistTo] : [])],
  'Applying migrations',
  { interactive: false, capture: true },
);
const applied = migrateOut.match(/(\d+) commands? executed/);
step(applied ? 'migrations applied' : 'migrations up to date');

// 3 + 4. Demo data through the same local storage wrangler dev uses.
let adminState;
try {
  adminState = await withPlatform(
    async (env) => {
      const catalog = generateCatalog({ seed: DEFAULT_SEED });
      if (await shouldAutoSeed(env.DB, persistTo, catalog.categories.map((c) => c.slug))) {
        step('first start: seeding the demo catalog…');
        const started = Date.now();
        const c = await seedCatalog(env, catalog, { log: console.log });
        markSeeded(persistTo, c);
        step(`seeded ${c.categories} categories, ${c.products} products, ${c.images} images, ${c.reviews} reviews in ${((Date.now() - started) / 1000).toFixed(1)}s`);
      } else {
        step('catalog already loaded: not seeding (`npm run db:seed` reloads the demo catalog)');
      }
      return ensureDemoAdmin(env.DB);
    },
    { persistTo },
  );
} catch (e) {
  fail(`Preparing the local database failed: ${e.stack ?? e.message}`);
}

const base = `http://localhost:${port}/api/v1/`;
const banner = [
  '',
  '┌─ Demo admin ' + '─'.repeat(50),
  `│  email:    ${DEMO_ADMIN.email}`,
  `│  password: ${DEMO_ADMIN.password}${adminState === 'ok' ? '' : `   (${adminState})`}`,
  `│  API:      ${base}   docs: ${base}docs`,
  '└' + '─'.repeat(63),
  '',
].join('\n');
console.log(banner);

// 5. wrangler dev, in the foreground.
step(`starting wrangler dev on port ${port}…`);
const devArgs = ['dev', ...(hasFlag(extra, '--port') ? [] : ['--port', DEFAULT_PORT]), ...extra];
const child = spawnWrangler(devArgs);

// Ctrl-C in a terminal reaches both processes; forwarding covers SIGTERM from process managers and CI.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null) child.kill(signal);
  });
}

// Once the server answers, repeat where it is and who the admin is (wrangler's start-up output scrolls past the banner).
let ready = false;
const poll = setInterval(async () => {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`, { signal: AbortSignal.timeout(2000) });
    if (ready || !res.ok) return;
    ready = true;
    clearInterval(poll);
    console.log(`\n✔ API ready at ${base} — demo admin ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}\n`);
  } catch {
    // not listening yet
  }
}, 500);
setTimeout(() => clearInterval(poll), 120_000).unref();

child.on('exit', (code, signal) => {
  clearInterval(poll);
  process.exit(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1));
});

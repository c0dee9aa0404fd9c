#!/usr/bin/env node
/**
 * The database part of `npm run dev` (run by dev.mjs as a child process, after the migrations): loads the demo
 * catalog on the first start of a state directory and makes sure the demo admin can log in.
 * Usable alone: `node scripts/dev-setup.mjs [--persist-to DIR]`.
 */
import { parseCli } from './lib/args.mjs';
import { ensureDemoAdmin } from './lib/admin.mjs';
import { DEFAULT_SEED, generateCatalog } from './lib/catalog.mjs';
import { withPlatform } from './lib/platform.mjs';
import { markSeeded, seedCatalog, shouldAutoSeed } from './lib/seed-catalog.mjs';
import { fail } from './lib/wrangler.mjs';

const args = parseCli(process.argv.slice(2), { 'persist-to': { type: 'string' } }, 'Usage: node scripts/dev-setup.mjs [--persist-to DIR]');
const persistTo = args['persist-to'];
const step = (text) => console.log(`▸ ${text}`);

try {
  await withPlatform(
    async (env) => {
      const catalog = generateCatalog({ seed: DEFAULT_SEED });
      if (await shouldAutoSeed(env.DB, persistTo, catalog.categories.map((c) => c.slug))) {
        step('first start: seeding the demo catalog…');
        const started = Date.now();
        const c = await seedCatalog(env, catalog, { log: console.log });
        markSeeded(persistTo, c);
        step(`seeded ${c.categories} categories, ${c.products} products, ${c.images} images, ${c.reviews} reviews in ${((Date.now() - started) / 1000).toFixed(1)}s`);
      } else {
        step('demo catalog already loaded: not seeding again (`npm run db:seed` reloads it)');
      }
      const admin = await ensureDemoAdmin(env.DB);
      step(admin === 'ok' ? 'demo admin ready' : `demo admin ${admin}`);
    },
    { persistTo },
  );
} catch (e) {
  fail(`Preparing the local database failed: ${e.stack ?? e.message}`);
}

#!/usr/bin/env node
/**
 * npm run db:seed — (re)loads the demo catalog into the LOCAL D1 and R2 (categories, 240 products with images,
 * demo reviews). Safe to repeat: rows are upserted, never duplicated, and no user is deleted.
 */
import { parseCli } from './lib/args.mjs';
import { DEFAULT_SEED, generateCatalog } from './lib/catalog.mjs';
import { withPlatform } from './lib/platform.mjs';
import { markSeeded, seedCatalog } from './lib/seed-catalog.mjs';
import { fail, wranglerOrExit } from './lib/wrangler.mjs';

const USAGE = `Usage: npm run db:seed [-- --persist-to DIR] [--no-images] [--skip-migrations]

(Re)loads the demo catalog into the local database and image bucket. Runs the local migrations first.
  --persist-to DIR     local state directory, as given to \`wrangler dev --persist-to\` (default .wrangler/state)
  --no-images          skip the generated product images
  --skip-migrations    do not apply pending migrations first`;

const args = parseCli(
  process.argv.slice(2),
  { 'persist-to': { type: 'string' }, 'no-images': { type: 'boolean' }, 'skip-migrations': { type: 'boolean' } },
  USAGE,
);
const persist = args['persist-to'] ? ['--persist-to', args['persist-to']] : [];

try {
  if (!args['skip-migrations']) {
    console.log('▸ applying migrations (local)…');
    await wranglerOrExit(['d1', 'migrations', 'apply', 'DB', '--local', ...persist], 'Applying migrations', { interactive: false, capture: true });
  }
  console.log('▸ seeding the demo catalog…');
  const started = Date.now();
  const counts = await withPlatform(
    (env) => seedCatalog(env, generateCatalog({ seed: DEFAULT_SEED }), { images: !args['no-images'], log: console.log }),
    { persistTo: args['persist-to'] },
  );
  markSeeded(args['persist-to'], counts);
  console.log(`✔ demo catalog loaded in ${((Date.now() - started) / 1000).toFixed(1)}s: ${counts.categories} categories, ${counts.products} products, ${counts.images} images, ${counts.reviews} reviews.`);
  console.log('  Note: a dev server that is already running may serve cached catalog pages for up to 10 seconds (the edge');
  console.log('  cache TTL); any admin catalog change, or a restart, makes it serve the reloaded data at once.');
} catch (e) {
  fail(`Seeding failed: ${e.message}`);
}

#!/usr/bin/env node
/**
 * npm run db:migrate — applies the drizzle/ migrations with wrangler: to the local D1 by default, to the
 * deployed database with `-- --remote` (wrangler then asks for confirmation and needs `wrangler login`).
 * Any other argument is passed to `wrangler d1 migrations apply`.
 */
import { hasFlag } from './lib/args.mjs';
import { runWrangler } from './lib/wrangler.mjs';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log('Usage: npm run db:migrate [-- --remote] [other `wrangler d1 migrations apply` options]');
  process.exit(0);
}
const remote = hasFlag(args, '--remote');
const target = remote ? [] : ['--local'];
console.log(`▸ applying migrations (${remote ? 'REMOTE database' : 'local'})…`);
// Local runs never need a confirmation; remote runs keep wrangler's prompt when a person is at the terminal.
const { code } = await runWrangler(['d1', 'migrations', 'apply', 'DB', ...target, ...args], { interactive: remote });
process.exit(code);

#!/usr/bin/env node
/**
 * npm run admin:create -- --email E --password P [--remote]
 * Creates an admin account, or promotes an existing account to admin (re-activating and unlocking it and
 * setting the given password; its refresh tokens are revoked). Local D1 by default; `--remote` runs the same
 * SQL against the deployed database with `wrangler d1 execute DB --remote`.
 */
import { parseCli } from './lib/args.mjs';
import { adminUpsertSql, upsertAdmin } from './lib/admin.mjs';
import { emailProblems, normalizeEmail, passwordProblems } from './lib/password.mjs';
import { withPlatform } from './lib/platform.mjs';
import { fail, wranglerOrExit } from './lib/wrangler.mjs';

const USAGE = `Usage: npm run admin:create -- --email EMAIL --password PASSWORD [--first-name NAME] [--last-name NAME] [--remote] [--persist-to DIR]

Creates an admin, or promotes an existing user to admin and sets the given password.
  --remote            the deployed D1 (needs \`wrangler login\` and the real database_id in wrangler.toml)
  --persist-to DIR    local state directory, as given to \`wrangler dev --persist-to\`
Password rules: 8–128 characters, not entirely numeric, not the same as the email.
(With npm, options go after \`--\`: npm run admin:create -- --email ops@example.com --password '…')`;

const args = parseCli(
  process.argv.slice(2),
  {
    email: { type: 'string' },
    password: { type: 'string' },
    'first-name': { type: 'string', default: '' },
    'last-name': { type: 'string', default: '' },
    remote: { type: 'boolean', default: false },
    'persist-to': { type: 'string' },
  },
  USAGE,
);

const email = normalizeEmail(args.email ?? '');
const problems = [...emailProblems(email), ...passwordProblems(args.password ?? '', email)];
if (problems.length) fail(`Invalid arguments:\n  - ${problems.join('\n  - ')}\n\n${USAGE}`);
const names = { firstName: args['first-name'].trim().slice(0, 150), lastName: args['last-name'].trim().slice(0, 150) };

if (args.remote) {
  console.log(`▸ creating or promoting ${email} as admin in the REMOTE database…`);
  await wranglerOrExit(['d1', 'execute', 'DB', '--remote', '--command', adminUpsertSql(email, args.password, names)], 'Remote update');
  console.log(`✔ ${email} is an admin (remote). Log in with POST /api/v1/token/.`);
} else {
  console.log('▸ applying migrations (local)…');
  const persist = args['persist-to'] ? ['--persist-to', args['persist-to']] : [];
  await wranglerOrExit(['d1', 'migrations', 'apply', 'DB', '--local', ...persist], 'Applying migrations', { interactive: false, capture: true });
  try {
    const outcome = await withPlatform((env) => upsertAdmin(env.DB, email, args.password, names), { persistTo: args['persist-to'] });
    console.log(`✔ ${outcome === 'created' ? 'created admin' : 'promoted to admin (password updated)'}: ${email}`);
  } catch (e) {
    fail(`Could not write the local database: ${e.message}`);
  }
}

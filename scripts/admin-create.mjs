#!/usr/bin/env node
/**
 * npm run admin:create -- --email E [--password P] [--remote]
 * Creates an admin account, or promotes an existing account to admin (re-activating and unlocking it and
 * setting the given password; its refresh tokens are revoked). Local D1 by default; `--remote` runs the same
 * SQL against the deployed database with `wrangler d1 execute DB --remote`.
 */
import { parseCli } from './lib/args.mjs';
import { adminUpsertSql, upsertAdmin } from './lib/admin.mjs';
import { emailProblems, normalizeEmail, passwordProblems } from './lib/password.mjs';
import { withPlatform } from './lib/platform.mjs';
import { readPassword } from './lib/prompt.mjs';
import { fail, wranglerOrExit } from './lib/wrangler.mjs';

const USAGE = `Usage: npm run admin:create -- --email EMAIL [--password PASSWORD] [--first-name NAME] [--last-name NAME] [--remote] [--persist-to DIR]

Creates an admin, or promotes an existing user to admin and sets the password.
The password is asked for on the terminal (hidden, twice), or read from the first line of standard input when it
is piped, so it stays out of the shell history:
  npm run admin:create -- --email ops@example.com
  printf '%s\\n' "$ADMIN_PASSWORD" | npm run admin:create -- --email ops@example.com --remote
  --password P        give it on the command line instead (CI and local demos; it lands in the shell history)
  --remote            the deployed D1 (needs \`wrangler login\` and the real database_id in wrangler.toml)
  --persist-to DIR    local state directory, as given to \`wrangler dev --persist-to\`
Password rules: 8–128 characters, not only whitespace, not entirely numeric (any script), not the email or its local part, not a common password.`;

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
const emailIssues = emailProblems(email);
if (emailIssues.length) fail(`Invalid arguments:\n  - ${emailIssues.join('\n  - ')}\n\n${USAGE}`);
if (args.password !== undefined && args.remote) {
  console.warn('⚠ --password with --remote leaves a production password in your shell history; omit it to be asked instead.');
}
let password;
try {
  password = await readPassword(args.password);
} catch (e) {
  fail(`No password: ${e.message}.`);
}
const problems = passwordProblems(password, email);
if (problems.length) fail(`Invalid arguments:\n  - ${problems.join('\n  - ')}\n\n${USAGE}`);
const names = { firstName: args['first-name'].trim().slice(0, 150), lastName: args['last-name'].trim().slice(0, 150) };

if (args.remote) {
  console.log(`▸ creating or promoting ${email} as admin in the REMOTE database…`);
  await wranglerOrExit(['d1', 'execute', 'DB', '--remote', '--command', adminUpsertSql(email, password, names)], 'Remote update');
  console.log(`✔ ${email} is an admin (remote). Log in with POST /api/v1/token/.`);
} else {
  console.log('▸ applying migrations (local)…');
  const persist = args['persist-to'] ? ['--persist-to', args['persist-to']] : [];
  await wranglerOrExit(['d1', 'migrations', 'apply', 'DB', '--local', ...persist], 'Applying migrations', { interactive: false, capture: true });
  try {
    const outcome = await withPlatform((env) => upsertAdmin(env.DB, email, password, names), { persistTo: args['persist-to'] });
    console.log(`✔ ${outcome === 'created' ? 'created admin' : 'promoted to admin (password updated)'}: ${email}`);
  } catch (e) {
    fail(`Could not write the local database: ${e.message}`);
  }
}

#!/usr/bin/env node
/**
 * npm run dev — one command from a fresh clone to a running API:
 *   1. creates .dev.vars with a random JWT_SECRET and a local STRIPE_WEBHOOK_SECRET when missing,
 *   2. applies the D1 migrations to the local database,
 *   3. seeds the demo catalog on the first start and makes sure the demo admin exists (dev-setup.mjs),
 *   4. prints the demo admin's credentials,
 *   5. runs `wrangler dev` (port 8787 unless --port is given), forwarding signals and its exit code.
 * Extra arguments go to `wrangler dev`: `npm run dev -- --port 9000`.
 */
import { spawn } from 'node:child_process';
import { hasFlag, optionValue } from './lib/args.mjs';
import { DEMO_ADMIN } from './lib/admin.mjs';
import { ensureDevVars } from './lib/dev-vars.mjs';
import { ROOT, fail, spawnWrangler, wranglerOrExit } from './lib/wrangler.mjs';

const DEFAULT_PORT = '8787';
const extra = process.argv.slice(2);
const port = optionValue(extra, '--port') ?? DEFAULT_PORT;
const persistTo = optionValue(extra, '--persist-to');
const persistArgs = persistTo ? ['--persist-to', persistTo] : [];
const step = (text) => console.log(`▸ ${text}`);

// The child in the foreground (setup, then wrangler dev) receives the signals this process gets.
let current;
const stop = (signal) => {
  if (current && current.exitCode === null) current.kill(signal);
  else process.exit(1);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal));

// `npm run dev` runs this script under `sh -c`, and a SIGTERM sent to npm stops npm and sh without reaching us:
// when our parent goes away, shut wrangler dev down too instead of leaving it holding the port.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && stop('SIGTERM'), 1000).unref();

const runChild = (child) =>
  new Promise((resolve) => {
    current = child;
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });

// 1. Local secrets.
const vars = ensureDevVars();
if (vars !== 'kept') step(`${vars} .dev.vars (random JWT_SECRET and local STRIPE_WEBHOOK_SECRET)`);

// 2. Migrations (non-interactive; wrangler's own output is shown only when something fails).
step('applying migrations…');
const migrateOut = await wranglerOrExit(['d1', 'migrations', 'apply', 'DB', '--local', ...persistArgs], 'Applying migrations', {
  interactive: false,
  capture: true,
});
step(/commands? executed/.test(migrateOut) ? 'migrations applied' : 'migrations up to date');

// 3. Demo data, in a child process: importing wrangler (getPlatformProxy) installs signal handlers that call
// process.exit(), which would keep this process from forwarding Ctrl-C/SIGTERM to wrangler dev later.
const setup = spawn(process.execPath, ['scripts/dev-setup.mjs', ...persistArgs], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
if ((await runChild(setup)) !== 0) fail('Preparing the local database failed (see above).');

// 4. Credentials, before wrangler's start-up output and again once the server answers.
const base = `http://localhost:${port}/api/v1/`;
console.log(
  [
    '',
    `┌─ Demo admin ${'─'.repeat(50)}`,
    `│  email:    ${DEMO_ADMIN.email}`,
    `│  password: ${DEMO_ADMIN.password}`,
    `│  console:  http://localhost:${port}/admin/   (sign in with the email and password above)`,
    `│  API:      ${base}   docs: ${base}docs`,
    `└${'─'.repeat(63)}`,
    '',
  ].join('\n'),
);

// 5. wrangler dev, in the foreground (Ctrl-C in a terminal reaches every process of the group anyway).
step(`starting wrangler dev on port ${port}…`);
const child = spawnWrangler(['dev', ...(hasFlag(extra, '--port') ? [] : ['--port', DEFAULT_PORT]), ...extra]);
current = child;

const deadline = Date.now() + 120_000;
let poll;
const waitReady = async () => {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`, { signal: AbortSignal.timeout(2000) });
    if (res.ok) {
      return console.log(
        `\n✔ API ready at ${base}\n✔ Admin console at http://localhost:${port}/admin/ — demo admin ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}\n`,
      );
    }
  } catch {
    // not listening yet
  }
  if (Date.now() < deadline) poll = setTimeout(waitReady, 500);
};
poll = setTimeout(waitReady, 1000);

child.on('exit', (code, signal) => {
  clearTimeout(poll);
  process.exit(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1));
});

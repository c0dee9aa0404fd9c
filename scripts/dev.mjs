#!/usr/bin/env node
/**
 * npm run dev — one command from a fresh clone to a running API:
 *   1. creates .dev.vars with a random JWT_SECRET when missing,
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
const step = (text) => console.log(`▸ ${text}`);

// The child in the foreground (setup, then wrangler dev) receives the signals this process gets.
let current;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (current && current.exitCode === null) current.kill(signal);
    else process.exit(1);
  });
}
const spawnNode = (args) => spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
const runChild = (child) =>
  new Promise((resolve) => {
    current = child;
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });

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

// 3 + 4. Demo data, in a child process: importing wrangler (getPlatformProxy) installs signal handlers that
// call process.exit(), which would stop this process from forwarding Ctrl-C/SIGTERM to wrangler dev later.
const setup = await runChild(spawnNode(['scripts/dev-setup.mjs', ...(persistTo ? ['--persist-to', persistTo] : [])]));
if (setup !== 0) fail('Preparing the local database failed (see above).');

const base = `http://localhost:${port}/api/v1/`;
const banner = [
  '',
  '┌─ Demo admin ' + '─'.repeat(50),
  `│  email:    ${DEMO_ADMIN.email}`,
  `│  password: ${DEMO_ADMIN.password}`,
  `│  API:      ${base}   docs: ${base}docs`,
  '└' + '─'.repeat(63),
  '',
].join('\n');
console.log(banner);

// 5. wrangler dev, in the foreground.
step(`starting wrangler dev on port ${port}…`);
const devArgs = ['dev', ...(hasFlag(extra, '--port') ? [] : ['--port', DEFAULT_PORT]), ...extra];
const child = spawnWrangler(devArgs);
// Ctrl-C in a terminal reaches every process of the group; forwarding covers SIGTERM from process managers.
current = child;

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

/**
 * Running the project's own wrangler from Node scripts. Every call gets the offline environment: this project is
 * developed (and CI runs) without network, and wrangler otherwise spends seconds trying to fetch `request.cf`
 * data and to send telemetry.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (scripts/lib/ is two levels below it). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const OFFLINE_ENV = { CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' };

// Applied to this process too, so `import('wrangler')` (getPlatformProxy) behaves the same as the CLI.
Object.assign(process.env, OFFLINE_ENV);

const WRANGLER_JS = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');

/**
 * Runs `wrangler <args>` with the offline environment. `interactive: false` closes stdin and sets CI so wrangler
 * never waits for a confirmation; `capture: true` returns the output instead of printing it.
 * Resolves to { code, output }.
 */
export function runWrangler(args, { interactive = true, capture = false, env = {} } = {}) {
  if (!existsSync(WRANGLER_JS)) {
    throw new Error('wrangler is not installed: run `npm install` first.');
  }
  const childEnv = { ...process.env, ...OFFLINE_ENV, ...(interactive ? {} : { CI: 'true' }), ...env };
  const stdio = [interactive ? 'inherit' : 'ignore', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRANGLER_JS, ...args], { cwd: ROOT, env: childEnv, stdio });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

/** Spawns a long-running wrangler (dev) with inherited stdio; the caller owns the child process. */
export function spawnWrangler(args) {
  return spawn(process.execPath, [WRANGLER_JS, ...args], { cwd: ROOT, env: { ...process.env, ...OFFLINE_ENV }, stdio: 'inherit' });
}

/** Runs wrangler and exits this process with a readable error when it fails. */
export async function wranglerOrExit(args, what, opts = {}) {
  const { code, output } = await runWrangler(args, { ...opts, capture: opts.capture ?? false });
  if (code !== 0) {
    if (output) process.stderr.write(output);
    fail(`${what} failed (wrangler exited with code ${code}).`);
  }
  return output;
}

/** Prints an error and exits with status 1. */
export function fail(message) {
  console.error(`\n✖ ${message}`);
  process.exit(1);
}

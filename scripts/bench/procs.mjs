/**
 * Child processes of a benchmark run: every wrangler invocation runs in its own process group so that stopping
 * it also stops the workerd processes it spawned. Every group started here is tracked and killed on success,
 * on failure, on Ctrl-C and, as a last resort, synchronously when Node exits.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { OFFLINE_ENV } from '../lib/wrangler.mjs';
import { killTree, TREE_SPAWN_OPTIONS } from '../lib/process-tree.mjs';

const require = createRequire(import.meta.url);
export const WRANGLER_BIN = require.resolve('wrangler/bin/wrangler.js');

/** Offline wrangler (no Request.cf fetch, which times out offline; no telemetry), without colours in log files. */
export const WRANGLER_ENV = { ...process.env, ...OFFLINE_ENV, FORCE_COLOR: '0', NO_COLOR: '1' };

/** pid of each live process group leader → its handle. */
const groups = new Map();

function killGroup(pid, signal) {
  killTree(pid, signal);
}

// Whatever happens to the run, no wrangler or workerd of ours outlives this process.
process.on('exit', () => {
  for (const pid of groups.keys()) killGroup(pid, 'SIGKILL');
});

/** Starts `wrangler <args>` in a new process group, output appended to `logFile` (stdout also kept in memory). */
export function startWrangler(args, { cwd, logFile, keepStdout = false }) {
  const out = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [WRANGLER_BIN, ...args], { cwd, env: WRANGLER_ENV, ...TREE_SPAWN_OPTIONS, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout = [];
  if (keepStdout) child.stdout.on('data', (chunk) => stdout.push(chunk));
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const proc = { child, exited, logFile, stdout: () => Buffer.concat(stdout).toString('utf8') };
  groups.set(child.pid, proc);
  return proc;
}

/** Stops one process group: SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopGroup(proc, graceMs = 3000) {
  if (!groups.has(proc.child.pid)) return;
  killGroup(proc.child.pid, 'SIGTERM');
  const timer = setTimeout(() => killGroup(proc.child.pid, 'SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
  // workerd may outlive the wrangler node process for a moment: make sure the whole group is gone.
  killGroup(proc.child.pid, 'SIGKILL');
  groups.delete(proc.child.pid);
}

export async function stopAll() {
  await Promise.all([...groups.values()].map((proc) => stopGroup(proc)));
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function tail(file, lines = 25) {
  try {
    // eslint-disable-next-line no-control-regex
    return readFileSync(file, 'utf8').replace(/\x1b\[[0-9;]*m/g, '').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Runs a wrangler command to completion and returns its stdout; rejects with the end of its output when it fails. */
export async function runWrangler(args, { cwd, logFile }) {
  const proc = startWrangler(args, { cwd, logFile, keepStdout: true });
  const { code, signal } = await proc.exited;
  await stopGroup(proc, 0);
  if (code !== 0) throw new Error(`wrangler ${args.slice(0, 3).join(' ')} failed (${signal ?? code}):\n${tail(logFile)}`);
  return proc.stdout();
}

/**
 * A port the OS picks as free at this moment. Never a fixed or "preferred" port: several people (and several
 * benchmark runs) share this machine, and a probe-then-bind of a well-known port races with theirs.
 */
export async function pickPort(_hint, taken = new Set()) {
  for (;;) {
    const port = await new Promise((resolve) => {
      const srv = net.createServer();
      srv.listen(0, '127.0.0.1', () => {
        const p = srv.address().port;
        srv.close(() => resolve(p));
      });
    });
    if (!taken.has(port) && port !== 8787 && port !== 8790 && port !== 8791) return port;
  }
}

/** Polls `url` until it answers 200, the process dies, or `timeoutMs` passes. */
export async function waitReady(proc, url, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  proc.exited.then(() => (dead = true));
  while (Date.now() < deadline) {
    if (dead) throw new Error(`wrangler dev exited before ${url} answered:\n${tail(proc.logFile)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s:\n${tail(proc.logFile)}`);
}

#!/usr/bin/env node
/**
 * `npm run bench`: seeds a fixed dataset into throwaway local state, starts the API twice (edge cache on / off)
 * and the ceiling Worker with `wrangler dev`, runs every scenario with autocannon, prints the table and writes
 * docs/BENCHMARKS.md with the bundle size of a minified deploy build. Everything it starts is stopped on success, failure and Ctrl-C.
 * Options: see scripts/bench/options.mjs (`npm run bench -- --help`).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { benchTokens, RouteMissing } from './bench/client.mjs';
import { benchConfigText, compatibilityDateArgs } from './bench/config.mjs';
import { applyGroundTruth, flashSale, groundTruthSql, lostUpdate, oversell } from './bench/correctness.mjs';
import { seedSql, setProductCount } from './bench/dataset.mjs';
import { bundleSize, environment } from './bench/environment.mjs';
import { progressDone } from './bench/load.mjs';
import { readOptions, USAGE } from './bench/options.mjs';
import { pickPort, runWrangler, startWrangler, stopAll, stopGroup, tail, waitReady } from './bench/procs.mjs';
import { consoleReport, d1Text, markdownReport } from './bench/report.mjs';
import { ceilingEnd, ceilingStart, measured } from './bench/scenarios.mjs';
import { ROOT } from './lib/wrangler.mjs';

const CONFIG = join(ROOT, 'wrangler.toml');
const CEILING_DIR = join(ROOT, 'scripts/bench/ceiling');

const byKey = Object.fromEntries([...measured, oversell, lostUpdate, flashSale].map((s) => [s.key, s]));
// The cached reads run right after the ceiling and PBKDF2 alone right before the login it is compared with, so
// each ratio compares measurements close in time. State-changing scenarios come last, in an order where each
// finds the carts it expects. The ceiling is measured at both ends (a --quick run only at the start).
const plan = (quick) => [
  ceilingStart,
  ...['list-cached', 'detail-cached', 'list-uncached', 'detail-uncached', 'filtered', 'search', 'pbkdf2', 'token', 'checkout', 'oversell', 'flash-sale', 'lost-update', 'cart-add'].map((k) => byKey[k]),
  ...(quick ? [] : [ceilingEnd]),
];

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0).padStart(3)} s`;
const step = (text) => console.error(`${elapsed()}  ${text}`);

let runDir;
let keep = false;
function removeRunDir() {
  if (!runDir) return;
  if (keep) writeFileSync(join(runDir, 'KEEP'), 'kept by --keep: later runs leave this directory alone\n');
  else rmSync(runDir, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, async () => {
    progressDone(`\nInterrupted (${signal}): stopping everything the benchmark started…`);
    await stopAll();
    removeRunDir();
    process.exit(130);
  });
}

/** Removes state left under .bench/ by runs that were killed outright (their pid ends the directory name). */
function removeStaleRuns() {
  const base = join(ROOT, '.bench');
  if (!existsSync(base)) return;
  for (const name of readdirSync(base)) {
    const pid = Number(/^run-.*-(\d+)$/.exec(name)?.[1]);
    if (!pid || existsSync(join(base, name, 'KEEP'))) continue;
    try {
      process.kill(pid, 0);
    } catch {
      rmSync(join(base, name), { recursive: true, force: true });
    }
  }
}

async function prepareState(dirs, logs) {
  const log = (name) => ({ cwd: ROOT, logFile: join(logs, `${name}.log`) });
  await runWrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', dirs.stateOn, '-c', CONFIG], log('migrate'));
  const seedFile = join(runDir, 'seed.sql');
  writeFileSync(seedFile, seedSql());
  await runWrangler(['d1', 'execute', 'DB', '--local', '--persist-to', dirs.stateOn, '--file', seedFile, '-c', CONFIG], log('seed'));
  // The cache-off server gets its own copy of the seeded state, so the two never share a SQLite file.
  cpSync(dirs.stateOn, dirs.stateOff, { recursive: true });
}

async function startServers(dirs, logs, jwt) {
  const taken = new Set();
  const port = async (p) => {
    const got = await pickPort(p, taken);
    taken.add(got);
    return got;
  };
  const ports = { on: await port(8788), off: await port(8789), ceiling: await port(8792) };
  // wrangler dev also opens a devtools inspector (9229 by default): give each server a free one of its own.
  const inspector = { on: await port(9331), off: await port(9332), ceiling: await port(9333) };

  const common = (which) => ['--ip', '127.0.0.1', '--port', String(ports[which]), '--inspector-port', String(inspector[which]), '--log-level', 'error', '--show-interactive-dev-session=false'];
  const api = (which, state) =>
    startWrangler(
      [
        'dev', '-c', dirs.config, ...common(which), '--persist-to', state,
        '--var', `JWT_SECRET:${jwt.secret}`, '--var', `JWT_ISSUER:${jwt.issuer}`, '--var', `JWT_AUDIENCE:${jwt.audience}`,
        '--var', 'LOG_LEVEL:error', '--var', `CATALOG_CACHE:${which}`,
        // D1/req is read from Server-Timing, which the API only sends when asked to.
        '--var', 'SERVER_TIMING:on',
        // Tokens minted early must outlive a long run.
        '--var', 'ACCESS_TOKEN_TTL_SECONDS:86400',
      ],
      { cwd: ROOT, logFile: join(logs, `api-cache-${which}.log`) },
    );
  const servers = {
    on: api('on', dirs.stateOn),
    off: api('off', dirs.stateOff),
    ceiling: startWrangler(
      ['dev', '-c', join(dirs.ceiling, 'wrangler.toml'), ...common('ceiling'),
        '--persist-to', dirs.stateCeiling, ...compatibilityDateArgs(CONFIG)],
      { cwd: ROOT, logFile: join(logs, 'ceiling.log') },
    ),
  };
  const urls = Object.fromEntries(Object.entries(ports).map(([k, p]) => [k, `http://127.0.0.1:${p}`]));
  await Promise.all([
    waitReady(servers.on, `${urls.on}/api/v1/health`),
    waitReady(servers.off, `${urls.off}/api/v1/health`),
    waitReady(servers.ceiling, `${urls.ceiling}/`),
  ]);
  return { servers, urls };
}

function rowLine(row) {
  if (row.na) return `  ${row.label}: ${row.na}`;
  if (row.kind === 'count') return `  ${row.label}: ${row.summary}`;
  const statuses = row.errors ? ` (status ${Object.entries(row.statuses).map(([s, n]) => `${s}×${n}`).join(', ')}${row.timeouts ? `, ${row.timeouts} timeouts` : ''})` : '';
  const ms = (v) => (v == null ? '–' : Math.round(v));
  return `  ${row.label}: ${row.rps.toFixed(0)} req/s, p50 ${ms(row.p50)} ms, p99 ${ms(row.p99)} ms, ${row.errors} errors${statuses}, D1/req ${d1Text(row.d1)}`;
}

async function runPlan(ctx) {
  const rows = [];
  const scenarios = plan(ctx.opts.quick).filter((s) => !ctx.opts.only || ctx.opts.only.has(s.key));
  for (const [i, scenario] of scenarios.entries()) {
    console.error(`${elapsed()}  [${i + 1}/${scenarios.length}] ${scenario.label}`);
    let row;
    try {
      row = await scenario.run(ctx);
    } catch (e) {
      const reason = e instanceof RouteMissing ? `n/a (${e.message})` : `n/a (failed: ${String(e.message).split('\n')[0]})`;
      row = { key: scenario.key, label: scenario.label, server: scenario.server, kind: scenario.kind, na: reason };
    }
    progressDone(rowLine(row));
    rows.push(row);
  }
  return rows;
}

async function readGroundTruth(stateOn, logs) {
  const out = await runWrangler(['d1', 'execute', 'DB', '--local', '--persist-to', stateOn, '--command', groundTruthSql, '--json', '-c', CONFIG], {
    cwd: ROOT,
    logFile: join(logs, 'ground-truth.log'),
  });
  const json = JSON.parse(out.slice(out.indexOf('['), out.lastIndexOf(']') + 1));
  return json[0]?.results?.[0];
}

async function main() {
  let opts;
  try {
    opts = readOptions();
    setProductCount(opts.products);
  } catch (e) {
    console.error(`${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  keep = opts.keep;
  const started = Date.now();
  const env = environment(ROOT);
  removeStaleRuns();
  runDir = join(ROOT, '.bench', `run-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  const logs = join(runDir, 'logs');
  mkdirSync(logs, { recursive: true });
  const dirs = {
    minified: join(runDir, 'minified'),
    ceiling: join(runDir, 'ceiling'),
    stateOn: join(runDir, 'state-cache-on'),
    stateOff: join(runDir, 'state-cache-off'),
    stateCeiling: join(runDir, 'state-ceiling'),
    config: join(runDir, 'wrangler.bench.toml'),
  };
  // wrangler dev rebuilds on every change of the files it serves: the run serves a snapshot of src/, so edits
  // made while it runs cannot restart the Worker mid-measurement (and both API servers run the same code).
  cpSync(join(ROOT, 'src'), join(runDir, 'src'), { recursive: true });
  // The ceiling too runs from the run directory, so wrangler's build files land there and not in scripts/.
  cpSync(CEILING_DIR, dirs.ceiling, { recursive: true, filter: (path) => !path.includes('.wrangler') });
  writeFileSync(dirs.config, benchConfigText(ROOT, CONFIG, runDir));

  let failed = false;
  try {
    step(`Applying migrations to a fresh local D1 under ${runDir.slice(ROOT.length + 1)} and seeding it`);
    // The minified deploy build is only measured (bundle size); it runs meanwhile.
    const minified = runWrangler(['deploy', '--dry-run', '--minify', '--outdir', dirs.minified, '-c', CONFIG], { cwd: ROOT, logFile: join(logs, 'minified.log') });
    minified.catch(() => {});
    await prepareState(dirs, logs);
    step('Starting the API (edge cache on and off) and the ceiling Worker with wrangler dev');
    // A secret of this run only: the benchmark can sign the access tokens its scenarios need.
    const jwt = { secret: randomBytes(32).toString('hex'), issuer: 'edge-shop-bench', audience: 'edge-shop-bench' };
    const { servers, urls } = await startServers(dirs, logs, jwt);
    step(`Running scenarios: ${opts.duration} s each, ${opts.connections} connections (API ${urls.on}, cache off ${urls.off}, ceiling ${urls.ceiling})`);
    const ctx = {
      opts,
      jwt,
      urls,
      tokensPromise: null,
      // Set by every scenario that changes carts, so later ones know to empty carts first.
      cartsTouched: false,
      tokens() {
        return (this.tokensPromise ??= benchTokens(urls.on, jwt));
      },
    };
    const rows = await runPlan(ctx);
    const loadEnd = os.loadavg();
    await Promise.all(Object.values(servers).map((s) => stopGroup(s)));

    if (rows.some((r) => ['oversell', 'checkout', 'flash-sale'].includes(r.key) && !r.na)) {
      let truth = null;
      try {
        truth = await readGroundTruth(dirs.stateOn, logs);
      } catch (e) {
        console.error(`Could not read D1 after the run: ${e.message}`);
      }
      applyGroundTruth(truth, rows);
    }
    let bundle = null;
    try {
      await minified;
      bundle = bundleSize(dirs.minified);
    } catch (e) {
      console.error(`Bundle size not measured: ${e.message}`);
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(`\n${consoleReport(rows, bundle)}\n`);
    if (opts.write && !opts.only) {
      mkdirSync(join(ROOT, 'docs'), { recursive: true });
      writeFileSync(join(ROOT, 'docs/BENCHMARKS.md'), markdownReport({ env, opts, rows, bundle, seconds, loadEnd }));
      console.error(`Wrote docs/BENCHMARKS.md (run took ${Math.round(seconds)} s).`);
    } else {
      console.error(`docs/BENCHMARKS.md left unchanged (${opts.only ? 'partial run' : '--no-write'}); run took ${Math.round(seconds)} s.`);
    }
    failed = rows.some((r) => r.kind === 'count' && !r.na && !r.pass) || (bundle !== null && !bundle.withinBudget);
    if (failed) console.error('Exit status 1: a correctness scenario (oversell or lost_update) did not give the exact expected count.');
  } catch (e) {
    failed = true;
    progressDone();
    console.error(`\nBenchmark failed: ${e.stack ?? e}`);
    for (const name of ['api-cache-on', 'api-cache-off', 'ceiling']) {
      const t = tail(join(logs, `${name}.log`), 15).trim();
      if (t) console.error(`\n--- ${name}.log (last lines) ---\n${t}`);
    }
    if (!keep) console.error('\nRerun with --keep to keep the state and every log under .bench/.');
  } finally {
    await stopAll();
    removeRunDir();
  }
  process.exitCode = failed ? 1 : 0;
}

await main();

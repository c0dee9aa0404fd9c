/**
 * Turns a run's rows into the printed table and docs/BENCHMARKS.md. Every number comes from the rows of this
 * run; the targets of issue 5 are evaluated against them here.
 */
import { bundleLine } from '../lib/bundle.mjs';
import { PRODUCT_COUNT } from './dataset.mjs';
import { kib } from './environment.mjs';
import { warmupSeconds } from './scenarios.mjs';

const fmt = (n, digits = 0) => (n == null || Number.isNaN(n) ? '–' : n.toFixed(digits));
const ratioText = (r) => (r == null ? '–' : `${r.toFixed(2)}×`);

/** The ceiling used for ratios: the mean of the measurements taken at the start and at the end of the run. */
export function ceilingOf(rows) {
  const c = rows.filter((r) => r.key === 'ceiling' && r.kind === 'load' && !r.na && r.rps > 0);
  return c.length ? c.reduce((a, r) => a + r.rps, 0) / c.length : null;
}

export function d1Text(d1) {
  if (!d1 || d1.mode == null) return '–';
  if (d1.min === d1.max) return String(d1.mode);
  // Rounded down, so a route that missed even once never reads "100%".
  const pct = d1.modeShare * 100;
  return `${d1.min}–${d1.max} (${d1.mode} in ${pct >= 99 ? (Math.floor(pct * 10) / 10).toFixed(1) : Math.floor(pct)}%)`;
}

const find = (rows, key) => rows.find((r) => r.key === key && !r.na);
const errorsNote = (row) => (row && row.errors ? ` — ${row.errors} errors` : '');

/** The targets of issue 5 with where this run stands. */
export function targets(rows) {
  const ceiling = ceilingOf(rows);
  const ratio = (row) => (row && ceiling ? row.rps / ceiling : null);
  const out = [];
  const t = (name, want, row, got, pass, naReason) =>
    out.push({ name, want, got: row ? got : naReason ?? 'n/a (not run)', status: row ? (pass ? 'met' : 'not met') + errorsNote(row) : 'n/a' });
  const na = (key) => rows.find((r) => r.key === key)?.na;

  for (const [key, name] of [
    ['list-cached', 'cached product list'],
    ['detail-cached', 'cached product detail'],
  ]) {
    const row = find(rows, key);
    t(name, '≥ 0.60 × ceiling (0 D1 on a hit)', row, row && `${ratioText(ratio(row))} ceiling, D1 ${d1Text(row.d1)}`, ratio(row) >= 0.6, na(key));
  }
  for (const [key, name] of [
    ['list-uncached', 'uncached product list'],
    ['detail-uncached', 'uncached product detail'],
  ]) {
    const row = find(rows, key);
    t(name, '1 D1 round trip', row, row && `D1 ${d1Text(row.d1)}; ${fmt(row.rps)} req/s (${ratioText(ratio(row))})`, row?.d1?.max === 1 && row?.d1?.min === 1, na(key));
  }
  const cart = find(rows, 'cart-add');
  // The caller's account (issue 10) is re-read inside the same round trip: batched with the product row (cart)
  // or a condition of the checkout batch itself (issue 12).
  t('cart add', '1 D1 round trip (product + account, batched) + the DO call', cart, cart && `D1 ${d1Text(cart.d1)}; ${fmt(cart.rps)} req/s (${ratioText(ratio(cart))})`, cart?.d1?.max === 1, na('cart-add'));
  const checkout = find(rows, 'checkout');
  t(
    'checkout',
    '1 D1 round trip (one batch, account check included) + the DO call',
    checkout,
    checkout && `D1 ${d1Text(checkout.d1)}; ${fmt(checkout.rps)} req/s (${ratioText(ratio(checkout))})`,
    checkout?.d1?.max === 1 && checkout?.ordersMatch !== false,
    na('checkout'),
  );
  const token = find(rows, 'token');
  const hash = find(rows, 'pbkdf2');
  const vsHash = token && hash ? token.rps / hash.rps : null;
  t(
    'token (login)',
    'dominated by the one PBKDF2 hash (≥ 0.75 × the rate of PBKDF2 alone)',
    token,
    token && `${fmt(token.rps)} req/s = ${ratioText(vsHash)} PBKDF2 alone (${fmt(hash?.rps)} req/s); D1 ${d1Text(token.d1)}`,
    vsHash >= 0.75,
    na('token'),
  );
  const search = find(rows, 'search');
  t('search (FTS5)', '1 D1 round trip', search, search && `D1 ${d1Text(search.d1)}; ${fmt(search.rps)} req/s (${ratioText(ratio(search))})`, search?.d1?.max === 1 && search?.d1?.min === 1, na('search'));
  for (const key of ['oversell', 'lost-update', 'flash-sale']) {
    const row = find(rows, key);
    const want = { oversell: '10 orders, final stock 0', 'lost-update': 'quantity 100', 'flash-sale': '100 orders, final stock 0, 900 × 409' }[key];
    t(key.replace('-', '_'), row?.expected ?? want, row, row?.result, row?.pass, na(key));
  }
  return out;
}

function table(headers, body) {
  const widths = headers.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

const HEAD = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors', '× ceiling', 'D1/req'];

function loadCells(row, ceiling) {
  if (row.na) return [row.label, row.na, '', '', '', '', ''];
  return [row.label, fmt(row.rps), fmt(row.p50), fmt(row.p99), String(row.errors), ratioText(ceiling ? row.rps / ceiling : null), d1Text(row.d1)];
}

export function consoleReport(rows, bundle) {
  const ceiling = ceilingOf(rows);
  const loads = rows.filter((r) => r.kind === 'load');
  const counts = rows.filter((r) => r.kind === 'count');
  const parts = [table(HEAD, loads.map((r) => loadCells(r, ceiling)))];
  if (counts.length) parts.push(counts.map((r) => `${r.label}: ${r.na ?? `${r.result} (expected ${r.expected}) — ${r.pass ? 'OK' : 'FAILED'}`}`).join('\n'));
  parts.push(table(['target', 'this run', 'status'], targets(rows).map((t) => [t.name, t.got, t.status])));
  if (bundle) parts.push(`bundle (wrangler deploy --dry-run --minify): ${bundleLine(bundle)}`);
  return parts.join('\n\n');
}

const mdRow = (cells) => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
const mdTable = (headers, body) => [mdRow(headers), mdRow(headers.map(() => '---')), ...body.map(mdRow)].join('\n');
const load = (l) => l.map((x) => x.toFixed(2)).join(' / ');

export function markdownReport({ env, opts, rows, bundle, seconds, loadEnd }) {
  const ceiling = ceilingOf(rows);
  const loads = rows.filter((r) => r.kind === 'load');
  const counts = rows.filter((r) => r.kind === 'count');
  const ceilings = loads.filter((r) => r.key === 'ceiling' && !r.na).map((r) => fmt(r.rps));
  const m = env.machine;
  return `# Benchmarks

Written by \`npm run bench\` from the run described below; every figure on this page comes from that run.
Rerun it to refresh the page (see README, "Benchmark"). Compare **ratios to the ceiling**, not absolute
requests per second: absolute numbers move with the machine and its load, ratios measured in the same run do not.

## Run

- Date: ${env.date}
- Commit: \`${env.commit}\`
- Mode: ${opts.quick ? '`--quick` (smoke run: short scenarios, noisier numbers)' : 'full'}; ${opts.duration} s per timed scenario, ${opts.connections} connections (autocannon); whole run ${Math.round(seconds)} s
- Versions: Node ${env.versions.node}, wrangler ${env.versions.wrangler}, workerd ${env.versions.workerd}, miniflare ${env.versions.miniflare}, autocannon ${env.versions.autocannon}
- Machine: ${m.cores} cores (${m.model}), ${m.memoryGiB} GiB RAM, ${m.os}; load average (1/5/15 min) ${load(m.loadStart)} at the start, ${load(loadEnd)} at the end
- Ceiling: ${ceilings.length > 1 ? `${ceilings.join(' and ')} req/s (start and end of the run); ratios use their mean, ${fmt(ceiling)} req/s` : `${ceilings[0] ?? '–'} req/s (measured once, at the start)`}

## Results

${mdTable([...HEAD, 'notes'], loads.map((r) => [...loadCells(r, ceiling), r.note ?? '']))}

errors = non-2xx answers + socket errors/timeouts; req/s counts 2xx answers only. D1/req is read from the
\`Server-Timing: d1;desc="N"\` header of every 2xx answer (a batch counts once).

## Correctness

${counts.length ? mdTable(['scenario', 'expected', 'this run', 'status', 'details'], counts.map((r) => [r.label, r.expected ?? '', r.na ?? r.result, r.na ? 'n/a' : r.pass ? 'OK' : 'FAILED', r.summary ?? ''])) : 'Not run.'}

## Targets

${mdTable(['target', 'required', 'this run', 'status'], targets(rows).map((t) => [t.name, t.want, t.got, t.status]))}

## Bundle

${bundle ? `\`wrangler deploy --dry-run --minify\`: **${kib(bundle.gzip)} gzip** (${kib(bundle.raw)} raw; ${bundle.files.join(', ')}; gzip by Node's zlib at its default level). Budget ${kib(bundle.budget)} gzip (\`scripts/check-bundle.mjs\`, run by \`.ci/run\`): **${bundle.withinBudget ? 'within' : 'OVER'}**.` : 'Not measured in this run.'}

## How the run works

- The API (a snapshot of \`src/\` taken when the run starts) runs twice under \`wrangler dev\` (logging at error level)
  on throwaway state under \`.bench/\`: once as
  configured (edge cache on) and once with \`CATALOG_CACHE=off\`, each with its own copy of the seeded D1. The
  ceiling is a bench-only Hono Worker (\`scripts/bench/ceiling/\`) under \`wrangler dev\` too, on the same workerd
  and compatibility date.
- Dataset: 10 categories, ${PRODUCT_COUNT.toLocaleString('en')} active products (the first 1,000 with 2 images each, every 20th sold
  out, one with stock 10 for \`oversell\`, one with stock 100 for \`flash_sale\`), 200 customers and 1,000 flash-sale
  buyers sharing one PBKDF2 password hash. \`search\` looks up words that each occur in one product only.
- Cached scenarios request every URL they use once first. Each timed scenario is one closed loop whose first
  ${warmupSeconds(opts)} s only warm up; rate, latencies, errors and D1 round trips come from the answers completed after that.
  Checkout runs exactly one request per prepared cart (no warm-up) and its rate is taken up to its last answer.
- Cart add and checkout rotate through the 200 users, so consecutive requests belong to different users. Their
  access tokens are signed with the run's own JWT secret (the API verifies them as usual); the servers' login rate
  limit is raised because every request comes from one address.
- \`oversell\` and \`lost_update\` fire all their requests at once; their final stock and order counts are read
  from D1 after the servers stop.
`;
}

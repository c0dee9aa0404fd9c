/**
 * Tests of the benchmark's own machinery (scripts/bench/*): the dataset, the bench wrangler config, option
 * parsing, the load runner's measuring window and D1 tally (against a local HTTP server), and how targets are
 * judged from a run's rows. The full benchmark itself is `npm run bench`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { benchConfigText, compatibilityDateArgs } from '../bench/config.mjs';
import { FLASH_BUYERS, FLASH_ID, OVERSELL_ID, PASSWORD, PRODUCT_COUNT, USER_COUNT, codeWord, seedSql, stockedProducts } from '../bench/dataset.mjs';
import { runLoad } from '../bench/load.mjs';
import { readOptions } from '../bench/options.mjs';
import { ceilingOf, d1Text, targets } from '../bench/report.mjs';
import { verifyPassword } from '../lib/password.mjs';

test('seed SQL: 10 categories, 1,000 products, 200 users + 1,000 flash-sale buyers with one working PBKDF2 hash', () => {
  const sql = seedSql();
  const productRows = sql.match(/\('bench-product-\d+'|, 'bench-product-\d+',/g) ?? [];
  assert.equal(productRows.length, PRODUCT_COUNT);
  assert.equal((sql.match(/'category-\d\d'/g) ?? []).length, 10);
  const emails = sql.match(/'bench-user-\d{3,4}@bench\.test'/g) ?? [];
  assert.equal(new Set(emails).size, USER_COUNT + FLASH_BUYERS);
  const hashes = new Set(sql.match(/pbkdf2_sha256\$100000\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+/g));
  assert.equal(hashes.size, 1);
  assert.ok(verifyPassword(PASSWORD, [...hashes][0]));
  // The oversell product has exactly 10 in stock.
  assert.match(sql, new RegExp(`\\(${OVERSELL_ID}, '[^']+', 'bench-product-${OVERSELL_ID}', '[^']+', '[^']+', \\d+, 'usd', 10,`));
  // The flash-sale product has exactly 100; every search code word is in one product only.
  assert.match(sql, new RegExp(`\\(${FLASH_ID}, '[^']+', 'bench-product-${FLASH_ID}', '[^']+', '[^']+', \\d+, 'usd', 100,`));
  const codes = Array.from({ length: PRODUCT_COUNT }, (_, i) => codeWord(i + 1));
  assert.equal(new Set(codes).size, PRODUCT_COUNT);
});

test('stocked products exclude the sold-out ones and the oversell product', () => {
  const ids = stockedProducts();
  assert.ok(ids.length > 900);
  assert.ok(!ids.includes(OVERSELL_ID) && !ids.includes(FLASH_ID));
  assert.ok(ids.every((id) => id % 20 !== 0));
});

test('bench config: absolute paths, raised rate limits, everything else kept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-config-'));
  const file = join(dir, 'wrangler.toml');
  writeFileSync(
    file,
    'name = "x"\nmain = "src/index.ts"\ncompatibility_date = "2026-05-01"\n[[d1_databases]]\nbinding = "DB"\nmigrations_dir = "drizzle"\n' +
      '[[ratelimits]]\nname = "LOGIN_RL"\nnamespace_id = "1001"\nsimple = { limit = 20, period = 60 }\n' +
      '[assets]\ndirectory = "./static"\nbinding = "ASSETS"\n[build]\ncommand = "node scripts/static-assets.mjs"\n',
  );
  const text = benchConfigText('/repo', file, '/run');
  assert.match(text, /^directory = "\/repo\/static"$/m);
  assert.match(text, /^\[build\]\ncwd = "\/repo"\ncommand = "node scripts\/static-assets.mjs"$/m);
  assert.match(text, /^main = "\/run\/src\/index.ts"$/m);
  assert.match(text, /^migrations_dir = "\/repo\/drizzle"$/m);
  assert.match(text, /simple = \{ limit = 1000000, period = 60 \}/);
  assert.match(text, /^compatibility_date = "2026-05-01"$/m);
  assert.deepEqual(compatibilityDateArgs(file), ['--compatibility-date', '2026-05-01']);
});

test('options: defaults, --quick, validation', () => {
  assert.deepEqual(readOptions([]), { quick: false, duration: 10, connections: 32, products: 1000, only: null, write: true, keep: false });
  assert.equal(readOptions(['--products', '100000']).products, 100000);
  assert.equal(readOptions(['--quick']).duration, 2);
  assert.equal(readOptions(['--quick', '--duration', '5']).duration, 5);
  assert.deepEqual([...readOptions(['--scenario', 'token,checkout']).only].sort(), ['ceiling', 'checkout', 'token']);
  assert.throws(() => readOptions(['--duration', '0']), /--duration must be a positive number/);
  assert.throws(() => readOptions(['--connections', '2.5']), /--connections must be a positive integer/);
  assert.throws(() => readOptions(['--scenario', 'nope']), /unknown scenario/);
});

test('runLoad: counts only the window after warm-up, errors and D1 round trips per answer', async () => {
  let served = 0;
  const server = http.createServer((req, res) => {
    served++;
    const bad = req.url.startsWith('/bad');
    res.writeHead(bad ? 500 : 200, { 'Server-Timing': `d1;desc="${req.url.startsWith('/two') ? 2 : 1}"`, 'Content-Type': 'text/plain' });
    res.end('x');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const paths = ['/one', '/two', '/one', '/bad'];
    const res = await runLoad({ label: 'test', baseUrl: base, make: (i) => ({ path: paths[i % 4] }), connections: 4, duration: 1, warmup: 0.5 });
    assert.ok(res.total > 0 && res.total < served, 'warm-up answers are not counted');
    assert.ok(res.seconds >= 0.9 && res.seconds < 1.6, `window of ~1 s, got ${res.seconds}`);
    assert.equal(res.errors, res.statuses[500]);
    assert.equal(res.ok, res.total - res.errors);
    assert.ok(Math.abs(res.errors / res.total - 0.25) < 0.1);
    assert.equal(res.d1.min, 1);
    assert.equal(res.d1.max, 2);
    assert.equal(res.d1.mode, 1);
    assert.ok(res.p50 != null && res.p99 >= res.p50);

    const counted = await runLoad({ label: 'count', baseUrl: base, make: () => ({ path: '/two' }), connections: 8, amount: 20 });
    assert.equal(counted.total, 20);
    assert.equal(counted.d1.mode, 2);
  } finally {
    server.close();
  }
});

const load = (key, rps, d1, extra = {}) => ({ key, label: key, kind: 'load', rps, errors: 0, d1: d1 == null ? null : { min: d1, max: d1, mode: d1, modeShare: 1 }, ...extra });

test('targets are judged from the rows of the run', () => {
  const rows = [
    load('ceiling', 1000),
    load('ceiling', 1200),
    load('pbkdf2', 100),
    load('list-cached', 660, 0),
    load('detail-cached', 650, 0),
    load('list-uncached', 100, 1),
    load('detail-uncached', 120, 2),
    load('token', 80, 2),
    load('cart-add', 200, 1, { errors: 3 }),
    { key: 'checkout', label: 'checkout', kind: 'load', na: 'n/a (route missing: POST /api/v1/orders/)' },
    { key: 'oversell', label: 'oversell', kind: 'count', expected: '10 orders, final stock 0', result: '11 orders, final stock 0', pass: false },
  ];
  assert.equal(ceilingOf(rows), 1100);
  const byName = Object.fromEntries(targets(rows).map((t) => [t.name, t]));
  assert.equal(byName['cached product list'].status, 'met'); // 660 / 1100 = 0.60
  assert.equal(byName['cached product detail'].status, 'not met'); // 0.59
  assert.equal(byName['uncached product list'].status, 'met');
  assert.equal(byName['uncached product detail'].status, 'not met');
  assert.equal(byName['token (login)'].status, 'met'); // 0.8 of PBKDF2 alone
  assert.equal(byName['cart add'].status, 'met — 3 errors');
  assert.equal(byName.checkout.status, 'n/a');
  assert.match(byName.checkout.got, /route missing/);
  assert.equal(byName.oversell.status, 'not met');
  assert.equal(byName.lost_update.status, 'n/a');
});

test('D1 column: one value, or the range and the share of the most common', () => {
  assert.equal(d1Text(null), '–');
  assert.equal(d1Text({ min: 1, max: 1, mode: 1, modeShare: 1 }), '1');
  assert.equal(d1Text({ min: 0, max: 1, mode: 0, modeShare: 0.97 }), '0–1 (0 in 97%)');
  assert.equal(d1Text({ min: 0, max: 1, mode: 0, modeShare: 0.9995 }), '0–1 (0 in 99.9%)');
});

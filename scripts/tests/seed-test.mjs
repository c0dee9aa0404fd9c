/**
 * The seed and admin helpers against a real local D1 + R2 (a throwaway --persist-to directory, migrated with
 * wrangler exactly as `npm run dev` does). Run by .ci/run with `node --test`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_ADMIN, ensureDemoAdmin, upsertAdmin } from '../lib/admin.mjs';
import { generateCatalog } from '../lib/catalog.mjs';
import { verifyPassword } from '../lib/password.mjs';
import { openPlatform } from '../lib/platform.mjs';
import { markSeeded, seedCatalog, shouldAutoSeed } from '../lib/seed-catalog.mjs';
import { runWrangler } from '../lib/wrangler.mjs';

const persistTo = mkdtempSync(join(tmpdir(), 'edge-shop-seed-test-'));
let platform;
let db;
const one = async (sql, ...binds) => (await db.prepare(sql).bind(...binds).first());
const counts = async () =>
  one(`SELECT (SELECT COUNT(*) FROM categories) AS categories, (SELECT COUNT(*) FROM products) AS products,
    (SELECT COUNT(*) FROM product_images) AS images, (SELECT COUNT(*) FROM reviews) AS reviews, (SELECT COUNT(*) FROM users) AS users`);

before(async () => {
  const { code, output } = await runWrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo], { interactive: false, capture: true });
  assert.equal(code, 0, output);
  platform = await openPlatform({ persistTo });
  db = platform.env.DB;
});

after(async () => {
  await platform?.dispose();
  rmSync(persistTo, { recursive: true, force: true });
});

describe('seedCatalog', () => {
  const catalog = generateCatalog({ count: 30 });
  const slugs = catalog.categories.map((c) => c.slug);

  it('auto-seeds an empty catalog only', async () => {
    assert.equal(await shouldAutoSeed(db, persistTo, slugs), true);
  });

  it('loads categories, products, images (rows and R2 objects) and consistent ratings', async () => {
    await db.prepare("INSERT INTO users (email, password_hash) VALUES ('keep@example.com', 'x')").run();
    const result = await seedCatalog(platform.env, catalog);
    const c = await counts();
    assert.equal(c.categories, catalog.categories.length);
    assert.equal(c.products, 30);
    assert.equal(c.images, result.images);
    assert.ok(c.reviews > 0);

    const img = await one('SELECT key, size, content_type FROM product_images ORDER BY id LIMIT 1');
    const object = await platform.env.IMAGES.get(img.key);
    assert.equal(object.httpMetadata.contentType, 'image/png');
    assert.equal(object.size, img.size);
    assert.equal(img.content_type, 'image/png');

    const drift = await one(`SELECT COUNT(*) AS n FROM products p WHERE p.rating_count != (SELECT COUNT(*) FROM reviews r WHERE r.product_id = p.id)
      OR p.rating_sum != (SELECT COALESCE(SUM(rating), 0) FROM reviews r WHERE r.product_id = p.id)`);
    assert.equal(drift.n, 0);
  });

  it('is idempotent: a second run duplicates nothing and keeps other users', async () => {
    const before = await counts();
    await db.prepare("UPDATE products SET stock = 0 WHERE sku = ?1").bind(catalog.products[0].sku).run();
    await seedCatalog(platform.env, catalog);
    assert.deepEqual(await counts(), before);
    assert.ok(await one("SELECT id FROM users WHERE email = 'keep@example.com'"));
    const restored = await one('SELECT stock FROM products WHERE sku = ?1', catalog.products[0].sku);
    assert.equal(restored.stock, catalog.products[0].stock);
  });

  it('does not auto-seed again once marked', async () => {
    markSeeded(persistTo, {});
    assert.equal(await shouldAutoSeed(db, persistTo, slugs), false);
  });
});

describe('admins', () => {
  it('creates, then promotes with a new password', async () => {
    assert.equal(await upsertAdmin(db, 'ops@example.com', 'first-pass-1'), 'created');
    await db.prepare("INSERT INTO users (email, password_hash, role) VALUES ('cust@example.com', 'x', 'customer')").run();
    assert.equal(await upsertAdmin(db, 'cust@example.com', 'second-pass-2'), 'promoted');
    const row = await one("SELECT role, is_active, password_hash FROM users WHERE email = 'cust@example.com'");
    assert.equal(row.role, 'admin');
    assert.equal(verifyPassword('second-pass-2', row.password_hash), true);
  });

  it('keeps the demo admin usable with the printed credentials', async () => {
    assert.equal(await ensureDemoAdmin(db), 'created');
    assert.equal(await ensureDemoAdmin(db), 'ok');
    await db.prepare("UPDATE users SET role = 'customer', is_active = 0 WHERE email = ?1").bind(DEMO_ADMIN.email).run();
    assert.equal(await ensureDemoAdmin(db), 'repaired');
    const row = await one('SELECT role, is_active, password_hash FROM users WHERE email = ?1', DEMO_ADMIN.email);
    assert.deepEqual([row.role, row.is_active, verifyPassword(DEMO_ADMIN.password, row.password_hash)], ['admin', 1, true]);
  });
});

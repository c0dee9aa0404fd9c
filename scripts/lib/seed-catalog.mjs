/**
 * Writes a generated catalog (catalog.mjs) into D1 and R2 through bindings (see platform.mjs).
 * Idempotent: categories are upserted by slug, products by SKU, images by their stable key and reviews by
 * (product, reviewer), so running it again refreshes the demo rows instead of duplicating them. It never
 * deletes anything, and the only users it writes are the demo reviewers, inserted when missing.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { statePath } from './args.mjs';
import { REVIEWERS } from './catalog-data.mjs';
import { generateReviews } from './catalog.mjs';
import { hashPassword } from './password.mjs';
import { batchAll, insertMany } from './platform.mjs';

const NOW = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

const UPSERT_CATEGORY = `INSERT INTO categories (name, slug, description) VALUES (?1, ?2, ?3)
ON CONFLICT(slug) DO UPDATE SET name = excluded.name, description = excluded.description, updated_at = ${NOW}
RETURNING id, slug`;

const PRODUCTS = {
  head: 'INSERT INTO products (name, slug, sku, description, price_cents, currency, stock, category_id, is_active, created_at, updated_at)',
  tuple: "(?, ?, ?, ?, ?, 'usd', ?, ?, 1, ?, ?)",
  tail: `ON CONFLICT(sku) DO UPDATE SET name = excluded.name, slug = excluded.slug, description = excluded.description,
  price_cents = excluded.price_cents, stock = excluded.stock, category_id = excluded.category_id, is_active = 1, updated_at = ${NOW}
  RETURNING id, sku`,
};

const IMAGES = {
  head: 'INSERT INTO product_images (product_id, key, content_type, size, alt, position)',
  tuple: "(?, ?, 'image/png', ?, ?, ?)",
  tail: `ON CONFLICT(key) DO UPDATE SET product_id = excluded.product_id, content_type = excluded.content_type,
  size = excluded.size, alt = excluded.alt, position = excluded.position`,
};

const INSERT_REVIEWER = `INSERT INTO users (email, password_hash, first_name, last_name, role) VALUES (?1, ?2, ?3, ?4, 'customer')
ON CONFLICT(email) DO NOTHING`;

const REVIEWS = {
  head: 'INSERT INTO reviews (product_id, user_id, rating, comment, created_at, updated_at)',
  tuple: '(?, ?, ?, ?, ?, ?)',
  tail: 'ON CONFLICT(product_id, user_id) DO UPDATE SET rating = excluded.rating, comment = excluded.comment',
};

// Aggregates recomputed from the reviews table for every product: always consistent, whatever was there before.
const REFRESH_RATINGS = `UPDATE products SET
  rating_count = (SELECT COUNT(*) FROM reviews r WHERE r.product_id = products.id),
  rating_sum = (SELECT COALESCE(SUM(r.rating), 0) FROM reviews r WHERE r.product_id = products.id),
  rating_avg = (SELECT COALESCE(AVG(r.rating), 0) FROM reviews r WHERE r.product_id = products.id)`;

/** Runs `task` over `items` with at most `limit` in flight (R2 puts through the proxy are I/O bound). */
async function eachLimited(items, limit, task) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function writeImages(env, products, productIds) {
  const all = products.flatMap((p) => p.images.map((img) => ({ ...img, productId: productIds.get(p.sku) })));
  await eachLimited(all, 32, (img) => env.IMAGES.put(img.key, img.bytes, { httpMetadata: { contentType: 'image/png' } }));
  const db = env.DB;
  await batchAll(db, insertMany(db, { ...IMAGES, rows: all.map((img) => [img.productId, img.key, img.bytes.length, img.alt, img.position]) }));
  return all.length;
}

async function writeReviews(db, products, productIds, seed) {
  // The reviewers never log in: their password is random and thrown away.
  await batchAll(db, REVIEWERS.map(([email, first, last]) => db.prepare(INSERT_REVIEWER).bind(email, hashPassword(randomUUID()), first, last)));
  const { results } = await db
    .prepare(`SELECT id, email FROM users WHERE email IN (${REVIEWERS.map((_, i) => `?${i + 1}`).join(', ')})`)
    .bind(...REVIEWERS.map(([email]) => email))
    .all();
  const userIds = new Map(results.map((r) => [r.email, r.id]));
  const reviews = generateReviews(products, { seed });
  const rows = reviews.map((r) => [productIds.get(r.sku), userIds.get(r.email), r.rating, r.comment, r.createdAt, r.createdAt]);
  await batchAll(db, [...insertMany(db, { ...REVIEWS, rows }), db.prepare(REFRESH_RATINGS)]);
  return reviews.length;
}

/**
 * Writes `catalog` ({ categories, products } from generateCatalog). Options: `images` (default true),
 * `reviews` (default true), `seed` (for the reviews), `log` (progress lines).
 * Returns counts: { categories, products, images, reviews }.
 */
export async function seedCatalog(env, catalog, { images = true, reviews = true, seed, log = () => {} } = {}) {
  const db = env.DB;
  const categoryRows = await batchAll(db, catalog.categories.map((c) => db.prepare(UPSERT_CATEGORY).bind(c.name, c.slug, c.description)));
  const categoryIds = new Map(categoryRows.map((r) => [r.results[0].slug, r.results[0].id]));
  log(`  ${catalog.categories.length} categories`);

  const rows = catalog.products.map((p) => [p.name, p.slug, p.sku, p.description, p.priceCents, p.stock, categoryIds.get(p.categorySlug) ?? null, p.createdAt, p.createdAt]);
  const productRows = await batchAll(db, insertMany(db, { ...PRODUCTS, rows }));
  const productIds = new Map(productRows.flatMap((r) => r.results).map((row) => [row.sku, row.id]));
  log(`  ${catalog.products.length} products`);

  const counts = { categories: catalog.categories.length, products: catalog.products.length, images: 0, reviews: 0 };
  if (images) {
    counts.images = await writeImages(env, catalog.products, productIds);
    log(`  ${counts.images} images (R2 bucket IMAGES)`);
  }
  if (reviews) {
    counts.reviews = await writeReviews(db, catalog.products, productIds, seed);
    log(`  ${counts.reviews} reviews`);
  }
  return counts;
}

/**
 * Whether `npm run dev` should load the demo catalog: never once a seed has completed for this state directory
 * (a marker file next to the data), and otherwise only when the catalog is empty or holds nothing but demo
 * categories (a first seed that was interrupted). A catalog someone built by hand is never touched.
 */
export async function shouldAutoSeed(db, persistTo, demoSlugs) {
  if (existsSync(seedMarker(persistTo))) return false;
  const list = demoSlugs.map((_, i) => `?${i + 1}`).join(', ');
  const row = await db
    .prepare(`SELECT (SELECT COUNT(*) FROM categories WHERE slug NOT IN (${list})) + (SELECT COUNT(*) FROM products WHERE category_id IS NULL) AS foreign_rows`)
    .bind(...demoSlugs)
    .first();
  return row.foreign_rows === 0;
}

/** Records a completed seed (dev start-up then never seeds this state directory again). */
export function markSeeded(persistTo, counts) {
  const file = seedMarker(persistTo);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ seeded_at: new Date().toISOString(), ...counts })}\n`);
}

const seedMarker = (persistTo) => join(statePath(persistTo), 'edge-shop-demo-seeded.json');

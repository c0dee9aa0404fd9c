/**
 * The fixed benchmark dataset, written as one SQL file for `wrangler d1 execute --file`: 10 categories,
 * 1,000 active products by default (`--products N` for more; the first 1,000 have 2 images each), 200 customers
 * plus 1,000 flash-sale buyers sharing one known password. Everything is a pure function of the product/user
 * number, so every run (and every machine) benchmarks the same catalog.
 */
import { hashPassword } from '../lib/password.mjs';

export const CATEGORY_COUNT = 10;
export let PRODUCT_COUNT = 1000;
export const USER_COUNT = 200;
/** The `flash-sale` scenario: this many extra buyers (users USER_COUNT .. USER_COUNT + FLASH_BUYERS - 1). */
export const FLASH_BUYERS = 1000;
export const FLASH_STOCK = 100;
/** The flash-sale product: one of the first 1,000, the same at every catalog size. */
export const FLASH_ID = 999;
const IMAGED_PRODUCTS = 1000;
export const PASSWORD = 'bench-password-2026';
/** The `oversell` product: the newest one, with exactly 10 units. */
export const OVERSELL_ID = 1000;
export const OVERSELL_STOCK = 10;
const DEFAULT_STOCK = 1000;

export const userEmail = (i) => `bench-user-${String(i + 1).padStart(3, '0')}@bench.test`;
/** Bench user i (0-based) has row id i + 1. */
export const userId = (i) => i + 1;
/** Every 20th product is sold out, so `in_stock=true` filters something. */
const stockOf = (id) => (id === OVERSELL_ID ? OVERSELL_STOCK : id === FLASH_ID ? FLASH_STOCK : id % 20 === 0 ? 0 : DEFAULT_STOCK);

/** `--products N`: the catalog size of this run (at least 1,000: the scenarios use the first 1,000). */
export function setProductCount(n) {
  PRODUCT_COUNT = Math.max(1000, n);
}

/** A word found in exactly one product's description (`search` scenario): its cost must not grow with the catalog. */
export function codeWord(id) {
  let x = (id * 2654435761) % 4294967296;
  let w = '';
  for (let i = 0; i < 7; i++) {
    w += 'bcdfghjklmnpqrstvwxz'[x % 20];
    x = Math.floor(x / 20) + i * 7;
  }
  return `${w}${id}`;
}
export const priceCentsOf = (id) => 500 + ((id * 7919) % 99500);
export const categoryOf = (id) => ((id - 1) % CATEGORY_COUNT) + 1;

/** Products that always have stock to spare: the cart, checkout and lost_update scenarios use only these. */
export const stockedProducts = () => {
  const ids = [];
  for (let id = 1; id < 1000; id++) if (stockOf(id) === DEFAULT_STOCK) ids.push(id);
  return ids;
};

const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
const iso = (ms) => new Date(ms).toISOString();
const BASE = Date.parse('2026-01-01T00:00:00.000Z');
const WORDS = ['sturdy', 'compact', 'classic', 'wireless', 'organic', 'premium', 'travel', 'everyday', 'modular', 'recycled', 'quiet', 'bright'];
const NOUNS = ['lamp', 'backpack', 'kettle', 'headphones', 'notebook', 'chair', 'bottle', 'jacket', 'speaker', 'desk', 'mug', 'blanket'];

function productName(id) {
  return `${WORDS[id % WORDS.length][0].toUpperCase()}${WORDS[id % WORDS.length].slice(1)} ${WORDS[(id * 5) % WORDS.length]} ${NOUNS[(id * 7) % NOUNS.length]} ${id}`;
}

function rowsInChunks(prefix, rows, size = 250) {
  const out = [];
  for (let i = 0; i < rows.length; i += size) out.push(`${prefix}\n${rows.slice(i, i + size).join(',\n')};`);
  return out;
}

export function seedSql() {
  // One hash (src/users/password.ts format, via scripts/lib) shared by every bench user: hashing is slow by design.
  const hash = hashPassword(PASSWORD);
  const stmts = [];
  const cats = [];
  for (let c = 1; c <= CATEGORY_COUNT; c++) {
    const n = String(c).padStart(2, '0');
    cats.push(`(${c}, ${q(`Category ${n}`)}, ${q(`category-${n}`)}, ${q(`Benchmark category ${n}.`)})`);
  }
  stmts.push(...rowsInChunks('INSERT INTO categories (id, name, slug, description) VALUES', cats));

  const products = [];
  const images = [];
  for (let id = 1; id <= PRODUCT_COUNT; id++) {
    const name = productName(id);
    const description = `${`${name}: a ${WORDS[(id * 3) % WORDS.length]} ${NOUNS[id % NOUNS.length]} made for benchmarks. `.repeat(2)}Reference ${codeWord(id)}.`;
    // Increasing creation times make the default ordering (-created_at) deterministic.
    const at = iso(BASE + id * 60_000);
    products.push(
      `(${id}, ${q(name)}, ${q(`bench-product-${id}`)}, ${q(`BENCH-${String(id).padStart(4, '0')}`)}, ${q(description)}, ${priceCentsOf(id)}, 'usd', ${stockOf(id)}, ${categoryOf(id)}, 1, ${q(at)}, ${q(at)})`,
    );
    for (let p = 0; p < (id <= IMAGED_PRODUCTS ? 2 : 0); p++) images.push(`(${id}, ${q(`products/${id}/bench-${p}.jpg`)}, 'image/jpeg', 20480, ${q(`${name} view ${p + 1}`)}, ${p})`);
  }
  stmts.push(
    ...rowsInChunks(
      'INSERT INTO products (id, name, slug, sku, description, price_cents, currency, stock, category_id, is_active, created_at, updated_at) VALUES',
      products,
    ),
  );
  stmts.push(...rowsInChunks('INSERT INTO product_images (product_id, key, content_type, size, alt, position) VALUES', images));

  const users = [];
  for (let i = 0; i < USER_COUNT + FLASH_BUYERS; i++) {
    users.push(`(${userId(i)}, ${q(userEmail(i))}, ${q(hash)}, 'Bench', ${q(`User ${i + 1}`)}, 'customer', 1)`);
  }
  stmts.push(...rowsInChunks('INSERT INTO users (id, email, password_hash, first_name, last_name, role, is_active) VALUES', users));
  return `${stmts.join('\n')}\n`;
}

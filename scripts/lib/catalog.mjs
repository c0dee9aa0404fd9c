/**
 * Deterministic demo catalog generation: the same seed gives the same categories, products, images and
 * reviews on every machine. Pure data, no I/O — seed-catalog.mjs writes it to D1 and R2.
 */
import { createHash } from 'node:crypto';
import { CATEGORIES, COMMENTS, REVIEWERS } from './catalog-data.mjs';
import { createRng } from './prng.mjs';
import { hexToRgb, makePng, shade } from './png.mjs';

export const DEFAULT_SEED = 20260501;
export const DEMO_PRODUCT_COUNT = 240;

export const slugify = (text) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/**
 * A stable UUID-shaped key for a demo image (`<uuid>.png`, no slashes), derived from its product's SKU and
 * position: reseeding overwrites the same R2 objects and rows instead of piling up new ones.
 */
export function demoImageKey(sku, position) {
  const h = createHash('sha256').update(`edge-shop-demo-image:${sku}:${position}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}.png`;
}

const fill = (template, vars) => template.replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? '');

/** A price in cents inside [min, max] dollars with a shop-like ending (.99, .49, .95 or .00). */
function priceCents(rng, min, max) {
  const dollars = rng.int(min, max);
  const ending = rng.pick([-1, -1, -1, -51, -5, 0]);
  return Math.max(99, dollars * 100 + ending);
}

/** In stock mostly; about 6% sold out and 10% running low, so `in_stock` filters and low-stock views have data. */
function stockLevel(rng) {
  if (rng.chance(0.06)) return 0;
  if (rng.chance(0.1)) return rng.int(1, 5);
  return rng.int(6, 150);
}

function images(rng, category, name, sku) {
  const base = hexToRgb(category.color);
  const count = rng.chance(0.5) ? 2 : 1;
  return Array.from({ length: count }, (_, position) => {
    const color = position === 0 ? base : shade(base, 0.45);
    const bandStart = rng.int(8, 40);
    const png = makePng({ color, bandColor: shade(base, -0.35), bandStart, bandEnd: bandStart + rng.int(6, 16) });
    return { key: demoImageKey(sku, position), position, alt: position === 0 ? name : `${name} (detail)`, bytes: png };
  });
}

/**
 * Unique product names of one category: brand × item, shuffled, with a colour/size variant on some of them;
 * past the plain combinations, variants (and finally a number) keep names unique for large counts.
 */
function categoryNames(rng, category, count) {
  const combos = rng.shuffle(category.brands.flatMap((brand) => category.items.map(([item, min, max]) => ({ brand, item, min, max }))));
  const names = new Set();
  const out = [];
  for (let i = 0; out.length < count; i++) {
    const c = combos[i % combos.length];
    const round = Math.floor(i / combos.length);
    const variant = round > 0 || rng.chance(0.3) ? category.variants[(round + i) % category.variants.length] : '';
    let name = `${c.brand} ${c.item}${variant ? ` – ${variant}` : ''}`;
    if (names.has(name)) name = `${name} ${round + 1}`;
    if (names.has(name)) continue;
    names.add(name);
    out.push({ ...c, variant, name });
  }
  return out;
}

/**
 * Generates `count` products spread over the categories (round-robin), each with 1–2 images.
 * Returns `{ categories, products }`; products carry `categorySlug`, `createdAt` and `images`.
 */
export function generateCatalog({ count = DEMO_PRODUCT_COUNT, seed = DEFAULT_SEED, now = Date.now(), categories = CATEGORIES } = {}) {
  const rng = createRng(seed);
  const perCategory = categories.map((_, i) => Math.floor(count / categories.length) + (i < count % categories.length ? 1 : 0));
  const slugs = new Set();
  const products = [];
  categories.forEach((category, ci) => {
    categoryNames(rng, category, perCategory[ci]).forEach((p, i) => {
      const sku = `${category.code}-${1001 + i}`;
      let slug = slugify(p.name);
      if (slugs.has(slug)) slug = `${slug}-${sku.toLowerCase()}`;
      slugs.add(slug);
      const vars = { brand: p.brand, item: p.item, lower: p.item.toLowerCase(), variant: p.variant };
      const sentences = rng.shuffle(category.sentences.slice(1)).slice(0, rng.int(1, 3));
      const description = [fill(category.sentences[0], vars), ...sentences.map((s) => fill(s, vars))].join(' ');
      // Spread over the last 180 days, so the default newest-first ordering looks like a real shop.
      const createdAt = new Date(now - rng.int(60, 180 * 24 * 60) * 60_000).toISOString();
      products.push({
        name: p.name,
        slug,
        sku,
        description,
        priceCents: priceCents(rng, p.min, p.max),
        stock: stockLevel(rng),
        categorySlug: slugify(category.name),
        createdAt,
        images: images(rng, category, p.name, sku),
      });
    });
  });
  return {
    categories: categories.map((c) => ({ name: c.name, slug: slugify(c.name), description: c.description })),
    products,
  };
}

/**
 * Demo reviews: about a third of the products get 1–5 reviews from the demo reviewers, mostly positive.
 * Returns `[{ sku, email, rating, comment, createdAt }]` (one per product and reviewer).
 */
export function generateReviews(products, { seed = DEFAULT_SEED, now = Date.now() } = {}) {
  const rng = createRng(seed ^ 0x5eed);
  const reviews = [];
  for (const product of products) {
    if (!rng.chance(0.35)) continue;
    const reviewers = rng.shuffle(REVIEWERS).slice(0, rng.int(1, 5));
    for (const [email] of reviewers) {
      const rating = rng.pick([5, 5, 5, 4, 4, 4, 3, 2, 1]);
      const since = Date.parse(product.createdAt);
      const createdAt = new Date(since + Math.floor(rng.next() * (now - since))).toISOString();
      reviews.push({ sku: product.sku, email, rating, comment: rng.pick(COMMENTS[rating]), createdAt });
    }
  }
  return reviews;
}

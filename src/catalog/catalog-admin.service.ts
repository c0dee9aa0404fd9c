/**
 * Admin product rules: create, replace/patch, and delete-or-archive. Each write is one read batch (does the
 * category exist, is the SKU free, which slugs are taken) and one write batch (the write plus the read of the
 * Product row it produced), so two D1 round trips whatever the input. Unique indexes stay the final word:
 * a clash a concurrent writer causes after the checks is still answered as 409 (or retried, for generated
 * values). Callers bump the catalog version after the write succeeds.
 */
import { and, eq, gt, lt, ne, not, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { categories, orderItems, productImages, products } from '../db/schema';
import { AppError, notFound } from '../errors';
import { slugify, slugSuffix } from '../lib/slug';
import type { ProductInput } from './catalog-admin.schemas';
import { isForeignKeyViolation, uniqueViolation } from './constraint-errors';
import { preconditionFailed, productMatches, type IfMatch } from './etag';
import { findProduct, selectProductsInBatch, type ProductRowView } from './products.queries';

type ProductInsert = typeof products.$inferInsert;

const SLUG_BASE_MAX = 80;
const SKU_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `SKU-` + 10 random Crockford base-32 characters (50 bits: collisions are retried, never expected). */
export function generateSku(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return `SKU-${[...bytes].map((b) => SKU_ALPHABET[b % 32]).join('')}`;
}

const unknownCategory = () =>
  new AppError('validation_error', 'Request body failed validation.', { errors: [{ field: 'category_id', message: 'no category has this id' }] });
const skuConflict = () =>
  new AppError('conflict', 'A product with this SKU already exists.', { errors: [{ field: 'sku', message: 'a product with this SKU already exists' }] });

/** The first free slug of `base`, `base-2`, `base-3`, … given the taken slugs that start with `base`. */
export function firstFreeSlug(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * The checks every create/update needs, in one round trip. `exceptId` is the product being updated: 404 when it
 * is missing, and its own SKU is not a clash.
 */
async function preflight(db: Db, opts: { categoryId?: number | null; sku?: string; exceptId?: number; slugBase?: string }) {
  const base = opts.slugBase ?? '';
  const [target, cats, skus, slugs] = await db.batch([
    db.select({ id: products.id, categoryId: products.categoryId }).from(products).where(eq(products.id, opts.exceptId ?? 0)),
    db.select({ id: categories.id }).from(categories).where(eq(categories.id, opts.categoryId ?? 0)),
    db
      .select({ id: products.id })
      .from(products)
      .where(and(eq(products.sku, opts.sku ?? ''), ne(products.id, opts.exceptId ?? 0))),
    // `base` itself and `base-…`: a range scan of the unique slug index ('-' + 1 is '.').
    db
      .select({ slug: products.slug })
      .from(products)
      .where(or(eq(products.slug, base), and(gt(products.slug, `${base}-`), lt(products.slug, `${base}.`))))
      .limit(base ? 10_000 : 0),
  ]);
  // An update of a missing product is a 404 whatever else is wrong with the body.
  if (opts.exceptId !== undefined && target.length === 0) throw notFound('Product');
  if (opts.categoryId != null && cats.length === 0) throw unknownCategory();
  if (opts.sku !== undefined && skus.length > 0) throw skuConflict();
  return { taken: new Set(slugs.map((s) => s.slug)), previousCategoryId: target[0]?.categoryId ?? null };
}

/** Creates a product; its slug comes from the name and is made unique with a numeric suffix. */
export async function createProduct(db: Db, input: ProductInput & { name: string; priceCents: number; stock: number }): Promise<ProductRowView> {
  const base = slugify(input.name, SLUG_BASE_MAX) || 'product';
  const { taken } = await preflight(db, { categoryId: input.categoryId, sku: input.sku, slugBase: base });
  let slug = firstFreeSlug(base, taken);
  let sku = input.sku ?? generateSku();
  for (let attempt = 1; ; attempt++) {
    const values: ProductInsert = {
      name: input.name,
      slug,
      sku,
      description: input.description ?? '',
      priceCents: input.priceCents,
      stock: input.stock,
      categoryId: input.categoryId ?? null,
      isActive: input.isActive ?? true,
    };
    try {
      const [, rows] = await db.batch([db.insert(products).values(values), selectProductsInBatch(db).where(eq(products.sku, sku))]);
      return rows[0];
    } catch (e) {
      const column = uniqueViolation(e);
      if (column === 'products.sku' && input.sku !== undefined) throw skuConflict();
      // A concurrent create took the same generated slug or SKU: pick random ones and try again.
      if ((column === 'products.slug' || column === 'products.sku') && attempt < 3) {
        if (column === 'products.slug') slug = `${base}-${slugSuffix()}`;
        else sku = generateSku();
        continue;
      }
      if (isForeignKeyViolation(e)) throw unknownCategory();
      throw e;
    }
  }
}

/**
 * PUT replaces the product's editable fields: absent optional fields return to their defaults (empty
 * description, no category, active), except the SKU, an identifier, which is kept. PATCH changes only the
 * fields given. The slug is kept on rename so links stay valid.
 */
export async function updateProduct(
  db: Db,
  id: number,
  input: ProductInput & { stockAdjustment?: number },
  mode: 'put' | 'patch',
  ifMatch?: IfMatch,
): Promise<ProductRowView & { previousCategoryId: number | null }> {
  const set: Partial<Record<keyof ProductInsert, unknown>> = {};
  if (input.name !== undefined) set.name = input.name;
  if (input.sku !== undefined) set.sku = input.sku;
  if (input.priceCents !== undefined) set.priceCents = input.priceCents;
  if (input.stock !== undefined) set.stock = input.stock;
  // A delta applied by the database to whatever stock is there now: checkouts made since the admin's read are
  // kept, and the CHECK (stock >= 0) refuses a decrement below zero (409 insufficient_stock).
  if (input.stockAdjustment !== undefined) set.stock = sql`${products.stock} + ${input.stockAdjustment}`;
  if (mode === 'put') {
    set.description = input.description ?? '';
    set.categoryId = input.categoryId ?? null;
    set.isActive = input.isActive ?? true;
  } else {
    if (input.description !== undefined) set.description = input.description;
    if (input.categoryId !== undefined) set.categoryId = input.categoryId;
    if (input.isActive !== undefined) set.isActive = input.isActive;
  }
  const matches = productMatches(ifMatch);
  if (Object.keys(set).length === 0) {
    const [row] = await selectProductsInBatch(db).where(and(eq(products.id, id), matches));
    if (!row) throw (await findProduct(db, id)) ? preconditionFailed('product') : notFound('Product');
    return { ...row, previousCategoryId: row.categoryId };
  }
  const { previousCategoryId } = await preflight(db, { categoryId: set.categoryId as number | null | undefined, sku: set.sku as string | undefined, exceptId: id });
  set.updatedAt = new Date().toISOString();
  set.version = sql`${products.version} + 1`;
  try {
    const [updated, rows] = await db.batch([
      db.update(products).set(set as Partial<ProductInsert>).where(and(eq(products.id, id), matches)).returning({ id: products.id }),
      selectProductsInBatch(db).where(eq(products.id, id)),
    ]);
    if (!rows[0]) throw notFound('Product');
    if (!updated.length) throw preconditionFailed('product');
    // The category it left: the cache purges that category's lists too.
    return { ...rows[0], previousCategoryId };
  } catch (e) {
    if (e instanceof AppError) throw e;
    if (input.stockAdjustment !== undefined && /CHECK constraint failed: stock_nonneg/.test(`${(e as Error).message} ${((e as Error).cause as Error | undefined)?.message ?? ''}`)) {
      const available = (await findProduct(db, id))?.stock ?? 0;
      throw new AppError('insufficient_stock', 'The adjustment would take the stock below zero; nothing was changed.', {
        errors: [{ field: 'stock_adjustment', message: `the stock is ${available}; it cannot go below 0`, available }],
      });
    }
    if (uniqueViolation(e) === 'products.sku') throw skuConflict();
    if (isForeignKeyViolation(e)) throw unknownCategory();
    throw e;
  }
}

export type DeleteOutcome = { archived: ProductRowView } | { deletedImageKeys: string[]; categoryId: number | null };

/**
 * Deletes a product with its images, or archives it (is_active = false) when any order line refers to it:
 * order items keep their snapshots and their product_id stays valid. Both branches are in ONE batch guarded by
 * the same EXISTS, so an order placed concurrently can never lose its product. Returns the archived product,
 * or the R2 keys of the deleted images for the caller to remove.
 */
export async function deleteOrArchiveProduct(db: Db, id: number, ifMatch?: IfMatch): Promise<DeleteOutcome> {
  const ordered = sql`EXISTS (SELECT 1 FROM ${orderItems} WHERE ${orderItems.productId} = ${id})`;
  // With If-Match, every statement also requires the product to still carry one of the tags (evaluated before
  // the batch changes anything: the image statements run first and the product row is untouched until then).
  const matches = productMatches(ifMatch);
  const current = matches ? sql`EXISTS (SELECT 1 FROM ${products} WHERE ${products.id} = ${id} AND ${matches})` : undefined;
  const [images, , deleted, archived, rows] = await db.batch([
    db.select({ key: productImages.key }).from(productImages).where(and(eq(productImages.productId, id), not(ordered), current)),
    db.delete(productImages).where(and(eq(productImages.productId, id), not(ordered), current)),
    db.delete(products).where(and(eq(products.id, id), not(ordered), matches)).returning({ id: products.id, categoryId: products.categoryId }),
    db
      .update(products)
      .set({ isActive: false, updatedAt: new Date().toISOString(), version: sql`${products.version} + 1` })
      .where(and(eq(products.id, id), ordered, matches))
      .returning({ id: products.id }),
    selectProductsInBatch(db).where(eq(products.id, id)),
  ]);
  if (deleted.length > 0) return { deletedImageKeys: images.map((i) => i.key), categoryId: deleted[0].categoryId };
  if (!rows[0]) throw notFound('Product');
  if (!archived.length) throw preconditionFailed('product');
  return { archived: rows[0] };
}

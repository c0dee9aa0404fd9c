/**
 * Public catalog reads. Each request is ONE D1 round trip: a page query carries its total as an uncorrelated
 * scalar subquery (evaluated once), and product rows carry their category and images (products.queries.ts).
 * Filters and orderings are chosen so that SQLite walks an index in order and stops at LIMIT (see the
 * products_* indexes in schema.ts and the EXPLAIN QUERY PLAN tests).
 */
import { and, asc, desc, eq, gt, gte, like, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { categories, products } from '../db/schema';
import { notFound } from '../errors';
import { limitOffset, type PageRequest } from '../http/pagination';
import type { ProductFilters, ProductOrdering } from './catalog.schemas';
import { productColumns, selectProducts, type ProductRowView } from './products.queries';

export interface PageRows<T> {
  count: number;
  rows: T[];
}

const DIGITS_RE = /^\d{1,15}$/;

/** `%`, `_` and the escape character itself match literally in a LIKE pattern. */
export const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/**
 * The category a filter value names: an id (digits), a slug or an exact name; an id match wins over a slug
 * that happens to be numeric. A scalar subquery, so the filter stays one statement and products are then
 * found through products_category_idx.
 */
function categoryIdOf(value: string): SQL {
  const id = DIGITS_RE.test(value) ? Number(value) : -1;
  return sql`(SELECT ${categories.id} FROM ${categories} WHERE ${or(eq(categories.id, id), eq(categories.slug, value.toLowerCase()), eq(categories.name, value))} ORDER BY ${categories.id} = ${id} DESC LIMIT 1)`;
}

/** WHERE conditions of a product list. `activeOnly: false` is for admin lists (inactive included). */
export function productConditions(f: Partial<ProductFilters>, opts: { activeOnly: boolean } = { activeOnly: true }): SQL | undefined {
  const conds: (SQL | undefined)[] = [];
  if (opts.activeOnly) conds.push(eq(products.isActive, true));
  if (f.category !== undefined) conds.push(sql`${products.categoryId} = ${categoryIdOf(f.category)}`);
  if (f.search !== undefined) {
    // SQLite LIKE is case-insensitive for ASCII; ESCAPE makes user-typed % and _ literal.
    const pattern = likePattern(f.search);
    conds.push(or(sql`${products.name} LIKE ${pattern} ESCAPE '\\'`, sql`${products.description} LIKE ${pattern} ESCAPE '\\'`));
  }
  if (f.min_price !== undefined) conds.push(gte(products.priceCents, f.min_price));
  if (f.max_price !== undefined) conds.push(lte(products.priceCents, f.max_price));
  if (f.in_stock !== undefined) conds.push(f.in_stock ? gt(products.stock, 0) : eq(products.stock, 0));
  return and(...conds);
}

const ORDER_COLUMNS = {
  price: products.priceCents,
  name: products.name,
  created_at: products.createdAt,
  rating: products.ratingAvg,
} as const;

/** ORDER BY for an ordering key, with id as the tiebreak in the same direction (so one index serves both). */
export function productOrder(ordering: ProductOrdering): SQL[] {
  const descending = ordering.startsWith('-');
  const column = ORDER_COLUMNS[ordering.replace(/^-/, '') as keyof typeof ORDER_COLUMNS];
  const dir = descending ? desc : asc;
  return [dir(column), dir(products.id)];
}

/** The page query of a product list (exported so tests can EXPLAIN the exact SQL that runs). */
export function productPageQuery(db: Db, f: ProductFilters, page: PageRequest, opts = { activeOnly: true }) {
  const where = productConditions(f, opts);
  const total = db.select({ n: sql<number>`count(*)` }).from(products).where(where);
  const { limit, offset } = limitOffset(page);
  return db
    .select({ ...productColumns, total: sql<number>`${total}`.mapWith(Number) })
    .from(products)
    .leftJoin(categories, eq(categories.id, products.categoryId))
    .where(where)
    .orderBy(...productOrder(f.ordering))
    .limit(limit)
    .offset(offset);
}

/** A page of products and the total count, in one D1 query. A page past the end is a 404. */
export async function listProducts(db: Db, f: ProductFilters, page: PageRequest, opts = { activeOnly: true }): Promise<PageRows<ProductRowView>> {
  const rows = await productPageQuery(db, f, page, opts);
  return { count: pageCount(rows, page), rows };
}

/** An active product, or 404 (inactive products are hidden from the public catalog). */
export async function getActiveProduct(db: Db, id: number): Promise<ProductRowView> {
  const [row] = await selectProducts(db).where(and(eq(products.id, id), eq(products.isActive, true)));
  if (!row) throw notFound('Product');
  return row;
}

/**
 * Total from a page whose rows carry it. An empty page has no row to carry it: on page 1 that means no
 * matches; further on it means the page is past the end (404, as the pagination contract says).
 */
export function pageCount(rows: { total: number }[], page: PageRequest): number {
  if (rows.length === 0 && page.page > 1) throw notFound('Page');
  return rows[0]?.total ?? 0;
}

/**
 * Public catalog reads. Each request is ONE D1 round trip: a page query carries its total as an uncorrelated
 * scalar subquery (evaluated once), and product rows carry their category and images (products.queries.ts).
 * Filters and orderings are chosen so that SQLite walks an index in order and stops at LIMIT (see the
 * products_* indexes in schema.ts and the EXPLAIN QUERY PLAN tests).
 */
import { and, asc, desc, eq, gt, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { categories, products } from '../db/schema';
import { notFound } from '../errors';
import { limitOffset, type PageRequest } from '../http/pagination';
import type { ProductFilters, ProductOrdering } from './catalog.schemas';
import { ftsQuery, relevance } from './product-search';
import { productColumns, selectProducts, type ProductRowView } from './products.queries';

export interface PageRows<T> {
  count: number;
  rows: T[];
}

const DIGITS_RE = /^\d{1,15}$/;

/**
 * The id of the category a key names, as one SQL expression: an id (digits) first, then a slug, then (for the
 * product filter) an exact name. Each alternative is a unique-index lookup; no sort, no scan. Aliases are
 * explicit because this is nested inside queries that also read `categories`.
 */
export function categoryIdFor(key: string, opts: { byName: boolean }): SQL {
  const alternatives = [sql`(SELECT c.id FROM categories AS c WHERE c.slug = ${key.toLowerCase()})`];
  if (DIGITS_RE.test(key)) alternatives.unshift(sql`(SELECT c.id FROM categories AS c WHERE c.id = ${Number(key)})`);
  if (opts.byName) alternatives.push(sql`(SELECT c.id FROM categories AS c WHERE c.name = ${key})`);
  // SQLite's coalesce() needs at least two arguments.
  return alternatives.length === 1 ? alternatives[0] : sql`coalesce(${sql.join(alternatives, sql`, `)})`;
}

/** WHERE conditions of a product list. `activeOnly: false` is for admin lists (inactive included). */
export function productConditions(f: Partial<ProductFilters>, opts: { activeOnly: boolean } = { activeOnly: true }): SQL | undefined {
  const conds: (SQL | undefined)[] = [];
  if (opts.activeOnly) conds.push(eq(products.isActive, true));
  if (f.category !== undefined) conds.push(sql`${products.categoryId} = ${categoryIdFor(f.category, { byName: true })}`);
  // The search itself is the join with the FTS5 matches (searchPageQuery); a text without words matches nothing.
  if (f.search !== undefined && ftsQuery(f.search) === null) conds.push(sql`0`);
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

/**
 * The page query of a product list (exported so tests can EXPLAIN the exact SQL that runs). Without `ordering`,
 * a search is ranked by relevance (BM25 from the FTS5 index, joined on the product id) and anything else is
 * newest first.
 */
export function productPageQuery(db: Db, f: ProductFilters, page: PageRequest, opts = { activeOnly: true }) {
  if (f.search !== undefined) return searchPageQuery(db, f, f.search, page, opts);
  const where = productConditions(f, opts);
  const total = db.select({ n: sql<number>`count(*)` }).from(products).where(where);
  const { limit, offset } = limitOffset(page);
  return db
    .select({ ...productColumns, total: sql<number>`${total}`.mapWith(Number) })
    .from(products)
    .leftJoin(categories, eq(categories.id, products.categoryId))
    .where(where)
    .orderBy(...productOrder(f.ordering ?? '-created_at'))
    .limit(limit)
    .offset(offset);
}

/**
 * A search page, driven from the FTS5 matches: `fts CROSS JOIN products` makes SQLite start from the matching
 * rowids and fetch each product by its primary key, in the page query and in its count alike, so the cost follows
 * the number of matches and not the size of the catalog. (Left to itself, the planner walked an index over EVERY
 * active product: `products_active_stock_idx` for the count, an ordering's index to skip the sort; measured at
 * 100,000 products: 10–15 ms per search, against ~0.1 ms this way.) Ranked by relevance unless `ordering` is given.
 */
function searchPageQuery(db: Db, f: ProductFilters, search: string, page: PageRequest, opts: { activeOnly: boolean }) {
  const rank = relevance(db, search);
  const where = and(eq(products.id, rank.id), productConditions({ ...f, search: undefined }, opts));
  const total = db.select({ n: sql<number>`count(*)` }).from(rank).crossJoin(products).where(where);
  const { limit, offset } = limitOffset(page);
  return db
    .select({ ...productColumns, total: sql<number>`${total}`.mapWith(Number) })
    .from(rank)
    .crossJoin(products)
    .leftJoin(categories, eq(categories.id, products.categoryId))
    .where(where)
    .orderBy(...(f.ordering ? productOrder(f.ordering) : [asc(rank.rank), asc(products.id)]))
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

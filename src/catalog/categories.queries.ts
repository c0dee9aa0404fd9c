/**
 * Category reads for the public catalog: each one statement. `product_count` counts active products through
 * products_category_idx (category_id, is_active, …), a covering index, so it never touches product rows.
 */
import { asc, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { categories } from '../db/schema';
import { notFound } from '../errors';
import { limitOffset, type PageRequest } from '../http/pagination';
import { categoryIdFor, pageCount, type PageRows } from './catalog.service';

const categoryColumns = {
  id: categories.id,
  name: categories.name,
  slug: categories.slug,
  description: categories.description,
  // Raw `categories.id`: Drizzle leaves columns unqualified in single-table selects, and an unqualified `id`
  // here would resolve to `p.id`.
  productCount: sql<number>`(SELECT count(*) FROM products AS p WHERE p.category_id = categories.id AND p.is_active = 1)`.mapWith(Number),
};

export type CategoryRowView = { id: number; name: string; slug: string; description: string; productCount: number };

/** The page query of the category list, alphabetical (exported so tests can EXPLAIN it). */
export function categoryPageQuery(db: Db, page: PageRequest) {
  const { limit, offset } = limitOffset(page);
  return db
    .select({ ...categoryColumns, total: sql<number>`(SELECT count(*) FROM categories AS c)`.mapWith(Number) })
    .from(categories)
    .orderBy(asc(categories.name), asc(categories.id))
    .limit(limit)
    .offset(offset);
}

export async function listCategories(db: Db, page: PageRequest): Promise<PageRows<CategoryRowView>> {
  const rows = await categoryPageQuery(db, page);
  return { count: pageCount(rows, page), rows };
}

/** A category by id (digits) or slug; an id match wins over a numeric slug. */
export async function getCategory(db: Db, key: string): Promise<CategoryRowView> {
  const [row] = await db
    .select(categoryColumns)
    .from(categories)
    .where(sql`${categories.id} = ${categoryIdFor(key, { byName: false })}`);
  if (!row) throw notFound('Category');
  return row;
}

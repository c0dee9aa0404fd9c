/**
 * Category reads for the public catalog: each one statement. `product_count` counts active products through
 * products_category_idx (category_id, is_active, …), a covering index, so it never touches product rows.
 */
import { asc, eq, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { categories } from '../db/schema';
import { notFound } from '../errors';
import { limitOffset, type PageRequest } from '../http/pagination';
import { pageCount, type PageRows } from './catalog.service';

const categoryColumns = {
  id: categories.id,
  name: categories.name,
  slug: categories.slug,
  description: categories.description,
  productCount: sql<number>`(SELECT count(*) FROM products AS p WHERE p.category_id = ${categories.id} AND p.is_active = 1)`.mapWith(Number),
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
  const id = /^\d{1,15}$/.test(key) ? Number(key) : -1;
  const [row] = await db
    .select(categoryColumns)
    .from(categories)
    .where(or(eq(categories.id, id), eq(categories.slug, key.toLowerCase())))
    .orderBy(sql`${categories.id} = ${id} DESC`)
    .limit(1);
  if (!row) throw notFound('Category');
  return row;
}

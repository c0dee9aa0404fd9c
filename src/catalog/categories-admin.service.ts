/**
 * Admin category rules: create, read, replace/patch and delete categories. Uniqueness of name and slug is
 * enforced by the unique indexes and answered as 409 `conflict` naming the field. Every write is one D1 round
 * trip; callers bump the catalog version after it succeeds.
 */
import { count, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { categories, products } from '../db/schema';
import { AppError, notFound } from '../errors';
import { limitOffset, type PageRequest } from '../http/pagination';
import { nowIso } from '../lib/crypto';
import { slugify, slugSuffix } from '../lib/slug';
import type { CategoryBody, CategoryRowView } from './catalog-admin.schemas';
import { uniqueViolation } from './constraint-errors';

const categoryColumns = {
  id: categories.id,
  name: categories.name,
  slug: categories.slug,
  description: categories.description,
  // Backed by products_category_idx; counts inactive products too, since admins see those. Written with
  // explicit qualifiers: Drizzle leaves columns unqualified in single-table selects, which a subquery would misread.
  productCount: sql<number>`(SELECT count(*) FROM "products" AS p WHERE p."category_id" = "categories"."id")`.mapWith(Number),
  createdAt: categories.createdAt,
  updatedAt: categories.updatedAt,
};

const selectCategories = (db: Db) => db.select(categoryColumns).from(categories);

/** A slug for a name; names with no ASCII letters or digits ("日本") get a random one. */
const slugFor = (name: string) => slugify(name) || `category-${slugSuffix()}`;

/** Turns a unique-index failure into 409 `conflict` naming the field; rethrows anything else. */
function conflictOr(e: unknown, slugDerived: boolean): never {
  const column = uniqueViolation(e);
  if (column === 'categories.name') {
    throw new AppError('conflict', 'A category with this name already exists.', {
      errors: [{ field: 'name', message: 'a category with this name already exists' }],
    });
  }
  if (column === 'categories.slug') {
    const message = slugDerived
      ? 'a category with the slug derived from this name already exists; give a slug'
      : 'a category with this slug already exists';
    throw new AppError('conflict', 'A category with this slug already exists.', { errors: [{ field: 'slug', message }] });
  }
  throw e;
}

/** One page of categories by name, and the total: one round trip. */
export async function listCategories(db: Db, page: PageRequest): Promise<{ count: number; rows: CategoryRowView[] }> {
  const { limit, offset } = limitOffset(page);
  const [rows, total] = await db.batch([
    selectCategories(db).orderBy(categories.name, categories.id).limit(limit).offset(offset),
    db.select({ n: count() }).from(categories),
  ]);
  return { count: total[0]?.n ?? 0, rows };
}

export async function getCategory(db: Db, id: number): Promise<CategoryRowView> {
  const [row] = await selectCategories(db).where(eq(categories.id, id));
  if (!row) throw notFound('Category');
  return row;
}

export async function createCategory(db: Db, input: CategoryBody & { name: string }): Promise<CategoryRowView> {
  const slug = input.slug ?? slugFor(input.name);
  try {
    const [row] = await db
      .insert(categories)
      .values({ name: input.name, slug, description: input.description ?? '' })
      .returning();
    return { ...row, productCount: 0 };
  } catch (e) {
    conflictOr(e, input.slug === undefined);
  }
}

/**
 * PUT replaces the category: an absent slug is derived from the name again and an absent description becomes
 * ''. PATCH changes only the fields given; renaming keeps the slug (URLs stay stable) unless a slug is given.
 */
export async function updateCategory(db: Db, id: number, input: CategoryBody, mode: 'put' | 'patch'): Promise<CategoryRowView> {
  const set: Partial<typeof categories.$inferInsert> = {};
  if (mode === 'put') {
    set.name = input.name;
    set.slug = input.slug ?? slugFor(input.name!);
    set.description = input.description ?? '';
  } else {
    if (input.name !== undefined) set.name = input.name;
    if (input.slug !== undefined) set.slug = input.slug;
    if (input.description !== undefined) set.description = input.description;
  }
  if (Object.keys(set).length === 0) return getCategory(db, id);
  set.updatedAt = nowIso();
  try {
    // The update and the read of its result travel together: one round trip.
    const [, rows] = await db.batch([
      db.update(categories).set(set).where(eq(categories.id, id)),
      selectCategories(db).where(eq(categories.id, id)),
    ]);
    if (!rows[0]) throw notFound('Category');
    return rows[0];
  } catch (e) {
    if (e instanceof AppError) throw e;
    conflictOr(e, mode === 'put' && input.slug === undefined);
  }
}

/**
 * Deletes a category; its products stay, uncategorised. The schema's ON DELETE SET NULL does this when D1
 * enforces foreign keys; the explicit UPDATE in the same batch makes it hold regardless (and bumps the
 * products' updated_at, since their JSON changes).
 */
export async function deleteCategory(db: Db, id: number): Promise<void> {
  const [, deleted] = await db.batch([
    db.update(products).set({ categoryId: null, updatedAt: nowIso() }).where(eq(products.categoryId, id)),
    db.delete(categories).where(eq(categories.id, id)).returning({ id: categories.id }),
  ]);
  if (deleted.length === 0) throw notFound('Category');
}

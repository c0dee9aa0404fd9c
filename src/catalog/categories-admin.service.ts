/**
 * Admin category rules: create, read, replace/patch and delete categories. Uniqueness of name and slug is
 * enforced by the unique indexes and answered as 409 `conflict` naming the field; names are also unique
 * regardless of case ("Shoes" and "SHOES" would be one category to a shopper), checked inside the write itself.
 * Every write is one D1 round trip; callers bump the catalog version after it succeeds.
 */
import { and, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { categories, products } from '../db/schema';
import { AppError, notFound } from '../errors';
import { limitOffset, type PageRequest } from '../http/pagination';
import { nowIso } from '../lib/crypto';
import { slugify, slugSuffix } from '../lib/slug';
import type { CategoryBody, CategoryRowView } from './catalog-admin.schemas';
import { uniqueViolation } from './constraint-errors';
import { categoryMatches, preconditionFailed, type IfMatch } from './etag';

const categoryColumns = {
  id: categories.id,
  name: categories.name,
  slug: categories.slug,
  description: categories.description,
  // Backed by products_category_idx; counts inactive products too, since admins see those. Written with
  // explicit qualifiers: Drizzle leaves columns unqualified in single-table selects, which a subquery would misread.
  productCount: sql<number>`(SELECT count(*) FROM "products" AS p WHERE p."category_id" = "categories"."id")`.mapWith(Number),
  version: categories.version,
  createdAt: categories.createdAt,
  updatedAt: categories.updatedAt,
};

const selectCategories = (db: Db) => db.select(categoryColumns).from(categories);

/** A slug for a name; names with no ASCII letters or digits ("日本") get a random one. */
const slugFor = (name: string) => slugify(name) || `category-${slugSuffix()}`;

const nameConflict = () =>
  new AppError('conflict', 'A category with this name already exists.', {
    errors: [{ field: 'name', message: 'a category with this name (in any letter case) already exists' }],
  });

/**
 * True when no other category has `name` in another letter case. NOCASE folds ASCII only, like the rest of
 * SQLite; it cannot use the (binary) unique index, which is fine for a table of categories.
 */
const nameFree = (name: string, exceptId = 0) =>
  sql`NOT EXISTS (SELECT 1 FROM "categories" AS c WHERE c."name" = ${name} COLLATE NOCASE AND c."id" <> ${exceptId})`;

/** Turns a unique-index failure into 409 `conflict` naming the field; rethrows anything else. */
function conflictOr(e: unknown, slugDerived: boolean): never {
  const column = uniqueViolation(e);
  if (column === 'categories.name') throw nameConflict();
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
  let rows: { id: number; name: string; slug: string; description: string; version: number; created_at: string; updated_at: string }[];
  try {
    // INSERT … SELECT … WHERE: the case-insensitive name check and the insert are one statement, so two
    // concurrent creates of "Shoes" and "SHOES" cannot both pass it.
    rows = await db.all(sql`INSERT INTO "categories" ("name", "slug", "description")
      SELECT ${input.name}, ${slug}, ${input.description ?? ''} WHERE ${nameFree(input.name)}
      RETURNING "id", "name", "slug", "description", "version", "created_at", "updated_at"`);
  } catch (e) {
    conflictOr(e, input.slug === undefined);
  }
  const row = rows[0];
  if (!row) throw nameConflict();
  return { id: row.id, name: row.name, slug: row.slug, description: row.description, productCount: 0, version: row.version, createdAt: row.created_at, updatedAt: row.updated_at };
}

/**
 * PUT replaces the category: an absent slug is derived from the name again and an absent description becomes
 * ''. PATCH changes only the fields given; renaming keeps the slug (URLs stay stable) unless a slug is given.
 */
export async function updateCategory(db: Db, id: number, input: CategoryBody, mode: 'put' | 'patch', ifMatch?: IfMatch): Promise<CategoryRowView> {
  const set: Partial<Record<keyof typeof categories.$inferInsert, unknown>> = {};
  if (mode === 'put') {
    set.name = input.name;
    set.slug = input.slug ?? slugFor(input.name!);
    set.description = input.description ?? '';
  } else {
    if (input.name !== undefined) set.name = input.name;
    if (input.slug !== undefined) set.slug = input.slug;
    if (input.description !== undefined) set.description = input.description;
  }
  const matches = categoryMatches(ifMatch);
  if (Object.keys(set).length === 0) {
    const row = await getCategory(db, id);
    if (matches && !(await selectCategories(db).where(and(eq(categories.id, id), matches))).length) throw preconditionFailed('category');
    return row;
  }
  set.updatedAt = nowIso();
  set.version = sql`${categories.version} + 1`;
  try {
    // The update and the read of its result travel together: one round trip. A rename the case-insensitive
    // name check refuses updates nothing, while the row is still read.
    const [updated, rows, matching] = await db.batch([
      db
        .update(categories)
        .set(set as Partial<typeof categories.$inferInsert>)
        .where(and(eq(categories.id, id), set.name !== undefined ? nameFree(set.name as string, id) : undefined, matches))
        .returning({ id: categories.id }),
      selectCategories(db).where(eq(categories.id, id)),
      // Tells a stale If-Match (412) from a name clash (409) when nothing was updated.
      selectCategories(db).where(and(eq(categories.id, id), matches)),
    ]);
    if (!rows[0]) throw notFound('Category');
    if (!updated.length) throw matches && !matching.length ? preconditionFailed('category') : nameConflict();
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
export async function deleteCategory(db: Db, id: number, ifMatch?: IfMatch): Promise<void> {
  const matches = categoryMatches(ifMatch);
  const current = matches ? sql`EXISTS (SELECT 1 FROM ${categories} WHERE ${categories.id} = ${id} AND ${matches})` : undefined;
  const [, deleted, exists] = await db.batch([
    db
      .update(products)
      .set({ categoryId: null, updatedAt: nowIso(), version: sql`${products.version} + 1` })
      .where(and(eq(products.categoryId, id), current)),
    db.delete(categories).where(and(eq(categories.id, id), matches)).returning({ id: categories.id }),
    db.select({ id: categories.id }).from(categories).where(eq(categories.id, id)),
  ]);
  if (deleted.length === 0) throw exists.length ? preconditionFailed('category') : notFound('Category');
}

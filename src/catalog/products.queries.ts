/**
 * The product read model: one SELECT gives a product with its category and its images (a correlated JSON
 * subquery backed by product_images(product_id, position)), so a page of products is one query whatever its
 * size. `productView` turns such a row into the Product JSON of API.md.
 */
import { eq, sql } from 'drizzle-orm';
import * as z from 'zod/mini';
import type { Db } from '../db/client';
import { categories, products } from '../db/schema';
import { formatMoney } from '../lib/money';
import { mediaUrl } from '../media/media-url';

export const productColumns = {
  id: products.id,
  name: products.name,
  slug: products.slug,
  sku: products.sku,
  description: products.description,
  priceCents: products.priceCents,
  currency: products.currency,
  stock: products.stock,
  version: products.version,
  isActive: products.isActive,
  ratingCount: products.ratingCount,
  ratingAvg: products.ratingAvg,
  createdAt: products.createdAt,
  updatedAt: products.updatedAt,
  categoryId: categories.id,
  categoryName: categories.name,
  categorySlug: categories.slug,
  images: sql<string>`(SELECT json_group_array(json_object('id', i.id, 'key', i.key, 'alt', i.alt, 'position', i.position)) FROM (SELECT id, key, alt, position FROM product_images WHERE product_id = ${products.id} ORDER BY position, id) AS i)`,
};

/** `SELECT <product columns> FROM products LEFT JOIN categories`; add where/order/limit. */
export const selectProducts = (db: Db) => db.select(productColumns).from(products).leftJoin(categories, eq(categories.id, products.categoryId));

export type ProductRowView = Awaited<ReturnType<ReturnType<typeof selectProducts>['all']>>[number];

/**
 * `selectProducts` for use inside `db.batch([...])`. D1 batches hand rows back as objects keyed by column name,
 * and Drizzle maps them by position, so the duplicate names of the join ("id", "name", "slug" of products and
 * categories) collapse and shift every later column (rows come back full of nulls). Here the category columns
 * carry unique aliases; the row type is the same as selectProducts'.
 */
export const selectProductsInBatch = (db: Db) =>
  db
    .select({
      ...productColumns,
      categoryId: sql<number | null>`${categories.id}`.as('category_ref_id'),
      categoryName: sql<string | null>`${categories.name}`.as('category_ref_name'),
      categorySlug: sql<string | null>`${categories.slug}`.as('category_ref_slug'),
    })
    .from(products)
    .leftJoin(categories, eq(categories.id, products.categoryId));

export const ImageView = z.object({ id: z.int(), url: z.url(), alt: z.string(), position: z.int() });

export const ProductView = z.object({
  id: z.int(),
  name: z.string(),
  slug: z.string(),
  sku: z.string(),
  description: z.string(),
  price: z.string().check(z.describe('Decimal string with two places, e.g. "1299.99"')),
  currency: z.string(),
  stock: z.int(),
  in_stock: z.boolean(),
  category: z.nullable(z.object({ id: z.int(), name: z.string(), slug: z.string() })),
  images: z.array(ImageView),
  rating: z.object({ average: z.number(), count: z.int() }),
  is_active: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type ProductView = z.infer<typeof ProductView>;

export function productView(row: ProductRowView, origin: string): ProductView {
  const images = JSON.parse(row.images ?? '[]') as { id: number; key: string; alt: string; position: number }[];
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    sku: row.sku,
    description: row.description,
    price: formatMoney(row.priceCents),
    currency: row.currency,
    stock: row.stock,
    in_stock: row.stock > 0,
    category: row.categoryId != null ? { id: row.categoryId, name: row.categoryName!, slug: row.categorySlug! } : null,
    images: images.map((i) => ({ id: i.id, url: mediaUrl(origin, i.key), alt: i.alt, position: i.position })),
    rating: { average: Math.round(row.ratingAvg * 100) / 100, count: row.ratingCount },
    is_active: row.isActive,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

/** One product by id (inactive included: callers decide who may see those), or undefined. */
export async function findProduct(db: Db, id: number): Promise<ProductRowView | undefined> {
  return (await selectProducts(db).where(eq(products.id, id)))[0];
}

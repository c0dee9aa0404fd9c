/**
 * The D1 reads shared by the cart and the checkout: the live product facts a line needs (price, stock, active
 * flag, first image) for one product or for every line at once, each in ONE query.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { products } from '../db/schema';
import { accountStatusQuery, type AccountStatus } from '../users/account-status';

const liveProductColumns = {
  id: products.id,
  name: products.name,
  slug: products.slug,
  sku: products.sku,
  priceCents: products.priceCents,
  currency: products.currency,
  stock: products.stock,
  isActive: products.isActive,
  // The cart shows one picture per line: the first image by position (index product_images(product_id, position)).
  // (Qualified by hand: drizzle leaves columns unqualified in a single-table select.)
  imageKey: sql<string | null>`(SELECT pi.key FROM product_images AS pi WHERE pi.product_id = "products"."id" ORDER BY pi.position, pi.id LIMIT 1)`,
};

export interface LiveProduct {
  id: number;
  name: string;
  slug: string;
  sku: string;
  priceCents: number;
  currency: string;
  stock: number;
  isActive: boolean;
  imageKey: string | null;
}

/**
 * One product and the caller's account in ONE round trip: cart writes check the account here instead of in the
 * guard (`check: 'token'`), since they read the product's live stock anyway.
 */
export async function liveProductAndAccount(db: Db, id: number, userId: number): Promise<{ product?: LiveProduct; account?: AccountStatus }> {
  const [rows, [account]] = await db.batch([db.select(liveProductColumns).from(products).where(eq(products.id, id)), accountStatusQuery(db, userId)]);
  return { product: rows[0], account };
}

/** The products of many lines in one query; deleted products are simply absent. */
export async function liveProducts(db: Db, ids: readonly number[]): Promise<Map<number, LiveProduct>> {
  if (!ids.length) return new Map();
  return new Map((await liveProductsQuery(db, ids)).map((r) => [r.id, r]));
}

/** The query of `liveProducts`, for callers that batch it with another read (checkout). */
export const liveProductsQuery = (db: Db, ids: readonly number[]) => db.select(liveProductColumns).from(products).where(inArray(products.id, [...ids]));

/**
 * Stock adjustments ("+5", "−3"): ONE conditional UPDATE, stock = stock + delta, so a sale committed between
 * the admin reading the page and sending the change is never erased (setting an absolute number would). The
 * WHERE refuses a delta that would take stock below zero; the stock_nonneg CHECK stays the last word.
 */
import { and, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { products } from '../db/schema';
import { AppError, notFound } from '../errors';
import { nowIso } from '../lib/crypto';

export const MAX_STOCK_DELTA = 1_000_000;

/** Adds `delta` (may be negative) to a product's stock; returns the stock after the change. */
export async function adjustStock(db: Db, productId: number, delta: number): Promise<number> {
  if (!Number.isInteger(delta) || delta === 0 || Math.abs(delta) > MAX_STOCK_DELTA) {
    throw new AppError('validation_error', 'Request body failed validation.', {
      errors: [{ field: 'delta', message: `must be a whole number other than 0, between -${MAX_STOCK_DELTA} and ${MAX_STOCK_DELTA}` }],
    });
  }
  const [row] = await db
    .update(products)
    .set({ stock: sql`${products.stock} + ${delta}`, updatedAt: nowIso() })
    .where(and(eq(products.id, productId), gte(products.stock, -delta)))
    .returning({ stock: products.stock });
  if (row) return row.stock;
  // Nothing changed: the product is missing, or the removal exceeds what is in stock right now.
  const [current] = await db.select({ stock: products.stock }).from(products).where(eq(products.id, productId));
  if (!current) throw notFound('Product');
  throw new AppError('validation_error', 'Request body failed validation.', {
    errors: [{ field: 'delta', message: `cannot remove ${-delta}: only ${current.stock} in stock right now`, available: current.stock }],
  });
}

/**
 * Reviews and rating aggregates. Each write is ONE D1 batch (one transaction): the review change, then the
 * product's rating_count/rating_sum/rating_avg recomputed from the reviews table itself. Recomputing (rather
 * than adding a delta) means concurrent reviews of one product can never make the aggregates drift.
 * After the batch commits, the catalog version is bumped so no cached read shows the old rating.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { products, reviews, users } from '../db/schema';
import { notFound } from '../errors';
import { limitOffset, type PageRequest } from '../http/pagination';
import { usableAccount } from '../users/users.service';
import type { ReviewBody, ReviewRow } from './reviews.schemas';

export interface ReviewDeps {
  db: Db;
  /** Invalidates the product's cached catalog answers (its detail, reviews and the list pages showing it). */
  invalidate: (productId: number) => Promise<unknown>;
}

/** Orders in these states count as a purchase for `verified_purchase`. */
const PURCHASED = sql`('confirmed', 'shipped', 'delivered')`;
const now = sql`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

const reviewColumns = {
  id: reviews.id,
  productId: reviews.productId,
  userId: reviews.userId,
  firstName: users.firstName,
  lastName: users.lastName,
  rating: reviews.rating,
  comment: reviews.comment,
  verifiedPurchase: reviews.verifiedPurchase,
  createdAt: reviews.createdAt,
  updatedAt: reviews.updatedAt,
};

const selectReviews = (db: Db) => db.select(reviewColumns).from(reviews).innerJoin(users, eq(users.id, reviews.userId));

/**
 * The caller's account row, read in the write's batch: access tokens are stateless and can outlive a deleted or
 * deactivated account, whose writes must fail as 401/403 (usableAccount), never as a foreign-key 500.
 */
const callerState = (db: Db, userId: number) => db.select({ isActive: users.isActive }).from(users).where(eq(users.id, userId));
const activeCaller = (db: Db, userId: number) =>
  db.select({ id: users.id }).from(users).where(and(eq(users.id, userId), eq(users.isActive, true)));

/** The aggregates of one product, recomputed from its reviews (runs inside the write's batch). */
const refreshRating = (db: Db, productId: number) => {
  const ofProduct = sql`FROM reviews AS r WHERE r.product_id = ${productId}`;
  return db
    .update(products)
    .set({
      ratingCount: sql`(SELECT count(*) ${ofProduct})`,
      ratingSum: sql`(SELECT coalesce(sum(r.rating), 0) ${ofProduct})`,
      ratingAvg: sql`(SELECT coalesce(avg(r.rating), 0.0) ${ofProduct})`,
    })
    .where(eq(products.id, productId));
};

/**
 * Creates or replaces the caller's review of an active product. The insert selects from the product row, so
 * an unknown or inactive product inserts nothing (→ 404) inside the same batch; `verified_purchase` is
 * computed in SQL from the caller's orders at write time.
 */
export async function upsertReview(deps: ReviewDeps, userId: number, productId: number, body: ReviewBody): Promise<{ created: boolean; review: ReviewRow }> {
  const { db } = deps;
  const [caller, before, written, , after] = await db.batch([
    callerState(db, userId),
    db.select({ id: reviews.id }).from(reviews).where(and(eq(reviews.productId, productId), eq(reviews.userId, userId))),
    db
      .insert(reviews)
      // Every column, in table order (id NULL = next rowid); the WHERE also keeps SQLite from reading the
      // ON CONFLICT below as a join constraint.
      .select(
        sql`SELECT NULL, p.id, ${userId}, ${body.rating}, ${body.comment},
          EXISTS (SELECT 1 FROM orders AS o JOIN order_items AS oi ON oi.order_id = o.id
                  WHERE o.user_id = ${userId} AND oi.product_id = p.id AND o.status IN ${PURCHASED}),
          ${now}, ${now}
        FROM products AS p JOIN users AS u ON u.id = ${userId} AND u.is_active = 1
        WHERE p.id = ${productId} AND p.is_active = 1`,
      )
      .onConflictDoUpdate({
        target: [reviews.productId, reviews.userId],
        set: { rating: sql`excluded.rating`, comment: sql`excluded.comment`, verifiedPurchase: sql`excluded.verified_purchase`, updatedAt: now },
      })
      .returning({ id: reviews.id }),
    refreshRating(db, productId),
    selectReviews(db).where(and(eq(reviews.productId, productId), eq(reviews.userId, userId))),
  ]);
  if (written.length === 0 || !after[0]) {
    usableAccount(caller[0]);
    throw notFound('Product');
  }
  await deps.invalidate(productId);
  return { created: before.length === 0, review: after[0] };
}

/** Deletes the caller's review of an active product; 404 when there is none (or the product is hidden). */
export async function deleteReview(deps: ReviewDeps, userId: number, productId: number): Promise<void> {
  const { db } = deps;
  const activeProduct = db.select({ id: products.id }).from(products).where(and(eq(products.id, productId), eq(products.isActive, true)));
  const [caller, deleted] = await db.batch([
    callerState(db, userId),
    db
      .delete(reviews)
      .where(and(eq(reviews.productId, productId), eq(reviews.userId, userId), sql`EXISTS ${activeProduct}`, sql`EXISTS ${activeCaller(db, userId)}`))
      .returning({ id: reviews.id }),
    refreshRating(db, productId),
  ]);
  if (deleted.length === 0) {
    usableAccount(caller[0]);
    throw notFound('Review');
  }
  await deps.invalidate(productId);
}

/** A page of an active product's reviews, newest first: one batch (product check, count, page). */
export async function listReviews(db: Db, productId: number, page: PageRequest): Promise<{ count: number; rows: ReviewRow[] }> {
  const { limit, offset } = limitOffset(page);
  const [product, [total], rows] = await db.batch([
    db.select({ id: products.id }).from(products).where(and(eq(products.id, productId), eq(products.isActive, true))),
    db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(reviews).where(eq(reviews.productId, productId)),
    selectReviews(db).where(eq(reviews.productId, productId)).orderBy(desc(reviews.createdAt), desc(reviews.id)).limit(limit).offset(offset),
  ]);
  if (product.length === 0) throw notFound('Product');
  return { count: total.n, rows };
}

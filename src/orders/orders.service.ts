/**
 * Order rules after checkout: listing (one round trip per page: count and rows in one batch, items and history
 * inside the rows), reading, status changes through the status machine, and deleting cancelled orders.
 * No HTTP here: functions take the database and input, and return records or throw AppError.
 */
import { and, count, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { orders, users } from '../db/schema';
import { AppError, notFound } from '../errors';
import { limitOffset, type PageRequest } from '../http/pagination';
import { nowIso } from '../lib/crypto';
import { writeBatch, type Statement } from './d1-batch';
import { canTransition, restoresStock, transitionRefusal, type OrderStatus } from './order-status';
import { findOrder, newestFirst, selectOrders, toOrderRecord, type OrderRecord } from './orders.queries';

export interface OrderFilters {
  userId?: number;
  status?: OrderStatus;
  createdAfter?: string;
  createdBefore?: string;
  search?: string;
}

function whereOf(f: OrderFilters): SQL | undefined {
  // instr(), not LIKE: D1 refuses LIKE patterns over 50 bytes ("pattern too complex"), which made any search of
  // 49+ characters (a whole long email) a 500; instr() has no length limit and no wildcards to escape.
  const term = f.search ? f.search.toLowerCase() : undefined;
  return and(
    f.userId !== undefined ? eq(orders.userId, f.userId) : undefined,
    f.status ? eq(orders.status, f.status) : undefined,
    f.createdAfter ? gte(orders.createdAt, f.createdAfter) : undefined,
    f.createdBefore ? lte(orders.createdAt, f.createdBefore) : undefined,
    // Numbers are upper-case ASCII and emails are stored lower-cased: lower() of both matches any case of the term.
    term ? sql`(instr(lower(${orders.number}), ${term}) > 0 OR instr(lower(${users.email}), ${term}) > 0)` : undefined,
  );
}

/** A page of orders, newest first, with the total count: ONE D1 round trip. */
export async function listOrders(db: Db, filters: OrderFilters, page: PageRequest): Promise<{ count: number; records: OrderRecord[] }> {
  const where = whereOf(filters);
  const { limit, offset } = limitOffset(page);
  const [[total], rows] = await db.batch([
    db.select({ n: count() }).from(orders).leftJoin(users, eq(users.id, orders.userId)).where(where),
    selectOrders(db).where(where).orderBy(...newestFirst).limit(limit).offset(offset),
  ]);
  return { count: total.n, records: rows.map(toOrderRecord) };
}

/** One order; with `ownerId`, another user's order is a 404 (existence is not leaked). */
export async function getOrder(db: Db, id: number, ownerId?: number): Promise<OrderRecord> {
  const order = await findOrder(db, and(eq(orders.id, id), ownerId !== undefined ? eq(orders.userId, ownerId) : undefined));
  if (!order) throw notFound('Order');
  return order;
}

export interface Actor {
  userId: number;
  role: 'customer' | 'admin';
}

/**
 * Moves an order to `to` if the status machine allows it: one read, then ONE batch with the history row, the
 * stock given back (cancellation), and the status change. Every statement is guarded by "the status is still
 * the one we read", so of two concurrent changes only one applies and stock is never restored twice.
 */
export async function changeStatus(db: Db, id: number, to: OrderStatus, actor: Actor, ownerId?: number): Promise<OrderRecord> {
  const order = await getOrder(db, id, ownerId);
  const from = order.status;
  if (!canTransition(from, to)) throw new AppError('invalid_status_transition', transitionRefusal(from, to));
  const now = nowIso();
  const stillFrom = sql`EXISTS (SELECT 1 FROM orders WHERE id = ${id} AND status = ${from})`;
  const statements: Statement[] = [
    sql`INSERT INTO order_status_history (order_id, status, by_user_id, actor, at) SELECT ${id}, ${to}, ${actor.userId}, ${actor.role}, ${now} WHERE ${stillFrom}`,
  ];
  if (restoresStock(to)) {
    // Every line's units go back to its product (archived products too), from the stored items themselves.
    statements.push(
      sql`UPDATE products SET stock = stock + (SELECT SUM(quantity) FROM order_items WHERE order_id = ${id} AND product_id = products.id)
        WHERE id IN (SELECT product_id FROM order_items WHERE order_id = ${id}) AND ${stillFrom}`,
    );
  }
  // Last, so the guards above still see the old status.
  statements.push(db.update(orders).set({ status: to, updatedAt: now }).where(and(eq(orders.id, id), eq(orders.status, from))).returning({ id: orders.id }));
  const results = await writeBatch(db, statements);
  if (!results[results.length - 1].results.length) {
    throw new AppError('invalid_status_transition', 'The order changed status while this request was processed; reload it and try again.');
  }
  return { ...order, status: to, updatedAt: now, history: [...order.history, { status: to, byUserId: actor.userId, actor: actor.role, at: now }] };
}

/** Deletes a cancelled order (items, history and idempotency records go with it); anything else is a 409. */
export async function deleteOrder(db: Db, id: number): Promise<void> {
  const deleted = await db.delete(orders).where(and(eq(orders.id, id), eq(orders.status, 'cancelled'))).returning({ id: orders.id });
  if (deleted.length) return;
  const [row] = await db.select({ status: orders.status }).from(orders).where(eq(orders.id, id));
  if (!row) throw notFound('Order');
  throw new AppError('invalid_status_transition', `Only cancelled orders can be deleted; this order is ${row.status}.`);
}

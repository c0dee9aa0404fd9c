/**
 * Order rules after checkout: listing (one round trip per page: count and rows in one batch, items and history
 * inside the rows), reading, status changes through the status machine, and deleting cancelled orders.
 * No HTTP here: functions take the database and input, and return records or throw AppError.
 */
import { and, count, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { orders, users } from '../db/schema';
import { accountRefusal, accountStatusQuery } from '../users/account-status';
import { AppError, notFound } from '../errors';
import { limitOffset, type PageRequest } from '../http/pagination';
import { nowIso } from '../lib/crypto';
import { rowsOf, writeBatch, type Statement } from './d1-batch';
import { canTransition, restoresStock, statusesBefore, transitionRefusal, type OrderStatus } from './order-status';
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

/** What a status change needs from the payment provider, handed in by the routes (orders do not import Stripe). */
export interface PaymentHooks {
  /** Refunds a paid card order; throws AppError('payment_error') when the provider fails. Safe to repeat. */
  refund(order: OrderRecord): Promise<void>;
  /** Closes an unpaid card order's open checkout session so it can no longer be paid; never throws. */
  closeCheckout(order: OrderRecord): Promise<void>;
}

/** One guarded status change: who, when, and any extra condition and column values of the order row. */
export interface StatusWrite {
  id: number;
  /** The status the order must still have, or any of several (a customer cancel: pending or confirmed). */
  from: OrderStatus | readonly OrderStatus[];
  to: OrderStatus;
  byUserId: number | null;
  actor: string;
  at: string;
  /** An extra condition on the order row (unqualified columns), e.g. sql`payment_status = 'unpaid'`. */
  guard?: SQL;
  set?: Partial<Pick<typeof orders.$inferInsert, 'paymentStatus' | 'stripePaymentIntentId'>>;
}

/**
 * The statements of one status change, for ONE batch: the history row, the stock given back (cancellation), and
 * the status change last, returning the order id when it applied. Every statement is guarded by "the order is
 * still `from` (and `guard` holds)", so of two concurrent changes — a customer cancel and an expiry webhook, two
 * admins — only one applies and stock is never restored twice. Shared by customer, admin and Stripe paths.
 */
export function statusChangeStatements(db: Db, w: StatusWrite): Statement[] {
  const extra = w.guard ? sql` AND ${w.guard}` : sql``;
  const fromStatus = typeof w.from === 'string' ? sql`status = ${w.from}` : sql`status IN (${sql.join(w.from.map((f) => sql`${f}`), sql`, `)})`;
  const still = sql`EXISTS (SELECT 1 FROM orders WHERE id = ${w.id} AND ${fromStatus}${extra})`;
  const statements: Statement[] = [
    sql`INSERT INTO order_status_history (order_id, status, by_user_id, actor, at) SELECT ${w.id}, ${w.to}, ${w.byUserId}, ${w.actor}, ${w.at} WHERE ${still}`,
  ];
  if (restoresStock(w.to)) {
    // Every line's units go back to its product (archived products too), from the stored items themselves.
    statements.push(
      sql`UPDATE products SET stock = stock + (SELECT SUM(quantity) FROM order_items WHERE order_id = ${w.id} AND product_id = products.id)
        WHERE id IN (SELECT product_id FROM order_items WHERE order_id = ${w.id}) AND ${still}`,
    );
  }
  // Last, so the guards above still see the old status.
  statements.push(
    db
      .update(orders)
      .set({ status: w.to, updatedAt: w.at, ...w.set })
      .where(and(eq(orders.id, w.id), fromStatus, w.guard))
      .returning({ id: orders.id }),
  );
  return statements;
}

/** Whether the status change of a batch written from `statusChangeStatements` applied (its last result). */
export const applied = (results: D1Result[], index = results.length - 1) => results[index].results.length > 0;

/**
 * Moves an order to `to` if the status machine allows it: one read, then ONE guarded batch (see
 * `statusChangeStatements`). Cancelling a paid card order refunds it through `payments` BEFORE the batch: if the
 * provider fails, nothing is written (502), and a retry repeats the refund under the same idempotency key.
 */
export async function changeStatus(
  db: Db,
  id: number,
  to: OrderStatus,
  actor: Actor,
  ownerId?: number,
  payments?: PaymentHooks,
  /** The order as this request already read it (no second read). */
  known?: OrderRecord,
): Promise<OrderRecord> {
  const order = known ?? (await getOrder(db, id, ownerId));
  const from = order.status;
  if (!canTransition(from, to)) throw new AppError('invalid_status_transition', transitionRefusal(from, to));
  const refunding = to === 'cancelled' && order.paymentMethod === 'card' && order.paymentStatus === 'paid';
  if (refunding) {
    if (!payments) throw new AppError('payment_error', 'Card payments are not configured on this server, so this paid order cannot be refunded.');
    await payments.refund(order);
  } else if (to === 'cancelled' && order.paymentMethod === 'card' && order.paymentStatus === 'unpaid') {
    await payments?.closeCheckout(order);
  }
  const now = nowIso();
  const paymentStatus = refunding ? 'refunded' : order.paymentStatus;
  const results = await writeBatch(
    db,
    statusChangeStatements(db, {
      id, from, to, byUserId: actor.userId, actor: actor.role, at: now,
      // A payment that lands meanwhile (webhook) must not be lost under a cancel computed without it.
      guard: sql`payment_status = ${order.paymentStatus}`,
      set: refunding ? { paymentStatus } : undefined,
    }),
  );
  if (!applied(results)) {
    throw new AppError('invalid_status_transition', 'The order changed status while this request was processed; reload it and try again.');
  }
  return { ...order, status: to, paymentStatus, updatedAt: now, history: [...order.history, { status: to, byUserId: actor.userId, actor: actor.role, at: now }] };
}

/**
 * A customer cancels their own order in ONE D1 round trip on the common path (an unpaid cash-on-delivery order):
 * one batch holds the guarded status change — it applies only when the order is the caller's, still pending or
 * confirmed, unpaid `cod`, and the caller's account is active — followed by reads of the order (as the change
 * left it) and of the account, so every answer comes from that one batch. The route's guard trusts the token
 * (`check: 'token'`): the account is checked here, in the same round trip. When the change did not apply, the
 * order just read decides: a status that cannot be cancelled is a 409; a card order goes the general way
 * (`changeStatus`: the provider refunds or closes the checkout BEFORE the batch), without reading the order again.
 */
export async function cancelOwnOrder(db: Db, id: number, userId: number, payments?: PaymentHooks): Promise<OrderRecord> {
  const write = statusChangeStatements(db, {
    id, from: statusesBefore('cancelled'), to: 'cancelled', byUserId: userId, actor: 'customer', at: nowIso(),
    guard: sql`user_id = ${userId} AND payment_method = 'cod' AND payment_status = 'unpaid'
      AND EXISTS (SELECT 1 FROM users AS u WHERE u.id = ${userId} AND u.is_active = 1)`,
  });
  const orderRead = selectOrders(db).where(and(eq(orders.id, id), eq(orders.userId, userId)));
  const accountRead = accountStatusQuery(db, userId);
  const results = await writeBatch(db, [...write, orderRead, accountRead]);
  const refused = accountRefusal(rowsOf(accountRead, results[write.length + 1])[0]);
  if (refused) throw new AppError(refused.code, refused.detail);
  const [row] = rowsOf(orderRead, results[write.length]);
  if (!row) throw notFound('Order');
  const order = toOrderRecord(row);
  if (applied(results, write.length - 1)) return order;
  return changeStatus(db, id, 'cancelled', { userId, role: 'customer' }, userId, payments, order);
}

/** Deletes a cancelled order (items, history and idempotency records go with it); anything else is a 409. */
export async function deleteOrder(db: Db, id: number): Promise<void> {
  const deleted = await db.delete(orders).where(and(eq(orders.id, id), eq(orders.status, 'cancelled'))).returning({ id: orders.id });
  if (deleted.length) return;
  const [row] = await db.select({ status: orders.status }).from(orders).where(eq(orders.id, id));
  if (!row) throw notFound('Order');
  throw new AppError('invalid_status_transition', `Only cancelled orders can be deleted; this order is ${row.status}.`);
}

/**
 * The order read model: one SELECT gives orders with their items, status history and customer email (the items
 * and history come from correlated JSON subqueries on order_items(order_id) and order_status_history(order_id,
 * id)), so a page of orders costs one query whatever its size — never one query per order.
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { orders, users, type OrderRow } from '../db/schema';
import type { OrderStatus } from './order-status';

export interface OrderItemRecord {
  productId: number;
  productName: string;
  sku: string;
  unitPriceCents: number;
  quantity: number;
  subtotalCents: number;
}

export interface HistoryRecord {
  status: OrderStatus;
  byUserId: number | null;
  actor: string;
  at: string;
}

/** Everything an Order view needs; plain data, so it also crosses the cart Durable Object's RPC boundary. */
export interface OrderRecord {
  id: number;
  number: string;
  userId: number;
  userEmail?: string | null;
  status: OrderStatus;
  paymentMethod: OrderRow['paymentMethod'];
  paymentStatus: OrderRow['paymentStatus'];
  currency: string;
  subtotalCents: number;
  shippingCents: number;
  totalCents: number;
  /** JSON text of the validated address. */
  shippingAddress: string;
  note: string;
  createdAt: string;
  updatedAt: string;
  items: OrderItemRecord[];
  history: HistoryRecord[];
}

const itemsJson = sql<string>`(SELECT json_group_array(json_object('productId', i.product_id, 'productName', i.product_name, 'sku', i.sku, 'unitPriceCents', i.unit_price_cents, 'quantity', i.quantity, 'subtotalCents', i.subtotal_cents)) FROM (SELECT * FROM order_items AS oi WHERE oi.order_id = "orders"."id" ORDER BY oi.id) AS i)`;
const historyJson = sql<string>`(SELECT json_group_array(json_object('status', h.status, 'byUserId', h.by_user_id, 'actor', h.actor, 'at', h.at)) FROM (SELECT * FROM order_status_history AS sh WHERE sh.order_id = "orders"."id" ORDER BY sh.id) AS h)`;

const orderColumns = {
  id: orders.id,
  number: orders.number,
  userId: orders.userId,
  userEmail: users.email,
  status: orders.status,
  paymentMethod: orders.paymentMethod,
  paymentStatus: orders.paymentStatus,
  currency: orders.currency,
  subtotalCents: orders.subtotalCents,
  shippingCents: orders.shippingCents,
  totalCents: orders.totalCents,
  shippingAddress: orders.shippingAddress,
  note: orders.note,
  createdAt: orders.createdAt,
  updatedAt: orders.updatedAt,
  items: itemsJson,
  history: historyJson,
};

/** `SELECT <order columns> FROM orders JOIN users`; add where/order/limit, then map rows with `toOrderRecord`. */
export const selectOrders = (db: Db) => db.select(orderColumns).from(orders).leftJoin(users, eq(users.id, orders.userId));

type OrderSelectRow = Awaited<ReturnType<ReturnType<typeof selectOrders>['all']>>[number];

export function toOrderRecord(row: OrderSelectRow): OrderRecord {
  return {
    ...row,
    items: JSON.parse(row.items ?? '[]') as OrderItemRecord[],
    history: JSON.parse(row.history ?? '[]') as HistoryRecord[],
  };
}

/** Newest first; the id breaks ties between orders of the same millisecond. */
export const newestFirst = [sql`${orders.createdAt} DESC`, sql`${orders.id} DESC`] as const;

/** One order by id, optionally only when `where` holds too (e.g. it belongs to the caller). */
export async function findOrder(db: Db, where: SQL | undefined): Promise<OrderRecord | undefined> {
  const [row] = await selectOrders(db).where(where).limit(1);
  return row && toOrderRecord(row);
}

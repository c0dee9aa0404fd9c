/**
 * The admin dashboard's numbers: five read-only statements sent as ONE D1 batch, each answered from an index
 * (checked with EXPLAIN QUERY PLAN in test/admin-stats.test.ts), so the dashboard stays fast with 100,000 orders:
 * revenue walks only the last 30 days of `orders_revenue_idx` (covering), status counts are index searches per
 * status, low stock reads `products_active_stock_idx` in order, and top products join items to the 30-day range.
 */
import { ORDER_STATUSES } from '../db/schema';

/** An order earns revenue unless it is cancelled; a card order only once it is paid. */
const counted = (t = '') => `${t}status <> 'cancelled' AND (${t}payment_method = 'cod' OR ${t}payment_status = 'paid')`;

export const STATS_SQL = {
  /** ?1 = first day (ISO midnight UTC). Revenue and order count per UTC day that has any. */
  revenueByDay: `SELECT substr(created_at, 1, 10) AS day, SUM(total_cents) AS revenue, COUNT(*) AS orders
    FROM orders WHERE created_at >= ?1 AND ${counted()} GROUP BY day`,
  ordersByStatus: `SELECT ${ORDER_STATUSES.map((s) => `(SELECT COUNT(*) FROM orders WHERE status = '${s}') AS ${s}`).join(', ')}`,
  /** ?1 = threshold. */
  lowStock: `SELECT id, name, sku, stock FROM products WHERE is_active = 1 AND stock <= ?1 ORDER BY stock, id LIMIT 20`,
  /** ?1 = first day. CROSS JOIN keeps orders (the 30-day index range) as the outer loop. */
  topProducts: `SELECT oi.product_id AS product_id, COALESCE(p.name, MAX(oi.product_name)) AS name,
      SUM(oi.quantity) AS units, SUM(oi.subtotal_cents) AS revenue
    FROM orders AS o CROSS JOIN order_items AS oi ON oi.order_id = o.id LEFT JOIN products AS p ON p.id = oi.product_id
    WHERE o.created_at >= ?1 AND ${counted('o.')}
    GROUP BY oi.product_id ORDER BY units DESC, revenue DESC, oi.product_id LIMIT 10`,
  /** ?1 = first day. */
  customers: `SELECT (SELECT COUNT(*) FROM users WHERE role = 'customer') AS total,
    (SELECT COUNT(*) FROM users WHERE role = 'customer' AND date_joined >= ?1) AS new_last_30_days`,
} as const;

export interface StatsRows {
  revenueByDay: { day: string; revenue: number; orders: number }[];
  ordersByStatus: Record<(typeof ORDER_STATUSES)[number], number>;
  lowStock: { id: number; name: string; sku: string; stock: number }[];
  topProducts: { product_id: number; name: string; units: number; revenue: number }[];
  customers: { total: number; new_last_30_days: number };
}

/** Runs the five statements as one batch (one counted round trip). */
export async function readStats(d1: D1Database, firstDay: string, lowStockThreshold: number): Promise<StatsRows> {
  const [byDay, byStatus, low, top, customers] = await d1.batch([
    d1.prepare(STATS_SQL.revenueByDay).bind(firstDay),
    d1.prepare(STATS_SQL.ordersByStatus),
    d1.prepare(STATS_SQL.lowStock).bind(lowStockThreshold),
    d1.prepare(STATS_SQL.topProducts).bind(firstDay),
    d1.prepare(STATS_SQL.customers).bind(firstDay),
  ]);
  return {
    revenueByDay: byDay.results as StatsRows['revenueByDay'],
    ordersByStatus: byStatus.results[0] as StatsRows['ordersByStatus'],
    lowStock: low.results as StatsRows['lowStock'],
    topProducts: top.results as StatsRows['topProducts'],
    customers: customers.results[0] as StatsRows['customers'],
  };
}

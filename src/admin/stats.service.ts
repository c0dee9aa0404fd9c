/** Admin stats: the batch of src/admin/stats.queries.ts shaped into the dashboard answer (money as strings). */
import { formatMoney } from '../lib/money';
import { readStats } from './stats.queries';

const DAY_MS = 24 * 60 * 60 * 1000;
export const STATS_DAYS = 30;

/** The last `n` UTC dates up to today, oldest first: `YYYY-MM-DD`. */
export function lastDays(now: Date, n: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: n }, (_, i) => new Date(today - (n - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

/**
 * Revenue windows are whole UTC days: `today`, the last 7 days (today and the 6 before) and the last 30 days
 * (today and the 29 before), the same days as `revenue_by_day`, so the chart and the totals always agree.
 */
export async function adminStats(d1: D1Database, lowStockThreshold: number, now = new Date()) {
  const days = lastDays(now, STATS_DAYS);
  const rows = await readStats(d1, `${days[0]}T00:00:00.000Z`, lowStockThreshold);
  const byDay = new Map(rows.revenueByDay.map((r) => [r.day, r]));
  const series = days.map((date) => ({ date, cents: byDay.get(date)?.revenue ?? 0, orders: byDay.get(date)?.orders ?? 0 }));
  const sum = (last: number) => series.slice(-last).reduce((total, d) => total + d.cents, 0);
  return {
    revenue: { today: formatMoney(sum(1)), last_7_days: formatMoney(sum(7)), last_30_days: formatMoney(sum(30)) },
    revenue_by_day: series.map((d) => ({ date: d.date, revenue: formatMoney(d.cents), orders: d.orders })),
    orders_by_status: rows.ordersByStatus,
    low_stock: rows.lowStock.map((p) => ({ id: p.id, name: p.name, sku: p.sku, stock: p.stock })),
    top_products: rows.topProducts.map((p) => ({ product_id: p.product_id, name: p.name, units: p.units, revenue: formatMoney(p.revenue) })),
    customers: { total: rows.customers.total, new_last_30_days: rows.customers.new_last_30_days },
  };
}

/** Admin stats: query and answer (the contract of API.md's `/admin/stats/` row). */
import * as z from 'zod/mini';
import { ORDER_STATUSES } from '../db/schema';

export const StatsQuery = z.object({
  low_stock_threshold: z
    ._default(
      z.coerce
        .number({ error: 'must be a non-negative integer' })
        .check(z.int('must be a non-negative integer'), z.gte(0, 'must be a non-negative integer'), z.lte(1_000_000_000, 'must be at most 1000000000')),
      5,
    )
    .check(z.describe('Active products with stock at or below this are listed in `low_stock` (default 5)')),
});

const money = z.string().check(z.describe('Decimal string, two places'));

export const StatsView = z.object({
  revenue: z.object({ today: money, last_7_days: money, last_30_days: money }),
  revenue_by_day: z.array(z.object({ date: z.string().check(z.describe('YYYY-MM-DD (UTC)')), revenue: money, orders: z.int() })),
  orders_by_status: z.object(Object.fromEntries(ORDER_STATUSES.map((s) => [s, z.int()])) as Record<(typeof ORDER_STATUSES)[number], z.ZodMiniInt>),
  low_stock: z.array(z.object({ id: z.int(), name: z.string(), sku: z.string(), stock: z.int() })),
  top_products: z.array(z.object({ product_id: z.int(), name: z.string(), units: z.int(), revenue: money })),
  customers: z.object({ total: z.int(), new_last_30_days: z.int() }),
});

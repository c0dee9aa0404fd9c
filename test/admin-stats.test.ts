/** GET /api/v1/admin/stats/ on data the test creates (issue 10 items 4 and 5). */
import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { STATS_SQL } from '../src/admin/stats.queries';
import { orderItems, orders, users } from '../src/db/schema';
import { db, makeAdmin, makeProduct, makeUser, unique } from './helpers/factories';
import { api, d1Calls, expectProblem, json } from './helpers/http';

const DAY = 24 * 60 * 60 * 1000;
const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
/** Noon UTC `n` days ago, as stored in D1. */
const daysAgo = (n: number) => new Date(today - n * DAY + 12 * 60 * 60 * 1000).toISOString();
const dateOf = (n: number) => new Date(today - n * DAY).toISOString().slice(0, 10);

interface OrderSpec {
  userId: number;
  createdAt: string;
  status?: 'pending' | 'confirmed' | 'shipped' | 'delivered' | 'cancelled';
  paymentMethod?: 'cod' | 'card';
  paymentStatus?: 'unpaid' | 'paid' | 'refunded';
  lines: { product: { id: number; name: string; sku: string }; quantity: number; unitCents: number }[];
}

/** An order written straight into D1 with a chosen date and state (checkout always stamps "now"). */
async function insertOrder(spec: OrderSpec) {
  const total = spec.lines.reduce((t, l) => t + l.quantity * l.unitCents, 0);
  const [order] = await db()
    .insert(orders)
    .values({
      number: unique('ORD-').toUpperCase(), userId: spec.userId, status: spec.status ?? 'pending', paymentMethod: spec.paymentMethod ?? 'cod',
      paymentStatus: spec.paymentStatus ?? 'unpaid', subtotalCents: total, totalCents: total, shippingAddress: '{}', createdAt: spec.createdAt, updatedAt: spec.createdAt,
    })
    .returning();
  await db().insert(orderItems).values(
    spec.lines.map((l) => ({ orderId: order.id, productId: l.product.id, productName: l.product.name, sku: l.product.sku, unitPriceCents: l.unitCents, quantity: l.quantity, subtotalCents: l.quantity * l.unitCents })),
  );
  return order;
}

describe('admin stats', () => {
  it('computes revenue, the zero-filled chart, statuses, low stock, top products and customers in one D1 batch', async () => {
    const admin = await makeAdmin();
    const alice = await makeUser();
    const bob = await makeUser();
    const old = await makeUser();
    await db().update(users).set({ dateJoined: daysAgo(60) }).where(eq(users.id, old.id));
    const mug = await makeProduct({ name: 'Mug', stock: 0 });
    const pen = await makeProduct({ name: 'Pen', stock: 1 });
    const cap = await makeProduct({ name: 'Cap', stock: 5 });
    await makeProduct({ name: 'Hat', stock: 6 });
    await makeProduct({ name: 'Archived', stock: 0, isActive: false });

    await insertOrder({ userId: alice.id, createdAt: daysAgo(0), lines: [{ product: mug, quantity: 2, unitCents: 1000 }] }); // 20.00 today
    await insertOrder({ userId: bob.id, createdAt: daysAgo(0), status: 'confirmed', paymentMethod: 'card', paymentStatus: 'paid', lines: [{ product: pen, quantity: 1, unitCents: 250 }] }); // 2.50 today
    await insertOrder({ userId: bob.id, createdAt: daysAgo(0), paymentMethod: 'card', lines: [{ product: cap, quantity: 9, unitCents: 10000 }] }); // unpaid card: not counted
    await insertOrder({ userId: alice.id, createdAt: daysAgo(0), status: 'cancelled', lines: [{ product: cap, quantity: 9, unitCents: 10000 }] }); // cancelled: not counted
    await insertOrder({ userId: alice.id, createdAt: daysAgo(3), status: 'shipped', lines: [{ product: pen, quantity: 4, unitCents: 300 }] }); // 12.00
    await insertOrder({ userId: bob.id, createdAt: daysAgo(10), status: 'delivered', lines: [{ product: cap, quantity: 1, unitCents: 5000 }, { product: mug, quantity: 1, unitCents: 1000 }] }); // 60.00
    await insertOrder({ userId: bob.id, createdAt: daysAgo(29), lines: [{ product: mug, quantity: 1, unitCents: 99 }] }); // 0.99, first day of the window
    await insertOrder({ userId: bob.id, createdAt: daysAgo(30), lines: [{ product: mug, quantity: 50, unitCents: 100 }] }); // outside the window

    const res = await api('GET', '/api/v1/admin/stats/', { token: admin.token });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(d1Calls(res)).toBe(2); // the guard's fresh read of the admin + the one stats batch
    const stats = await json(res);
    expect(stats.revenue).toEqual({ today: '22.50', last_7_days: '34.50', last_30_days: '95.49' });
    expect(stats.revenue_by_day).toHaveLength(30);
    expect(stats.revenue_by_day.map((d: any) => d.date)).toEqual(Array.from({ length: 30 }, (_, i) => dateOf(29 - i)));
    const day = (n: number) => stats.revenue_by_day[29 - n];
    expect([day(0), day(3), day(10), day(29)]).toEqual([
      { date: dateOf(0), revenue: '22.50', orders: 2 },
      { date: dateOf(3), revenue: '12.00', orders: 1 },
      { date: dateOf(10), revenue: '60.00', orders: 1 },
      { date: dateOf(29), revenue: '0.99', orders: 1 },
    ]);
    expect(day(1)).toEqual({ date: dateOf(1), revenue: '0.00', orders: 0 }); // a zero-filled day
    expect(stats.orders_by_status).toEqual({ pending: 4, confirmed: 1, shipped: 1, delivered: 1, cancelled: 1 });
    expect(stats.low_stock.map((p: any) => [p.name, p.stock])).toEqual([['Mug', 0], ['Pen', 1], ['Cap', 5]]);
    expect(stats.top_products).toEqual([
      { product_id: pen.id, name: 'Pen', units: 5, revenue: '14.50' },
      { product_id: mug.id, name: 'Mug', units: 4, revenue: '30.99' },
      { product_id: cap.id, name: 'Cap', units: 1, revenue: '50.00' },
    ]);
    expect(stats.customers).toEqual({ total: 3, new_last_30_days: 2 });

    const low = await json(await api('GET', '/api/v1/admin/stats/?low_stock_threshold=0', { token: admin.token }));
    expect(low.low_stock.map((p: any) => p.name)).toEqual(['Mug']);
  });

  it('reads every statement from an index: no full scan of orders, products or users', async () => {
    const first = `${dateOf(29)}T00:00:00.000Z`;
    const binds: Record<string, unknown[]> = { revenueByDay: [first], ordersByStatus: [], lowStock: [5], topProducts: [first], customers: [first] };
    for (const [name, text] of Object.entries(STATS_SQL)) {
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${text}`).bind(...binds[name]).all<{ detail: string }>();
      const plan = results.map((r) => r.detail);
      for (const step of plan) {
        expect(step, `${name}: ${plan.join(' | ')}`).not.toMatch(/^SCAN (orders|o|products|p|users|order_items|oi)\b(?! USING)/);
        expect(step, `${name}: ${plan.join(' | ')}`).not.toMatch(/^SCAN (orders|o)\b/);
      }
      expect(plan.some((s) => /USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY/.test(s)), `${name}: ${plan.join(' | ')}`).toBe(true);
    }
  });

  it('is for admins only, and validates the threshold', async () => {
    const customer = await makeUser();
    const admin = await makeAdmin();
    await expectProblem(await api('GET', '/api/v1/admin/stats/'), 401, 'not_authenticated');
    await expectProblem(await api('GET', '/api/v1/admin/stats/', { token: customer.token }), 403, 'permission_denied');
    await expectProblem(await api('GET', '/api/v1/admin/stats/?low_stock_threshold=-1', { token: admin.token }), 400, 'validation_error');
    await expectProblem(await api('GET', '/api/v1/admin/stats/?low_stock_threshold=lots', { token: admin.token }), 400, 'validation_error');
  });
});

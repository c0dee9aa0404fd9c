/**
 * Races fired at once (Promise.all), asserting invariants: no oversold unit, no lost cart update, one order per
 * idempotent request.
 */
import { eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { orderItems, orders } from '../src/db/schema';
import { api, expectProblem, json } from './helpers/http';
import { db, makeProduct, makeUser } from './helpers/factories';
import { addToCart, checkout, checkoutBody, ordersOf, stockOf } from './helpers/shop';

describe('checkout under concurrency', () => {
  it('40 buyers of 10 units: exactly 10 orders, 30 insufficient_stock, stock 0', async () => {
    const p = await makeProduct({ stock: 10 });
    const buyers = await Promise.all(Array.from({ length: 40 }, () => makeUser()));
    await Promise.all(buyers.map((b) => addToCart(b.token, p.id, 1)));
    const answers = await Promise.all(buyers.map((b) => checkout(b.token)));
    const created = answers.filter((r) => r.status === 201);
    const refused = answers.filter((r) => r.status === 409);
    expect(created).toHaveLength(10);
    expect(refused).toHaveLength(30);
    for (const r of refused) {
      const body = await expectProblem(r, 409, 'insufficient_stock');
      expect(body.errors).toEqual([{ field: `items[${p.id}]`, message: expect.any(String), available: 0 }]);
    }
    expect(await stockOf(p.id)).toBe(0);
    const sold = await db().select().from(orderItems).where(eq(orderItems.productId, p.id));
    expect(sold.reduce((n, i) => n + i.quantity, 0)).toBe(10);
  });

  it('one user’s 50 concurrent "add 1" leave quantity 50', async () => {
    const user = await makeUser();
    const p = await makeProduct({ stock: 100 });
    const answers = await Promise.all(Array.from({ length: 50 }, () => api('POST', '/api/v1/cart/', { token: user.token, body: { product_id: p.id, quantity: 1 } })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(49);
    const cart = await json(await api('GET', '/api/v1/cart/', { token: user.token }));
    expect(cart.items).toHaveLength(1);
    expect(cart.items[0].quantity).toBe(50);
  });

  it('10 concurrent checkouts with one Idempotency-Key create one order, all answering it', async () => {
    const user = await makeUser();
    const p = await makeProduct({ stock: 20 });
    await addToCart(user.token, p.id, 2);
    const answers = await Promise.all(Array.from({ length: 10 }, () => checkout(user.token, checkoutBody(), 'one-key')));
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(201));
    const ids = new Set(await Promise.all(answers.map(async (r) => (await json(r)).id)));
    expect(ids.size).toBe(1);
    expect(answers.filter((r) => r.headers.get('Idempotent-Replayed') === 'true')).toHaveLength(9);
    expect(await ordersOf(user.id)).toHaveLength(1);
    expect(await stockOf(p.id)).toBe(18);
  });

  it('10 concurrent checkouts without a key: one order, the rest cart_empty, stock decremented once', async () => {
    const user = await makeUser();
    const p = await makeProduct({ stock: 20 });
    await addToCart(user.token, p.id, 3);
    const answers = await Promise.all(Array.from({ length: 10 }, () => checkout(user.token)));
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of answers.filter((r) => r.status !== 201)) await expectProblem(r, 409, 'cart_empty');
    expect(await ordersOf(user.id)).toHaveLength(1);
    expect(await stockOf(p.id)).toBe(17);
  });

  it('adds racing a checkout are never lost: each lands in the order or stays in the cart', async () => {
    const user = await makeUser();
    const a = await makeProduct({ stock: 50 });
    const b = await makeProduct({ stock: 50 });
    await addToCart(user.token, a.id, 1);
    const adds = Array.from({ length: 8 }, () => api('POST', '/api/v1/cart/', { token: user.token, body: { product_id: b.id, quantity: 1 } }));
    const [order] = await Promise.all([checkout(user.token), ...adds]);
    expect(order.status).toBe(201);
    const ordered = (await json(order)).items.find((i: any) => i.product_id === b.id)?.quantity ?? 0;
    const cart = await json(await api('GET', '/api/v1/cart/', { token: user.token }));
    const left = cart.items.find((i: any) => i.product.id === b.id)?.quantity ?? 0;
    expect(ordered + left).toBe(8);
    expect(await stockOf(b.id)).toBe(50 - ordered);
  });

  it('many buyers of several products: stock never goes below zero and every unit sold is in an order', async () => {
    const items = await Promise.all([makeProduct({ stock: 4 }), makeProduct({ stock: 6 }), makeProduct({ stock: 3 })]);
    const buyers = await Promise.all(Array.from({ length: 12 }, () => makeUser()));
    // Each buyer wants one of everything, some two of the first product.
    await Promise.all(buyers.map(async (b, n) => {
      await addToCart(b.token, items[0].id, 1 + (n % 2));
      await addToCart(b.token, items[1].id, 1);
      await addToCart(b.token, items[2].id, 1);
    }));
    const answers = await Promise.all(buyers.map((b) => checkout(b.token)));
    expect(answers.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const created = answers.filter((r) => r.status === 201).length;
    expect(created).toBeGreaterThan(0);
    const placed = await db().select({ id: orders.id }).from(orders).where(inArray(orders.userId, buyers.map((b) => b.id)));
    expect(placed).toHaveLength(created);
    for (const p of items) {
      const stock = await stockOf(p.id);
      expect(stock).toBeGreaterThanOrEqual(0);
      const sold = await db().select().from(orderItems).where(eq(orderItems.productId, p.id));
      expect(sold.reduce((n, i) => n + i.quantity, 0) + stock).toBe(p.stock);
    }
  });
});

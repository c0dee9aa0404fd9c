import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { orderItems, orders, orderStatusHistory } from '../src/db/schema';
import { api, d1Calls, expectProblem, json } from './helpers/http';
import { db, makeAdmin, makeProduct, makeUser, type TestUser } from './helpers/factories';
import { addToCart, checkout, stockOf } from './helpers/shop';

async function placeOrder(user: TestUser, stock = 10, quantity = 1) {
  const p = await makeProduct({ stock });
  await addToCart(user.token, p.id, quantity);
  const res = await checkout(user.token);
  expect(res.status).toBe(201);
  return { order: await json(res), product: p };
}

const patch = (admin: TestUser, id: number, status: unknown) => api('PATCH', `/api/v1/admin/orders/${id}/`, { token: admin.token, body: { status } });

describe('admin orders: workflow', () => {
  it('moves an order pending → confirmed → shipped → delivered, recording who did it', async () => {
    const admin = await makeAdmin();
    const user = await makeUser();
    const { order, product } = await placeOrder(user, 5, 2);
    for (const status of ['confirmed', 'shipped', 'delivered']) {
      const res = await patch(admin, order.id, status);
      expect(res.status).toBe(200);
      expect((await json(res)).status).toBe(status);
    }
    const detail = await json(await api('GET', `/api/v1/admin/orders/${order.id}/`, { token: admin.token }));
    expect(detail.user).toEqual({ id: user.id, email: user.email });
    expect(detail.status_history.map((h: any) => [h.status, h.by, h.by_user_id])).toEqual([
      ['pending', 'customer', user.id],
      ['confirmed', 'staff', admin.id],
      ['shipped', 'staff', admin.id],
      ['delivered', 'staff', admin.id],
    ]);
    expect(await stockOf(product.id)).toBe(3);
    // Regression (issue 14): the customer sees the same history by actor kind, never the admin's user id.
    const own = await json(await api('GET', `/api/v1/orders/${order.id}/`, { token: user.token }));
    expect(own.status_history).toEqual(detail.status_history.map(({ by_user_id: _, ...h }: any) => h));
    expect(JSON.stringify(own)).not.toContain('by_user_id');
  });

  it.each([
    [[], 'shipped'],
    [[], 'delivered'],
    [[], 'pending'],
    [['confirmed', 'shipped'], 'cancelled'],
    [['confirmed', 'shipped'], 'confirmed'],
    [['confirmed', 'shipped', 'delivered'], 'shipped'],
    [['cancelled'], 'pending'],
    [['cancelled'], 'confirmed'],
  ])('after %j refuses %s with 409 invalid_status_transition', async (path, to) => {
    const admin = await makeAdmin();
    const { order, product } = await placeOrder(await makeUser(), 5, 1);
    for (const s of path) expect((await patch(admin, order.id, s)).status).toBe(200);
    const stock = await stockOf(product.id);
    await expectProblem(await patch(admin, order.id, to), 409, 'invalid_status_transition');
    expect(await stockOf(product.id)).toBe(stock);
    const history = await db().select().from(orderStatusHistory).where(eq(orderStatusHistory.orderId, order.id));
    expect(history).toHaveLength(1 + path.length);
  });

  it('cancels a confirmed order and restores its stock in the same batch', async () => {
    const admin = await makeAdmin();
    const { order, product } = await placeOrder(await makeUser(), 5, 3);
    await patch(admin, order.id, 'confirmed');
    expect(await stockOf(product.id)).toBe(2);
    const res = await patch(admin, order.id, 'cancelled');
    expect(res.status).toBe(200);
    expect(d1Calls(res)).toBe(3); // the admin guard's account read, the order read, the batch
    const body = await json(res);
    expect(body.status).toBe('cancelled');
    expect(body.status_history.at(-1)).toEqual({ status: 'cancelled', at: body.updated_at, by: 'staff', by_user_id: admin.id });
    expect(await stockOf(product.id)).toBe(5);
  });

  it('validates the status value', async () => {
    const admin = await makeAdmin();
    const { order } = await placeOrder(await makeUser());
    await expectProblem(await patch(admin, order.id, 'lost'), 400, 'validation_error');
    await expectProblem(await api('PATCH', `/api/v1/admin/orders/${order.id}/`, { token: admin.token, body: {} }), 400, 'validation_error');
    await expectProblem(await patch(admin, 999999, 'confirmed'), 404, 'not_found');
    await expectProblem(await patch(admin, 0, 'confirmed'), 404, 'not_found');
    await expectProblem(await api('GET', '/api/v1/admin/orders/99999999999999999999/', { token: admin.token }), 404, 'not_found');
    await expectProblem(await api('DELETE', '/api/v1/admin/orders/0/', { token: admin.token }), 404, 'not_found');
  });

  it('deletes only cancelled orders, with their items and history', async () => {
    const admin = await makeAdmin();
    const { order } = await placeOrder(await makeUser());
    await expectProblem(await api('DELETE', `/api/v1/admin/orders/${order.id}/`, { token: admin.token }), 409, 'invalid_status_transition');
    await patch(admin, order.id, 'cancelled');
    expect((await api('DELETE', `/api/v1/admin/orders/${order.id}/`, { token: admin.token })).status).toBe(204);
    await expectProblem(await api('GET', `/api/v1/admin/orders/${order.id}/`, { token: admin.token }), 404, 'not_found');
    await expectProblem(await api('DELETE', `/api/v1/admin/orders/${order.id}/`, { token: admin.token }), 404, 'not_found');
    expect(await db().select().from(orderItems).where(eq(orderItems.orderId, order.id))).toEqual([]);
    expect(await db().select().from(orderStatusHistory).where(eq(orderStatusHistory.orderId, order.id))).toEqual([]);
  });
});

describe('admin orders: list and filters', () => {
  it('lists every user’s orders newest first, filtered by status, user, dates and search, in one round trip (plus the guard’s account read)', async () => {
    const admin = await makeAdmin();
    const alice = await makeUser({ email: `alice-${Date.now()}@shop.example` });
    const bob = await makeUser();
    const a1 = (await placeOrder(alice)).order;
    const a2 = (await placeOrder(alice)).order;
    const b1 = (await placeOrder(bob)).order;
    await db().update(orders).set({ createdAt: '2026-01-10T12:00:00.000Z' }).where(eq(orders.id, a1.id));
    await db().update(orders).set({ createdAt: '2026-01-20T23:59:59.999Z' }).where(eq(orders.id, a2.id));
    await db().update(orders).set({ createdAt: '2026-02-01T00:00:00.000Z' }).where(eq(orders.id, b1.id));
    await patch(admin, a2.id, 'confirmed');
    const mine = new Set([a1.id, a2.id, b1.id]);
    const list = async (qs: string) => {
      const res = await api('GET', `/api/v1/admin/orders/?page_size=100&${qs}`, { token: admin.token });
      expect(res.status, await res.clone().text()).toBe(200);
      expect(d1Calls(res)).toBe(2); // the admin guard's account read + the page batch
      return (await json(res)).results.map((o: any) => o.id).filter((id: number) => mine.has(id));
    };
    expect(await list('')).toEqual([b1.id, a2.id, a1.id]);
    expect(await list('status=confirmed')).toEqual([a2.id]);
    expect(await list(`user_id=${alice.id}`)).toEqual([a2.id, a1.id]);
    expect(await list('created_after=2026-01-15&created_before=2026-01-20')).toEqual([a2.id]);
    expect(await list('created_before=2026-01-31T23:59:59Z')).toEqual([a2.id, a1.id]);
    expect(await list('created_after=2026-02-01T00:00:00.000Z')).toEqual([b1.id]);
    expect(await list(`search=${encodeURIComponent(a1.number.toLowerCase())}`)).toEqual([a1.id]);
    expect(await list(`search=${encodeURIComponent(alice.email.toUpperCase())}`)).toEqual([a2.id, a1.id]);
    expect(await list('search=%25')).toEqual([]);
    const first = (await json(await api('GET', `/api/v1/admin/orders/?user_id=${bob.id}`, { token: admin.token }))).results[0];
    expect(first).toMatchObject({ id: b1.id, number: b1.number, user: { id: bob.id, email: bob.email }, items: b1.items });
  });

  it('searches by a whole long email (over 50 characters) and treats % and _ literally', async () => {
    const admin = await makeAdmin();
    const email = `a-very-long-mailbox-name-for-search-${Date.now()}@orders.long-domain.example`;
    expect(email.length).toBeGreaterThan(60);
    const user = await makeUser({ email });
    const { order } = await placeOrder(user);
    const search = async (term: string) => {
      const res = await api('GET', `/api/v1/admin/orders/?search=${encodeURIComponent(term)}`, { token: admin.token });
      expect(res.status, await res.clone().text()).toBe(200);
      return (await json(res)).results.map((o: any) => o.id);
    };
    expect(await search(email)).toEqual([order.id]);
    expect(await search(email.toUpperCase())).toEqual([order.id]);
    expect(await search('x'.repeat(254))).toEqual([]);
    expect(await search('%_'.repeat(40))).toEqual([]);
  });

  it.each(['created_after=yesterday', 'created_before=2026-02-30', 'status=lost', 'user_id=abc', 'page=0'])('refuses %s with 400', async (qs) => {
    const admin = await makeAdmin();
    await expectProblem(await api('GET', `/api/v1/admin/orders/?${qs}`, { token: admin.token }), 400, 'validation_error');
  });
});

describe('admin orders: security', () => {
  it('401 without a token, 403 for customers, on every admin order route', async () => {
    const customer = await makeUser();
    const { order } = await placeOrder(customer);
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/v1/admin/orders/'],
      ['GET', `/api/v1/admin/orders/${order.id}/`],
      ['PATCH', `/api/v1/admin/orders/${order.id}/`, { status: 'confirmed' }],
      ['DELETE', `/api/v1/admin/orders/${order.id}/`],
    ];
    for (const [method, path, body] of routes) {
      await expectProblem(await api(method, path, { body }), 401, 'not_authenticated');
      await expectProblem(await api(method, path, { token: customer.token, body }), 403, 'permission_denied');
    }
    expect((await json(await api('GET', `/api/v1/orders/${order.id}/`, { token: customer.token }))).status).toBe('pending');
  });
});

import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import { idempotencyRecords, orderItems, orders, orderStatusHistory, products, users } from '../src/db/schema';
import { api, d1Calls, expectProblem, json } from './helpers/http';
import { db, makeAdmin, makeProduct, makeUser } from './helpers/factories';
import { addToCart, address, checkout, checkoutBody, ordersOf, stockOf } from './helpers/shop';

const cartItems = async (token: string) => (await json(await api('GET', '/api/v1/cart/', { token }))).items as any[];

describe('checkout: happy path', () => {
  it('places the order in ONE D1 round trip (the batch also checks the account): 201 order, stock decremented, cart emptied', async () => {
    const user = await makeUser();
    const a = await makeProduct({ priceCents: 1299, stock: 5 });
    const b = await makeProduct({ priceCents: 250, stock: 3 });
    await addToCart(user.token, a.id, 2);
    await addToCart(user.token, b.id, 3);
    const res = await checkout(user.token, checkoutBody({ note: 'Leave at the door' }));
    expect(res.status, await res.clone().text()).toBe(201);
    // The checkout batch is the only round trip: it checks the account and computes prices, totals and stock itself.
    expect(d1Calls(res)).toBe(1);
    const order = await json(res);
    expect(res.headers.get('Location')).toBe(`https://api.test/api/v1/orders/${order.id}/`);
    expect(res.headers.get('Idempotent-Replayed')).toBeNull();
    expect(order).toEqual({
      id: expect.any(Number),
      number: expect.stringMatching(/^ORD-[0-9A-HJKMNP-TV-Z]{8}$/),
      status: 'pending',
      payment_method: 'cod',
      payment_status: 'unpaid',
      items: [
        { product_id: a.id, product_name: a.name, sku: a.sku, unit_price: '12.99', quantity: 2, subtotal: '25.98' },
        { product_id: b.id, product_name: b.name, sku: b.sku, unit_price: '2.50', quantity: 3, subtotal: '7.50' },
      ],
      item_count: 5,
      subtotal: '33.48',
      shipping_total: '0.00',
      total: '33.48',
      currency: 'usd',
      shipping_address: { ...address(), line2: null, phone: null },
      note: 'Leave at the door',
      status_history: [{ status: 'pending', at: order.created_at, by: 'customer' }],
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updated_at: order.created_at,
    });
    expect(await stockOf(a.id)).toBe(3);
    expect(await stockOf(b.id)).toBe(0);
    expect(await cartItems(user.token)).toEqual([]);
    // The detail route answers exactly what checkout answered.
    expect(await json(await api('GET', `/api/v1/orders/${order.id}/`, { token: user.token }))).toEqual(order);
  });

  it('snapshots the current price at checkout; later catalog changes do not touch the order', async () => {
    const user = await makeUser();
    const p = await makeProduct({ priceCents: 1000 });
    await addToCart(user.token, p.id, 1);
    await db().update(products).set({ priceCents: 1500 }).where(eq(products.id, p.id));
    const order = await json(await checkout(user.token));
    expect(order.items[0].unit_price).toBe('15.00');
    await db().update(products).set({ priceCents: 9900, name: 'Renamed' }).where(eq(products.id, p.id));
    const again = await json(await api('GET', `/api/v1/orders/${order.id}`, { token: user.token }));
    expect(again.items[0]).toMatchObject({ unit_price: '15.00', product_name: p.name });
    expect(again.total).toBe('15.00');
  });

  it('normalizes the address: country in either case, optional parts kept', async () => {
    const user = await makeUser();
    await addToCart(user.token, (await makeProduct()).id);
    const body = checkoutBody({ shipping_address: address({ country: 'us', line2: 'Apt 4', phone: '+1 (555) 010-9999' }) });
    const order = await json(await checkout(user.token, body));
    expect(order.shipping_address).toEqual({ ...address(), country: 'US', line2: 'Apt 4', phone: '+1 (555) 010-9999' });
  });
});

describe('checkout: refusals', () => {
  it('answers 401 (not a 500) when the account was deleted after its token was issued; nothing is written', async () => {
    const user = await makeUser();
    const p = await makeProduct({ stock: 4 });
    await addToCart(user.token, p.id, 2);
    await db().delete(users).where(eq(users.id, user.id));
    await expectProblem(await checkout(user.token), 401, 'not_authenticated');
    expect(await stockOf(p.id)).toBe(4);
    expect(await ordersOf(user.id)).toHaveLength(0);
  });

  it('answers 409 cart_empty for an empty cart', async () => {
    const user = await makeUser();
    await expectProblem(await checkout(user.token), 409, 'cart_empty');
  });

  it('lists every short line with what is available, and writes nothing', async () => {
    const user = await makeUser();
    const ok = await makeProduct({ stock: 10 });
    const shortA = await makeProduct({ stock: 5 });
    const shortB = await makeProduct({ stock: 5 });
    await addToCart(user.token, ok.id, 2);
    await addToCart(user.token, shortA.id, 4);
    await addToCart(user.token, shortB.id, 5);
    // Others bought in the meantime.
    await db().update(products).set({ stock: 1 }).where(eq(products.id, shortA.id));
    await db().update(products).set({ stock: 0 }).where(eq(products.id, shortB.id));
    const body = await expectProblem(await checkout(user.token), 409, 'insufficient_stock');
    expect(body.errors).toEqual([
      { field: `items[${shortA.id}]`, message: expect.any(String), available: 1 },
      { field: `items[${shortB.id}]`, message: expect.any(String), available: 0 },
    ]);
    expect(await ordersOf(user.id)).toEqual([]);
    expect([await stockOf(ok.id), await stockOf(shortA.id), await stockOf(shortB.id)]).toEqual([10, 1, 0]);
    expect((await cartItems(user.token)).map((i) => i.quantity)).toEqual([2, 4, 5]);
  });

  it('refuses (409, available 0) a product archived after it was added, writing nothing', async () => {
    const user = await makeUser();
    const p = await makeProduct({ stock: 4 });
    const other = await makeProduct({ stock: 4 });
    await addToCart(user.token, p.id, 1);
    await addToCart(user.token, other.id, 1);
    await db().update(products).set({ isActive: false }).where(eq(products.id, p.id));
    const body = await expectProblem(await checkout(user.token), 409, 'insufficient_stock');
    expect(body.errors).toEqual([{ field: `items[${p.id}]`, message: expect.stringContaining('no longer available'), available: 0 }]);
    expect(await stockOf(other.id)).toBe(4);
    expect(await ordersOf(user.id)).toEqual([]);
  });

  it.each([
    [{ shipping_address: address({ full_name: '' }) }, 'shipping_address.full_name'],
    [{ shipping_address: address({ line1: undefined }) }, 'shipping_address.line1'],
    [{ shipping_address: address({ city: '   ' }) }, 'shipping_address.city'],
    [{ shipping_address: address({ postal_code: '<script>' }) }, 'shipping_address.postal_code'],
    [{ shipping_address: address({ country: 'XX' }) }, 'shipping_address.country'],
    [{ shipping_address: address({ country: 'USA' }) }, 'shipping_address.country'],
    [{ shipping_address: address({ phone: 'call me' }) }, 'shipping_address.phone'],
    [{ shipping_address: undefined }, 'shipping_address'],
    [{ payment_method: 'bitcoin' }, 'payment_method'],
    [{ payment_method: undefined }, 'payment_method'],
    [{ note: 'x'.repeat(1001) }, 'note'],
  ])('validates the body (%j → %s)', async (over, field) => {
    const user = await makeUser();
    await addToCart(user.token, (await makeProduct()).id);
    const body = await expectProblem(await checkout(user.token, checkoutBody(over)), 400, 'validation_error');
    expect(body.errors?.map((e) => e.field)).toContain(field);
  });

  it('refuses card payments with 400 when Stripe is not configured, and keeps the cart', async () => {
    const user = await makeUser();
    const p = await makeProduct({ stock: 2 });
    await addToCart(user.token, p.id);
    // The same Worker with only one Stripe secret: card payments are off (both are needed).
    const noStripe = { ...env, STRIPE_SECRET_KEY: undefined };
    const req = new Request('https://api.test/api/v1/orders/', {
      method: 'POST',
      headers: { Authorization: `Bearer ${user.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(checkoutBody({ payment_method: 'card' })),
    });
    const ctx = createExecutionContext();
    const res = await worker.fetch(req, noStripe, ctx);
    await waitOnExecutionContext(ctx);
    const body = await expectProblem(res, 400, 'validation_error');
    expect(body.errors).toEqual([{ field: 'payment_method', message: expect.stringContaining('card') }]);
    expect(await stockOf(p.id)).toBe(2);
    expect(await cartItems(user.token)).toHaveLength(1);
  });

  it('on any other batch failure: 500 problem with the request id, nothing written, cart untouched', async () => {
    const user = await makeUser();
    const p = await makeProduct({ stock: 5 });
    await addToCart(user.token, p.id, 2);
    // Test-only fault, from outside the app: a trigger makes the batch's order-item insert fail (not a stock check).
    const trigger = `test_fault_${p.id}`;
    await env.DB.prepare(`CREATE TRIGGER ${trigger} BEFORE INSERT ON order_items WHEN NEW.product_id = ${p.id} BEGIN SELECT RAISE(ABORT, 'test fault'); END`).run();
    const res = await checkout(user.token, checkoutBody(), 'fault-key-1');
    const problem = await expectProblem(res, 500, 'internal_error');
    expect(problem.detail).not.toMatch(/SQL|constraint|INSERT/i);
    expect(await ordersOf(user.id)).toEqual([]);
    expect(await db().select().from(idempotencyRecords).where(eq(idempotencyRecords.userId, user.id))).toEqual([]);
    expect(await stockOf(p.id)).toBe(5);
    expect((await cartItems(user.token)).map((i) => i.quantity)).toEqual([2]);
    // Once the fault is gone the same key places the order: the failure was not remembered.
    await env.DB.prepare(`DROP TRIGGER ${trigger}`).run();
    expect((await checkout(user.token, checkoutBody(), 'fault-key-1')).status).toBe(201);
    expect(await stockOf(p.id)).toBe(3);
  });
});

describe('orders: own list and detail', () => {
  it('lists own orders newest first, paginated, with a status filter, in one D1 round trip', async () => {
    const user = await makeUser();
    const other = await makeUser();
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      await addToCart(user.token, (await makeProduct()).id, i + 1);
      ids.push((await json(await checkout(user.token))).id);
    }
    await addToCart(other.token, (await makeProduct()).id);
    await checkout(other.token);
    await api('POST', `/api/v1/orders/${ids[0]}/cancel/`, { token: user.token });

    const res = await api('GET', '/api/v1/orders/?page_size=2', { token: user.token });
    expect(d1Calls(res)).toBe(1);
    const page1 = await json(res);
    expect(page1.count).toBe(3);
    expect(page1.results.map((o: any) => o.id)).toEqual([ids[2], ids[1]]);
    expect(page1.results[0].items).toHaveLength(1);
    expect(page1.results[0].item_count).toBe(3);
    expect(page1.next).toBe('https://api.test/api/v1/orders/?page_size=2&page=2');
    const page2 = await json(await api('GET', page1.next.replace('https://api.test', ''), { token: user.token }));
    expect(page2.results.map((o: any) => o.id)).toEqual([ids[0]]);
    expect(page2.results[0].status_history.map((h: any) => h.status)).toEqual(['pending', 'cancelled']);

    const cancelled = await json(await api('GET', '/api/v1/orders/?status=cancelled', { token: user.token }));
    expect(cancelled.results.map((o: any) => o.id)).toEqual([ids[0]]);
    await expectProblem(await api('GET', '/api/v1/orders/?status=lost', { token: user.token }), 400, 'validation_error');
    await expectProblem(await api('GET', '/api/v1/orders/?page=9', { token: user.token }), 404, 'not_found');
  });

  it('answers 404 for another user’s order and for unknown ids', async () => {
    const owner = await makeUser();
    const stranger = await makeUser();
    await addToCart(owner.token, (await makeProduct()).id);
    const order = await json(await checkout(owner.token));
    await expectProblem(await api('GET', `/api/v1/orders/${order.id}/`, { token: stranger.token }), 404, 'not_found');
    await expectProblem(await api('POST', `/api/v1/orders/${order.id}/cancel/`, { token: stranger.token }), 404, 'not_found');
    await expectProblem(await api('GET', '/api/v1/orders/999999/', { token: owner.token }), 404, 'not_found');
    await expectProblem(await api('GET', '/api/v1/orders/0/', { token: owner.token }), 404, 'not_found');
    await expectProblem(await api('POST', '/api/v1/orders/99999999999999999999/cancel/', { token: owner.token }), 404, 'not_found');
    expect((await json(await api('GET', '/api/v1/orders/', { token: stranger.token }))).count).toBe(0);
  });

  it('requires a token', async () => {
    await expectProblem(await api('GET', '/api/v1/orders/'), 401, 'not_authenticated');
    await expectProblem(await api('POST', '/api/v1/orders/', { body: checkoutBody() }), 401, 'not_authenticated');
    await expectProblem(await api('GET', '/api/v1/orders/1/'), 401, 'not_authenticated');
    await expectProblem(await api('POST', '/api/v1/orders/1/cancel/'), 401, 'not_authenticated');
  });
});

describe('orders: cancel', () => {
  it('cancels a pending order and restores its stock in the same batch', async () => {
    const user = await makeUser();
    const a = await makeProduct({ stock: 5 });
    const b = await makeProduct({ stock: 5 });
    await addToCart(user.token, a.id, 2);
    await addToCart(user.token, b.id, 5);
    const order = await json(await checkout(user.token));
    expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([3, 0]);
    const res = await api('POST', `/api/v1/orders/${order.id}/cancel/`, { token: user.token });
    expect(res.status).toBe(200);
    expect(d1Calls(res)).toBe(1); // one batch: the guarded change, then the order and the account read back
    const cancelled = await json(res);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.status_history).toEqual([
      { status: 'pending', at: order.created_at, by: 'customer' },
      { status: 'cancelled', at: cancelled.updated_at, by: 'customer' },
    ]);
    expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([5, 5]);
    expect(await json(await api('GET', `/api/v1/orders/${order.id}/`, { token: user.token }))).toEqual(cancelled);
  });

  it('refuses to cancel twice (409) and never restores stock twice, even concurrently', async () => {
    const user = await makeUser();
    const p = await makeProduct({ stock: 10 });
    await addToCart(user.token, p.id, 4);
    const order = await json(await checkout(user.token));
    const answers = await Promise.all(Array.from({ length: 6 }, () => api('POST', `/api/v1/orders/${order.id}/cancel/`, { token: user.token })));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    for (const r of answers.filter((r) => r.status === 409)) await expectProblem(r, 409, 'invalid_status_transition');
    expect(await stockOf(p.id)).toBe(10);
    const history = await db().select().from(orderStatusHistory).where(eq(orderStatusHistory.orderId, order.id));
    expect(history.map((h) => h.status)).toEqual(['pending', 'cancelled']);
  });

  it('cancels a confirmed order too, in one round trip, with its stock back', async () => {
    const user = await makeUser();
    const admin = await makeAdmin();
    const a = await makeProduct({ stock: 4 });
    await addToCart(user.token, a.id, 3);
    const order = await json(await checkout(user.token));
    expect((await api('PATCH', `/api/v1/admin/orders/${order.id}/`, { token: admin.token, body: { status: 'confirmed' } })).status).toBe(200);
    const res = await api('POST', `/api/v1/orders/${order.id}/cancel/`, { token: user.token });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(d1Calls(res)).toBe(1);
    expect((await json(res)).status_history.map((h: any) => h.status)).toEqual(['pending', 'confirmed', 'cancelled']);
    expect(await stockOf(a.id)).toBe(4);
  });

  it('refuses to cancel a shipped order', async () => {
    const user = await makeUser();
    const p = await makeProduct({ stock: 3 });
    await addToCart(user.token, p.id, 1);
    const order = await json(await checkout(user.token));
    await db().update(orders).set({ status: 'shipped' }).where(eq(orders.id, order.id));
    await expectProblem(await api('POST', `/api/v1/orders/${order.id}/cancel/`, { token: user.token }), 409, 'invalid_status_transition');
    expect(await stockOf(p.id)).toBe(2);
    expect(await db().select().from(orderItems).where(eq(orderItems.orderId, order.id))).toHaveLength(1);
  });
});

describe('orders: documentation', () => {
  it('describes the cart, order and admin order routes in the OpenAPI document', async () => {
    const doc = await json(await api('GET', '/api/v1/openapi.json'));
    const paths = doc.paths as Record<string, Record<string, any>>;
    expect(Object.keys(paths['/api/v1/cart/']).sort()).toEqual(['delete', 'get', 'post']);
    expect(Object.keys(paths['/api/v1/cart/{item_id}/']).sort()).toEqual(['delete', 'patch', 'put']);
    expect(Object.keys(paths['/api/v1/orders/']).sort()).toEqual(['get', 'post']);
    expect(paths['/api/v1/orders/{id}/'].get).toBeDefined();
    expect(paths['/api/v1/orders/{id}/cancel/'].post).toBeDefined();
    expect(Object.keys(paths['/api/v1/admin/orders/{id}/']).sort()).toEqual(['delete', 'get', 'patch']);
    const post = paths['/api/v1/orders/'].post;
    expect(post.parameters.map((p: any) => p.name)).toContain('Idempotency-Key');
    expect(post.requestBody.content['application/json'].schema.required).toEqual(['shipping_address', 'payment_method']);
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '409', '422']));
    const adminQuery = paths['/api/v1/admin/orders/'].get.parameters.map((p: any) => p.name);
    expect(adminQuery).toEqual(expect.arrayContaining(['status', 'user_id', 'created_after', 'created_before', 'search', 'page', 'page_size']));
  });
});

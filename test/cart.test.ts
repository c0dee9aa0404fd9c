import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { productImages, products } from '../src/db/schema';
import { api, d1Calls, expectProblem, json } from './helpers/http';
import { db, makeProduct, makeUser, unique } from './helpers/factories';
import { addToCart } from './helpers/shop';

const getCart = async (token: string) => {
  const res = await api('GET', '/api/v1/cart/', { token });
  expect(res.status).toBe(200);
  return json(res);
};

describe('cart: happy paths', () => {
  it('adds a new line (201) and merges the same product into it (200)', async () => {
    const user = await makeUser();
    const p = await makeProduct({ priceCents: 1250, stock: 10 });
    const first = await api('POST', '/api/v1/cart/', { token: user.token, body: { product_id: p.id, quantity: 2 } });
    expect(first.status).toBe(201);
    const line = await json(first);
    expect(line).toEqual({
      id: expect.any(Number),
      product: { id: p.id, name: p.name, slug: p.slug, price: '12.50', image: null, stock: 10 },
      quantity: 2,
      unit_price: '12.50',
      subtotal: '25.00',
    });
    const merged = await api('POST', '/api/v1/cart', { token: user.token, body: { product_id: p.id, quantity: 3 } });
    expect(merged.status).toBe(200);
    expect(await json(merged)).toMatchObject({ id: line.id, quantity: 5, subtotal: '62.50' });
    const cart = await getCart(user.token);
    expect(cart.items).toHaveLength(1);
  });

  it('defaults the quantity to 1', async () => {
    const user = await makeUser();
    const p = await makeProduct();
    const res = await api('POST', '/api/v1/cart/', { token: user.token, body: { product_id: p.id } });
    expect(res.status).toBe(201);
    expect((await json(res)).quantity).toBe(1);
  });

  it('shows current prices, subtotals, item_count, total and currency, with the first image', async () => {
    const user = await makeUser();
    const a = await makeProduct({ priceCents: 1000 });
    const b = await makeProduct({ priceCents: 199 });
    await db().insert(productImages).values([
      { productId: b.id, key: `products/${b.id}/second.png`, contentType: 'image/png', size: 1, position: 2 },
      { productId: b.id, key: `products/${b.id}/first.png`, contentType: 'image/png', size: 1, position: 1 },
    ]);
    await addToCart(user.token, a.id, 2);
    await addToCart(user.token, b.id, 3);
    // The price changes after the add: the cart shows the current one.
    await db().update(products).set({ priceCents: 1100 }).where(eq(products.id, a.id));
    const res = await api('GET', '/api/v1/cart/', { token: user.token });
    expect(d1Calls(res)).toBe(1);
    const cart = await json(res);
    expect(cart).toMatchObject({ item_count: 5, total: '27.97', currency: 'usd', notices: [] });
    expect(cart.items.map((i: any) => [i.product.id, i.quantity, i.unit_price, i.subtotal])).toEqual([
      [a.id, 2, '11.00', '22.00'],
      [b.id, 3, '1.99', '5.97'],
    ]);
    expect(cart.items[1].product.image).toBe(`https://api.test/api/v1/media/${encodeURIComponent(`products/${b.id}/first.png`)}`);
  });

  it('an empty cart has no lines and a zero total', async () => {
    const user = await makeUser();
    expect(await getCart(user.token)).toEqual({ items: [], item_count: 0, total: '0.00', currency: 'usd', notices: [] });
  });

  it('drops lines whose product was archived or deleted, and says so once', async () => {
    const user = await makeUser();
    const kept = await makeProduct();
    const archived = await makeProduct({ name: unique('Archived ') });
    const deleted = await makeProduct({ name: unique('Deleted ') });
    for (const p of [kept, archived, deleted]) await addToCart(user.token, p.id);
    await db().update(products).set({ isActive: false }).where(eq(products.id, archived.id));
    await db().delete(products).where(eq(products.id, deleted.id));
    const cart = await getCart(user.token);
    expect(cart.items.map((i: any) => i.product.id)).toEqual([kept.id]);
    expect(cart.notices).toEqual([
      { code: 'item_removed', product_id: archived.id, message: expect.stringContaining(archived.name) },
      { code: 'item_removed', product_id: deleted.id, message: expect.stringContaining(deleted.name) },
    ]);
    expect((await getCart(user.token)).notices).toEqual([]);
  });

  it('sets a line quantity with PUT and PATCH', async () => {
    const user = await makeUser();
    const p = await makeProduct({ stock: 7 });
    const line = await addToCart(user.token, p.id);
    for (const [method, quantity] of [['PUT', 4], ['PATCH', 7]] as const) {
      const res = await api(method, `/api/v1/cart/${line.id}/`, { token: user.token, body: { quantity } });
      expect(res.status).toBe(200);
      expect(await json(res)).toMatchObject({ id: line.id, quantity });
    }
    expect((await getCart(user.token)).items[0].quantity).toBe(7);
  });

  it('removes a line (204) and empties the cart (204)', async () => {
    const user = await makeUser();
    const a = await addToCart(user.token, (await makeProduct()).id);
    await addToCart(user.token, (await makeProduct()).id);
    await addToCart(user.token, (await makeProduct()).id);
    expect((await api('DELETE', `/api/v1/cart/${a.id}/`, { token: user.token })).status).toBe(204);
    expect((await getCart(user.token)).items).toHaveLength(2);
    expect((await api('DELETE', '/api/v1/cart/', { token: user.token })).status).toBe(204);
    expect((await getCart(user.token)).items).toEqual([]);
  });

  it('never reuses a line id', async () => {
    const user = await makeUser();
    const p = await makeProduct();
    const first = await addToCart(user.token, p.id);
    await api('DELETE', `/api/v1/cart/${first.id}`, { token: user.token });
    const again = await addToCart(user.token, p.id);
    expect(again.id).toBeGreaterThan(first.id);
    await expectProblem(await api('PATCH', `/api/v1/cart/${first.id}/`, { token: user.token, body: { quantity: 2 } }), 404, 'not_found');
  });

  it('adds and changes a quantity in ONE D1 round trip each (the product row and the account, batched)', async () => {
    const user = await makeUser();
    const p = await makeProduct({ stock: 5 });
    const res = await api('POST', '/api/v1/cart/', { token: user.token, body: { product_id: p.id } });
    expect(res.status).toBe(201);
    expect(d1Calls(res)).toBe(1);
    const line = await json(res);
    const changed = await api('PATCH', `/api/v1/cart/${line.id}/`, { token: user.token, body: { quantity: 3 } });
    expect(changed.status).toBe(200);
    expect(d1Calls(changed)).toBe(1);
  });
});

describe('cart: errors', () => {
  it.each([0, 101, 2.5, '2', null, -1])('refuses quantity %j with 400', async (quantity) => {
    const user = await makeUser();
    const p = await makeProduct();
    const body = await expectProblem(await api('POST', '/api/v1/cart/', { token: user.token, body: { product_id: p.id, quantity } }), 400, 'validation_error');
    expect(body.errors?.[0].field).toBe('quantity');
  });

  it('refuses a missing or bad product_id and malformed JSON with 400', async () => {
    const user = await makeUser();
    await expectProblem(await api('POST', '/api/v1/cart/', { token: user.token, body: { quantity: 1 } }), 400, 'validation_error');
    await expectProblem(await api('POST', '/api/v1/cart/', { token: user.token, body: { product_id: 'abc' } }), 400, 'validation_error');
    await expectProblem(await api('POST', '/api/v1/cart/', { token: user.token, raw: '{"product_id":', headers: { 'Content-Type': 'application/json' } }), 400, 'malformed_json');
  });

  it('answers 404 for unknown and inactive products', async () => {
    const user = await makeUser();
    const inactive = await makeProduct({ isActive: false });
    await expectProblem(await api('POST', '/api/v1/cart/', { token: user.token, body: { product_id: 999999 } }), 404, 'not_found');
    await expectProblem(await api('POST', '/api/v1/cart/', { token: user.token, body: { product_id: inactive.id } }), 404, 'not_found');
    expect((await getCart(user.token)).items).toEqual([]);
  });

  it('refuses a line above stock with 409 insufficient_stock and available, leaving the line as it was', async () => {
    const user = await makeUser();
    const p = await makeProduct({ stock: 3 });
    const over = await expectProblem(await api('POST', '/api/v1/cart/', { token: user.token, body: { product_id: p.id, quantity: 4 } }), 409, 'insufficient_stock');
    expect(over.errors).toEqual([{ field: `items[${p.id}]`, message: expect.any(String), available: 3 }]);
    const line = await addToCart(user.token, p.id, 2);
    // 2 in the cart + 2 more would be 4 > 3.
    await expectProblem(await api('POST', '/api/v1/cart/', { token: user.token, body: { product_id: p.id, quantity: 2 } }), 409, 'insufficient_stock');
    await expectProblem(await api('PUT', `/api/v1/cart/${line.id}/`, { token: user.token, body: { quantity: 4 } }), 409, 'insufficient_stock');
    expect((await getCart(user.token)).items[0].quantity).toBe(2);
  });

  it('caps a merged line at 100 units', async () => {
    const user = await makeUser();
    const p = await makeProduct({ stock: 500 });
    await addToCart(user.token, p.id, 60);
    const body = await expectProblem(await api('POST', '/api/v1/cart/', { token: user.token, body: { product_id: p.id, quantity: 41 } }), 400, 'validation_error');
    expect(body.errors?.[0].field).toBe('quantity');
    expect((await getCart(user.token)).items[0].quantity).toBe(60);
  });

  it('answers 404 for unknown lines and validates the quantity on update', async () => {
    const user = await makeUser();
    const line = await addToCart(user.token, (await makeProduct()).id);
    await expectProblem(await api('PUT', '/api/v1/cart/999999/', { token: user.token, body: { quantity: 1 } }), 404, 'not_found');
    await expectProblem(await api('DELETE', '/api/v1/cart/999999/', { token: user.token }), 404, 'not_found');
    await expectProblem(await api('PATCH', '/api/v1/cart/0/', { token: user.token, body: { quantity: 1 } }), 404, 'not_found');
    await expectProblem(await api('DELETE', '/api/v1/cart/99999999999999999999/', { token: user.token }), 404, 'not_found');
    await expectProblem(await api('PATCH', `/api/v1/cart/${line.id}/`, { token: user.token, body: {} }), 400, 'validation_error');
    await expectProblem(await api('PATCH', `/api/v1/cart/${line.id}/`, { token: user.token, body: { quantity: 0 } }), 400, 'validation_error');
  });

  it('removes a line whose product was archived when its quantity is set', async () => {
    const user = await makeUser();
    const p = await makeProduct();
    const line = await addToCart(user.token, p.id);
    await db().update(products).set({ isActive: false }).where(eq(products.id, p.id));
    await expectProblem(await api('PUT', `/api/v1/cart/${line.id}/`, { token: user.token, body: { quantity: 2 } }), 404, 'not_found');
    expect((await getCart(user.token)).items).toEqual([]);
  });
});

describe('cart: security', () => {
  it('requires a token on every cart route', async () => {
    for (const [method, path] of [['GET', '/api/v1/cart/'], ['POST', '/api/v1/cart/'], ['PUT', '/api/v1/cart/1/'], ['PATCH', '/api/v1/cart/1/'], ['DELETE', '/api/v1/cart/1/'], ['DELETE', '/api/v1/cart/']]) {
      await expectProblem(await api(method, path, method === 'GET' ? {} : { body: { quantity: 1, product_id: 1 } }), 401, 'not_authenticated');
    }
  });

  it('keeps carts apart: another user cannot see, change or delete my lines', async () => {
    const me = await makeUser();
    const other = await makeUser();
    const line = await addToCart(me.token, (await makeProduct()).id, 2);
    expect((await getCart(other.token)).items).toEqual([]);
    await expectProblem(await api('PATCH', `/api/v1/cart/${line.id}/`, { token: other.token, body: { quantity: 5 } }), 404, 'not_found');
    await expectProblem(await api('DELETE', `/api/v1/cart/${line.id}/`, { token: other.token }), 404, 'not_found');
    expect((await getCart(me.token)).items[0]).toMatchObject({ id: line.id, quantity: 2 });
  });

  it('each cart lives in its own Durable Object named by the user id', async () => {
    const me = await makeUser();
    const line = await addToCart(me.token, (await makeProduct()).id, 3);
    const { runInDurableObject } = await import('cloudflare:test');
    const rows = await runInDurableObject(env.CART.get(env.CART.idFromName(String(me.id))), (_inst, state) =>
      state.storage.sql.exec<{ id: number; quantity: number }>('SELECT id, quantity FROM cart_lines').toArray(),
    );
    expect(rows).toEqual([{ id: line.id, quantity: 3 }]);
  });
});

describe('cart: limits', () => {
  it('holds at most 100 different products', async () => {
    const user = await makeUser();
    const stub = env.CART.get(env.CART.idFromName(String(user.id)));
    const { runInDurableObject } = await import('cloudflare:test');
    // Fill the object directly (100 adds through HTTP would only slow the suite down).
    await runInDurableObject(stub, (_inst, state) => {
      for (let i = 1; i <= 100; i++) state.storage.sql.exec("INSERT INTO cart_lines (product_id, quantity, name, added_at) VALUES (?, 1, 'x', '')", 1_000_000 + i);
    });
    const p = await makeProduct();
    const body = await expectProblem(await api('POST', '/api/v1/cart/', { token: user.token, body: { product_id: p.id } }), 400, 'validation_error');
    expect(body.errors?.[0].field).toBe('product_id');
  });
});

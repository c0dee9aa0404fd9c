/** Idempotency-Key on checkout: replays, refusals, per-user keys and the D1 second guard. */
import { runInDurableObject } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { idempotencyRecords } from '../src/db/schema';
import { api, expectProblem, json } from './helpers/http';
import { db, makeProduct, makeUser } from './helpers/factories';
import { addToCart, address, cartStub, checkout, checkoutBody, ordersOf, stockOf } from './helpers/shop';

const cartItems = async (token: string) => (await json(await api('GET', '/api/v1/cart/', { token }))).items as any[];

describe('checkout: Idempotency-Key', () => {
  it('replays the same order for the same key and body, writing nothing', async () => {
    const user = await makeUser();
    const p = await makeProduct({ stock: 10 });
    await addToCart(user.token, p.id, 2);
    const first = await checkout(user.token, checkoutBody(), 'key-1');
    expect(first.status).toBe(201);
    const order = await json(first);
    // The cart is refilled: a replay must still not order again.
    await addToCart(user.token, p.id, 1);
    // Same body with another key order and spacing: same fingerprint.
    const sameBody = { payment_method: 'cod', shipping_address: { ...address() } };
    const replay = await checkout(user.token, sameBody, 'key-1');
    expect(replay.status).toBe(201);
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await json(replay)).toEqual(order);
    expect(await ordersOf(user.id)).toHaveLength(1);
    expect(await stockOf(p.id)).toBe(8);
    expect((await cartItems(user.token)).map((i) => i.quantity)).toEqual([1]);
  });

  it('answers 422 idempotency_key_reused for the same key with another body', async () => {
    const user = await makeUser();
    await addToCart(user.token, (await makeProduct()).id);
    expect((await checkout(user.token, checkoutBody(), 'key-2')).status).toBe(201);
    await addToCart(user.token, (await makeProduct()).id);
    await expectProblem(await checkout(user.token, checkoutBody({ note: 'different' }), 'key-2'), 422, 'idempotency_key_reused');
    expect(await ordersOf(user.id)).toHaveLength(1);
  });

  it('keys belong to one user: the same key for another user is a new order', async () => {
    const [u1, u2] = [await makeUser(), await makeUser()];
    for (const u of [u1, u2]) await addToCart(u.token, (await makeProduct()).id);
    const o1 = await json(await checkout(u1.token, checkoutBody(), 'shared-key'));
    const r2 = await checkout(u2.token, checkoutBody(), 'shared-key');
    expect(r2.status).toBe(201);
    expect(r2.headers.get('Idempotent-Replayed')).toBeNull();
    expect((await json(r2)).id).not.toBe(o1.id);
  });

  it('writes the idempotency record in the checkout batch (the second guard)', async () => {
    const user = await makeUser();
    await addToCart(user.token, (await makeProduct()).id);
    const order = await json(await checkout(user.token, checkoutBody(), 'key-3'));
    const [rec] = await db().select().from(idempotencyRecords).where(eq(idempotencyRecords.userId, user.id));
    expect(rec).toMatchObject({ key: 'key-3', orderId: order.id, fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(Date.parse(rec.expiresAt) - Date.parse(order.created_at)).toBe(24 * 3600 * 1000);
  });

  it('replays from D1 when the object forgot the key', async () => {
    const user = await makeUser();
    const p = await makeProduct({ stock: 10 });
    await addToCart(user.token, p.id);
    const order = await json(await checkout(user.token, checkoutBody(), 'key-4'));
    await runInDurableObject(cartStub(user.id), (_inst, state) => {
      state.storage.sql.exec('DELETE FROM idempotency_keys');
    });
    await addToCart(user.token, p.id);
    const replay = await checkout(user.token, checkoutBody(), 'key-4');
    expect(replay.status).toBe(201);
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
    expect((await json(replay)).id).toBe(order.id);
    expect(await ordersOf(user.id)).toHaveLength(1);
    expect(await stockOf(p.id)).toBe(9);
  });

  it.each([['x'.repeat(256)], ['tab\there'], ['   ']])('refuses a bad key with 400 (%#)', async (key) => {
    const user = await makeUser();
    await addToCart(user.token, (await makeProduct()).id);
    const res = await api('POST', '/api/v1/orders/', { token: user.token, body: checkoutBody(), headers: { 'Idempotency-Key': key } });
    const body = await expectProblem(res, 400, 'validation_error');
    expect(body.errors?.[0].field).toBe('Idempotency-Key');
    expect(await ordersOf(user.id)).toEqual([]);
  });
});

import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { orderItems, orders, products, users, type ORDER_STATUSES } from '../src/db/schema';
import { api, d1Calls, expectProblem, json } from './helpers/http';
import { db, makeCategory, makeProduct, makeUser, unique } from './helpers/factories';

const put = (productId: number, token: string | undefined, body: unknown) => api('PUT', `/api/v1/products/${productId}/review/`, { token, body });
const del = (productId: number, token?: string) => api('DELETE', `/api/v1/products/${productId}/review/`, { token });
const productRating = async (id: number) => (await json(await api('GET', `/api/v1/products/${id}/`))).rating;

/** An order of `userId` containing `productId`, written straight to D1 (checkout is another module's job). */
async function makeOrder(userId: number, productId: number, status: (typeof ORDER_STATUSES)[number]) {
  const [order] = await db()
    .insert(orders)
    .values({ number: unique('ORD-').toUpperCase(), userId, status, paymentMethod: 'cod', subtotalCents: 1000, totalCents: 1000, shippingAddress: '{}' })
    .returning();
  await db().insert(orderItems).values({ orderId: order.id, productId, productName: 'x', sku: 'x', unitPriceCents: 1000, quantity: 1, subtotalCents: 1000 });
}

describe('writing reviews', () => {
  it('creates (201) then replaces (200) the caller’s one review', async () => {
    const p = await makeProduct();
    const user = await makeUser();
    await db().update(users).set({ firstName: 'Ada', lastName: 'lovelace' }).where(eq(users.id, user.id));
    const created = await put(p.id, user.token, { rating: 5, comment: '  Great kettle  ' });
    expect(created.status).toBe(201);
    const review = await json(created);
    expect(review).toEqual({
      id: expect.any(Number), product_id: p.id, user: { name: 'Ada L.' }, rating: 5, comment: 'Great kettle',
      verified_purchase: false, created_at: expect.any(String), updated_at: review.created_at,
    });
    expect(JSON.stringify(review)).not.toContain(user.email);

    const replaced = await put(p.id, user.token, { rating: 2 });
    expect(replaced.status).toBe(200);
    const again = await json(replaced);
    expect(again).toMatchObject({ id: review.id, rating: 2, comment: '', created_at: review.created_at });
    expect(again.updated_at > review.updated_at).toBe(true);
    expect(await productRating(p.id)).toEqual({ average: 2, count: 1 });
  });

  it('keeps rating count and average in step through create, replace and delete', async () => {
    const p = await makeProduct();
    const [a, b, c] = await Promise.all([makeUser(), makeUser(), makeUser()]);
    await put(p.id, a.token, { rating: 5 });
    await put(p.id, b.token, { rating: 2 });
    expect(await productRating(p.id)).toEqual({ average: 3.5, count: 2 });
    await put(p.id, c.token, { rating: 4 });
    expect(await productRating(p.id)).toEqual({ average: 3.67, count: 3 });
    await put(p.id, b.token, { rating: 3 });
    expect(await productRating(p.id)).toEqual({ average: 4, count: 3 });
    expect((await del(p.id, a.token)).status).toBe(204);
    expect(await productRating(p.id)).toEqual({ average: 3.5, count: 2 });
    await expectProblem(await del(p.id, a.token), 404, 'not_found');
    const [row] = await db().select().from(products).where(eq(products.id, p.id));
    expect(row).toMatchObject({ ratingCount: 2, ratingSum: 7, ratingAvg: 3.5 });
  });

  it('does not drift under concurrent reviews of one product', async () => {
    const p = await makeProduct();
    const reviewers = await Promise.all(Array.from({ length: 8 }, () => makeUser()));
    const results = await Promise.all(reviewers.map((u, i) => put(p.id, u.token, { rating: (i % 5) + 1 })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    const [row] = await db().select().from(products).where(eq(products.id, p.id));
    expect(row).toMatchObject({ ratingCount: 8, ratingSum: 1 + 2 + 3 + 4 + 5 + 1 + 2 + 3 });
  });

  it('marks verified purchases from confirmed, shipped or delivered orders only', async () => {
    const p = await makeProduct();
    const cases: [(typeof ORDER_STATUSES)[number] | null, boolean][] = [
      ['delivered', true], ['confirmed', true], ['shipped', true], ['pending', false], ['cancelled', false], [null, false],
    ];
    for (const [status, verified] of cases) {
      const user = await makeUser();
      if (status) await makeOrder(user.id, p.id, status);
      const other = await makeProduct();
      await makeOrder(user.id, other.id, 'delivered'); // an order of another product does not count
      expect((await json(await put(p.id, user.token, { rating: 4 }))).verified_purchase, String(status)).toBe(verified);
    }
  });

  it('404s for unknown and inactive products', async () => {
    const user = await makeUser();
    const hidden = await makeProduct();
    expect((await put(hidden.id, user.token, { rating: 3 })).status).toBe(201);
    await db().update(products).set({ isActive: false }).where(eq(products.id, hidden.id));
    for (const id of [hidden.id, 99999999]) {
      await expectProblem(await put(id, user.token, { rating: 4 }), 404, 'not_found');
      await expectProblem(await del(id, user.token), 404, 'not_found');
      await expectProblem(await api('GET', `/api/v1/products/${id}/reviews/`), 404, 'not_found');
    }
    const [row] = await db().select().from(products).where(eq(products.id, hidden.id));
    expect(row).toMatchObject({ ratingCount: 1, ratingSum: 3 });
  });
});

describe('review auth and validation', () => {
  it('needs a bearer token to write', async () => {
    const p = await makeProduct();
    await expectProblem(await put(p.id, undefined, { rating: 5 }), 401, 'not_authenticated');
    await expectProblem(await del(p.id), 401, 'not_authenticated');
    await expectProblem(await put(p.id, 'not-a-jwt', { rating: 5 }), 401, 'not_authenticated');
  });

  it('refuses ratings outside 1..5, non-integers and long comments', async () => {
    const p = await makeProduct();
    const user = await makeUser();
    const bad: [unknown, string][] = [
      [{ rating: 0 }, 'rating'], [{ rating: 6 }, 'rating'], [{ rating: 2.5 }, 'rating'], [{ rating: '5' }, 'rating'], [{}, 'rating'],
      [{ rating: 3, comment: 'x'.repeat(2001) }, 'comment'], [{ rating: 3, comment: 42 }, 'comment'],
    ];
    for (const [body, field] of bad) {
      const problem = await expectProblem(await put(p.id, user.token, body), 400, 'validation_error');
      expect(problem.errors?.map((e) => e.field), JSON.stringify(body).slice(0, 40)).toContain(field);
    }
    const raw = await api('PUT', `/api/v1/products/${p.id}/review/`, { token: user.token, raw: '{"rating":', headers: { 'Content-Type': 'application/json' } });
    await expectProblem(raw, 400, 'malformed_json');
    expect((await put(p.id, user.token, { rating: 1, comment: 'x'.repeat(2000) })).status).toBe(201);
    expect(await productRating(p.id)).toEqual({ average: 1, count: 1 });
  });

  it('answers 401 to the still-valid token of a deleted account and 403 to a deactivated one (never a 500)', async () => {
    const p = await makeProduct();
    const gone = await makeUser();
    await db().delete(users).where(eq(users.id, gone.id));
    await expectProblem(await put(p.id, gone.token, { rating: 4 }), 401, 'not_authenticated');
    await expectProblem(await del(p.id, gone.token), 401, 'not_authenticated');

    const inactive = await makeUser();
    expect((await put(p.id, inactive.token, { rating: 5 })).status).toBe(201);
    await db().update(users).set({ isActive: false }).where(eq(users.id, inactive.id));
    await expectProblem(await put(p.id, inactive.token, { rating: 1 }), 403, 'permission_denied');
    await expectProblem(await del(p.id, inactive.token), 403, 'permission_denied');
    expect(await productRating(p.id)).toEqual({ average: 5, count: 1 });
  });
});

describe('listing reviews', () => {
  it('pages reviews newest first in one D1 round trip', async () => {
    const p = await makeProduct();
    const authors = [];
    for (let i = 0; i < 3; i++) {
      const u = await makeUser();
      await put(p.id, u.token, { rating: i + 1, comment: `review ${i}` });
      authors.push(u);
    }
    const res = await api('GET', `/api/v1/products/${p.id}/reviews/?page_size=2`);
    expect(res.status).toBe(200);
    expect(d1Calls(res)).toBe(1);
    const page1 = await json(res);
    expect(page1.count).toBe(3);
    expect(page1.results.map((r: { comment: string }) => r.comment)).toEqual(['review 2', 'review 1']);
    expect(page1.results[0].user).toEqual({ name: 'Test U.' });
    expect(page1.next).toBe(`https://api.test/api/v1/products/${p.id}/reviews/?page_size=2&page=2`);
    const page2 = await json(await api('GET', `/api/v1/products/${p.id}/reviews/?page=2&page_size=2`));
    expect(page2.results.map((r: { comment: string }) => r.comment)).toEqual(['review 0']);
    await expectProblem(await api('GET', `/api/v1/products/${p.id}/reviews/?page=3&page_size=2`), 404, 'not_found');
    const empty = await json(await api('GET', `/api/v1/products/${(await makeProduct()).id}/reviews/`));
    expect(empty).toEqual({ count: 0, next: null, previous: null, results: [] });
  });

  it('orders products by rating', async () => {
    const cat = await makeCategory();
    const [low, high, none] = [await makeProduct({ categoryId: cat.id }), await makeProduct({ categoryId: cat.id }), await makeProduct({ categoryId: cat.id })];
    const user = await makeUser();
    await put(low.id, user.token, { rating: 2 });
    await put(high.id, user.token, { rating: 5 });
    const ids = async (ordering: string) =>
      (await json(await api('GET', `/api/v1/products/?category=${cat.id}&ordering=${ordering}`))).results.map((r: { id: number }) => r.id);
    expect(await ids('-rating')).toEqual([high.id, low.id, none.id]);
    expect(await ids('rating')).toEqual([none.id, low.id, high.id]);
  });
});

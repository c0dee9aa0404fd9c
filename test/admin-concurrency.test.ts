/**
 * Safe admin writes (issue 11 item 3): ETags on admin product and category reads, If-Match honoured on
 * PUT/PATCH/DELETE (412 precondition_failed), and `stock_adjustment` beside absolute `stock`. The races show what
 * each mode guarantees against concurrent checkouts.
 */
import { describe, expect, it } from 'vitest';
import { api, expectProblem, json } from './helpers/http';
import { makeAdmin, makeCategory, makeProduct, makeUser } from './helpers/factories';
import { addToCart, checkout, stockOf } from './helpers/shop';

const P = (id: number) => `/api/v1/admin/products/${id}/`;
const C = (id: number) => `/api/v1/admin/categories/${id}/`;

/** `n` customers each with one unit of the product in their cart, ready to check out at once. */
async function buyers(productId: number, n: number) {
  const users = await Promise.all(Array.from({ length: n }, () => makeUser()));
  for (const u of users) await addToCart(u.token, productId, 1);
  return users;
}
const placed = (results: Response[]) => results.filter((r) => r.status === 201).length;

describe('ETag and If-Match on admin products', () => {
  it('a read carries an ETag; a write with it succeeds and answers a new one; the old one is then 412', async () => {
    const admin = await makeAdmin();
    const product = await makeProduct({ stock: 10 });
    const read = await api('GET', P(product.id), { token: admin.token });
    const etag = read.headers.get('ETag')!;
    expect(etag).toMatch(/^"\d+-10"$/);
    const write = await api('PATCH', P(product.id), { token: admin.token, headers: { 'If-Match': etag }, body: { name: 'Renamed' } });
    expect(write.status).toBe(200);
    const next = write.headers.get('ETag')!;
    expect(next).not.toBe(etag);
    for (const method of ['PATCH', 'PUT', 'DELETE']) {
      const res = await api(method, P(product.id), { token: admin.token, headers: { 'If-Match': etag }, body: method === 'DELETE' ? undefined : { name: 'Stale', price: '1.00', stock: 1 } });
      await expectProblem(res, 412, 'precondition_failed');
    }
    expect((await json(await api('GET', P(product.id), { token: admin.token }))).name).toBe('Renamed');
    // `*`, a list containing the current tag, and no If-Match at all all write; a weak tag never matches.
    await expectProblem(await api('PATCH', P(product.id), { token: admin.token, headers: { 'If-Match': `W/${next}` }, body: { stock: 3 } }), 412, 'precondition_failed');
    await expectProblem(await api('PATCH', P(product.id), { token: admin.token, headers: { 'If-Match': 'garbage' }, body: { stock: 3 } }), 412, 'precondition_failed');
    expect((await api('PATCH', P(product.id), { token: admin.token, headers: { 'If-Match': `"0-0", ${next}` }, body: { stock: 3 } })).status).toBe(200);
    expect((await api('PATCH', P(product.id), { token: admin.token, headers: { 'If-Match': '*' }, body: { stock: 4 } })).status).toBe(200);
    expect((await api('PATCH', P(product.id), { token: admin.token, body: { stock: 5 } })).status).toBe(200);
    await expectProblem(await api('PATCH', P(999_999), { token: admin.token, headers: { 'If-Match': next }, body: { stock: 1 } }), 404, 'not_found');
  });

  it('a checkout changes the ETag: an absolute stock write based on an older read is refused', async () => {
    const admin = await makeAdmin();
    const product = await makeProduct({ stock: 10 });
    const etag = (await api('GET', P(product.id), { token: admin.token })).headers.get('ETag')!;
    const [buyer] = await buyers(product.id, 1);
    expect((await checkout(buyer.token)).status).toBe(201);
    await expectProblem(await api('PATCH', P(product.id), { token: admin.token, headers: { 'If-Match': etag }, body: { stock: 15 } }), 412, 'precondition_failed');
    expect(await stockOf(product.id)).toBe(9);
  });

  it('DELETE with a fresh ETag deletes; with a stale one nothing is deleted', async () => {
    const admin = await makeAdmin();
    const product = await makeProduct();
    const etag = (await api('GET', P(product.id), { token: admin.token })).headers.get('ETag')!;
    await expectProblem(await api('DELETE', P(product.id), { token: admin.token, headers: { 'If-Match': '"999-999"' } }), 412, 'precondition_failed');
    expect((await api('GET', P(product.id), { token: admin.token })).status).toBe(200);
    expect((await api('DELETE', P(product.id), { token: admin.token, headers: { 'If-Match': etag } })).status).toBe(204);
  });
});

describe('stock_adjustment', () => {
  it('adds a signed delta; below zero is 409 insufficient_stock with what is available; not together with stock', async () => {
    const admin = await makeAdmin();
    const product = await makeProduct({ stock: 10 });
    const up = await api('PATCH', P(product.id), { token: admin.token, body: { stock_adjustment: 5 } });
    expect((await json(up)).stock).toBe(15);
    expect((await json(await api('PATCH', P(product.id), { token: admin.token, body: { stock_adjustment: -15 } }))).stock).toBe(0);
    const body = await expectProblem(await api('PATCH', P(product.id), { token: admin.token, body: { stock_adjustment: -1 } }), 409, 'insufficient_stock');
    expect(body.errors).toEqual([{ field: 'stock_adjustment', message: expect.any(String), available: 0 }]);
    await expectProblem(await api('PATCH', P(product.id), { token: admin.token, body: { stock: 3, stock_adjustment: 1 } }), 400, 'validation_error');
    await expectProblem(await api('PATCH', P(product.id), { token: admin.token, body: { stock_adjustment: 1.5 } }), 400, 'validation_error');
  });
});

describe('an admin restock racing 8 checkouts of one unit (stock 10, admin read before the checkouts)', () => {
  it('absolute stock without If-Match: last write wins and can erase checkouts (phantom stock)', async () => {
    const admin = await makeAdmin();
    const product = await makeProduct({ stock: 10 });
    const users = await buyers(product.id, 8);
    const results = await Promise.all([
      ...users.map((u) => checkout(u.token)),
      api('PATCH', P(product.id), { token: admin.token, body: { stock: 15 } }),
    ]);
    const write = results.pop()!;
    expect(write.status).toBe(200);
    const sold = placed(results);
    const stock = await stockOf(product.id);
    // What this mode guarantees: only that the stock ends between 15 - sold and 15 (never negative). The
    // checkouts committed before the write are silently given back: 15 + sold units exist on paper.
    expect(stock).toBeGreaterThanOrEqual(15 - sold);
    expect(stock).toBeLessThanOrEqual(15);
  });

  it('stock_adjustment: every checkout is kept; stock = 10 + 5 - sold exactly', async () => {
    const admin = await makeAdmin();
    const product = await makeProduct({ stock: 10 });
    const users = await buyers(product.id, 8);
    const results = await Promise.all([...users.map((u) => checkout(u.token)), api('PATCH', P(product.id), { token: admin.token, body: { stock_adjustment: 5 } })]);
    expect(results.pop()!.status).toBe(200);
    const sold = placed(results);
    expect(sold).toBe(8);
    expect(await stockOf(product.id)).toBe(10 + 5 - sold);
  });

  it('absolute stock with If-Match: either 412 (a checkout came first; nothing overwritten) or it applied to exactly what was read', async () => {
    const admin = await makeAdmin();
    const product = await makeProduct({ stock: 10 });
    const etag = (await api('GET', P(product.id), { token: admin.token })).headers.get('ETag')!;
    const users = await buyers(product.id, 8);
    const results = await Promise.all([
      ...users.map((u) => checkout(u.token)),
      api('PATCH', P(product.id), { token: admin.token, headers: { 'If-Match': etag }, body: { stock: 15 } }),
    ]);
    const write = results.pop()!;
    const sold = placed(results);
    expect(sold).toBe(8);
    if (write.status === 412) expect(await stockOf(product.id)).toBe(10 - sold);
    else {
      expect(write.status).toBe(200);
      // The write saw stock 10 with no checkout before it, so every checkout came after it.
      expect(await stockOf(product.id)).toBe(15 - sold);
    }
  });
});

describe('ETag and If-Match on admin categories', () => {
  it('reads carry an ETag that every write changes; stale PUT/PATCH/DELETE are 412 and change nothing', async () => {
    const admin = await makeAdmin();
    const category = await makeCategory();
    const read = await api('GET', C(category.id), { token: admin.token });
    const etag = read.headers.get('ETag')!;
    expect(etag).toMatch(/^"\d+"$/);
    const write = await api('PATCH', C(category.id), { token: admin.token, headers: { 'If-Match': etag }, body: { description: 'new' } });
    expect(write.status).toBe(200);
    const next = write.headers.get('ETag')!;
    expect(next).not.toBe(etag);
    await expectProblem(await api('PATCH', C(category.id), { token: admin.token, headers: { 'If-Match': etag }, body: { description: 'stale' } }), 412, 'precondition_failed');
    await expectProblem(await api('PUT', C(category.id), { token: admin.token, headers: { 'If-Match': etag }, body: { name: 'Stale' } }), 412, 'precondition_failed');
    await expectProblem(await api('DELETE', C(category.id), { token: admin.token, headers: { 'If-Match': etag } }), 412, 'precondition_failed');
    expect((await json(await api('GET', C(category.id), { token: admin.token }))).description).toBe('new');
    expect((await api('DELETE', C(category.id), { token: admin.token, headers: { 'If-Match': next } })).status).toBe(204);
    await expectProblem(await api('DELETE', C(category.id), { token: admin.token, headers: { 'If-Match': next } }), 404, 'not_found');
  });

  it('two admins editing from the same read: exactly one wins', async () => {
    const admin = await makeAdmin();
    const category = await makeCategory();
    const etag = (await api('GET', C(category.id), { token: admin.token })).headers.get('ETag')!;
    const results = await Promise.all(['a', 'b', 'c'].map((d) => api('PATCH', C(category.id), { token: admin.token, headers: { 'If-Match': etag }, body: { description: d } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412]);
  });
});

import { describe, expect, it } from 'vitest';
import { BOOKMARK_HEADER, sessionStart } from '../src/db/session';
import { api, json } from './helpers/http';
import { makeAdmin, makeProduct, makeUser } from './helpers/factories';

describe('D1 Sessions: bookmarks and per-route consistency', () => {
  it('catalog reads may use a replica; everything else starts at the primary', () => {
    expect(sessionStart('GET', '/api/v1/products/', undefined)).toBe('first-unconstrained');
    expect(sessionStart('GET', '/api/v1/categories/x/', undefined)).toBe('first-unconstrained');
    expect(sessionStart('GET', '/api/v1/products/3/reviews/', undefined)).toBe('first-unconstrained');
    for (const [method, path] of [
      ['POST', '/api/v1/orders/'],
      ['GET', '/api/v1/cart/'],
      ['POST', '/api/v1/cart/'],
      ['GET', '/api/v1/admin/products/'],
      ['GET', '/api/v1/orders/'],
      ['PUT', '/api/v1/products/3/review/'],
      ['GET', '/api/v1/users/me/'],
    ]) {
      expect(sessionStart(method, path, '00000000-00000001-00000000-' + 'a'.repeat(32)), `${method} ${path}`).toBe('first-primary');
    }
    // A client's bookmark is honoured on catalog reads; anything that cannot be one is ignored.
    const bookmark = '00000000-0000000e-00000000-' + 'f'.repeat(32);
    expect(sessionStart('GET', '/api/v1/products/', bookmark)).toBe(bookmark);
    expect(sessionStart('GET', '/api/v1/products/', 'garbage')).toBe('first-unconstrained');
  });

  it('hands a bookmark back and accepts it: a user sees their own review on the next read', async () => {
    const p = await makeProduct();
    const user = await makeUser();
    const write = await api('PUT', `/api/v1/products/${p.id}/review/`, { token: user.token, body: { rating: 5, comment: 'mine' } });
    expect(write.status).toBe(201);
    const bookmark = write.headers.get(BOOKMARK_HEADER);
    expect(bookmark).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]+$/);
    const read = await api('GET', `/api/v1/products/${p.id}/reviews/`, { headers: { [BOOKMARK_HEADER]: bookmark! } });
    expect(read.status).toBe(200);
    expect((await json(read)).results.map((r: { comment: string }) => r.comment)).toEqual(['mine']);
    expect(read.headers.get(BOOKMARK_HEADER)).toBeTruthy();
  });

  it('ignores a malformed bookmark instead of failing the request', async () => {
    const p = await makeProduct();
    for (const bad of ['garbage', '00000000-zzzzzzzz-00000000-00', 'x'.repeat(5000)]) {
      expect((await api('GET', `/api/v1/products/${p.id}/?x=${bad.length}`, { headers: { [BOOKMARK_HEADER]: bad } })).status).toBe(200);
    }
  });

  it('admin reads go to the primary whatever bookmark is sent', async () => {
    const admin = await makeAdmin();
    const res = await api('GET', '/api/v1/admin/products/', { token: admin.token, headers: { [BOOKMARK_HEADER]: 'garbage' } });
    expect(res.status).toBe(200);
    expect(res.headers.get(BOOKMARK_HEADER)).toBeTruthy();
  });
});

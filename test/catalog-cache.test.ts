import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { cacheKeyOf, canonicalUrl, EDGE_TTL_SECONDS, etagMatches } from '../src/catalog/catalog-cache';
import { purgeEverything } from '../src/catalog/cache-store';
import { products } from '../src/db/schema';
import { api, BASE, d1Calls, json } from './helpers/http';
import { db, makeAdmin, makeCategory, makeProduct, makeUser } from './helpers/factories';

const setPrice = (id: number, priceCents: number) => db().update(products).set({ priceCents }).where(eq(products.id, id));

describe('edge cache hits', () => {
  it('answers a repeated read from the cache with zero D1 queries and the same body', async () => {
    const cat = await makeCategory();
    const p = await makeProduct({ categoryId: cat.id });
    for (const path of [`/api/v1/products/${p.id}/`, `/api/v1/products/?category=${cat.id}`, '/api/v1/categories/', `/api/v1/categories/${cat.slug}/`, `/api/v1/products/${p.id}/reviews/`]) {
      const warm = await api('GET', path);
      expect(warm.status, path).toBe(200);
      expect(warm.headers.get('X-Cache'), path).toBe('MISS');
      expect(d1Calls(warm), path).toBe(1);
      const hit = await api('GET', path);
      expect(hit.status, path).toBe(200);
      expect(hit.headers.get('X-Cache'), path).toBe('HIT');
      expect(d1Calls(hit), path).toBe(0);
      expect(hit.headers.get('Content-Type')).toContain('application/json');
      expect(hit.headers.get('ETag')).toBe(warm.headers.get('ETag'));
      expect(await hit.text()).toBe(await warm.text());
    }
  });

  it('shares entries across query order, trailing slash and Authorization', async () => {
    const cat = await makeCategory();
    await makeProduct({ categoryId: cat.id });
    const user = await makeUser();
    expect((await api('GET', `/api/v1/products?page_size=5&category=${cat.id}`)).headers.get('X-Cache')).toBe('MISS');
    const same = await api('GET', `/api/v1/products/?category=${cat.id}&page_size=5`, { token: user.token });
    expect(same.headers.get('X-Cache')).toBe('HIT');
    expect(d1Calls(same)).toBe(0);
    // A different query is a different entry.
    expect((await api('GET', `/api/v1/products/?category=${cat.id}&page_size=6`)).headers.get('X-Cache')).toBe('MISS');
  });

  it('keys on the origin, so absolute URLs in bodies match the caller', async () => {
    const cat = await makeCategory();
    await makeProduct({ categoryId: cat.id });
    await makeProduct({ categoryId: cat.id });
    const path = `/api/v1/products/?category=${cat.id}&page_size=1`;
    const a = await json(await api('GET', path));
    const res = await SELF.fetch(`http://other.example:8787${path}`);
    expect(res.headers.get('X-Cache')).toBe('MISS');
    const b = await json(res);
    expect(a.next).toMatch(/^https:\/\/api\.test\/api\/v1\/products\/\?/);
    expect(b.next).toMatch(/^http:\/\/other\.example:8787\/api\/v1\/products\/\?/);
  });

  it('never stores errors', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await api('GET', '/api/v1/products/987654321/');
      expect(res.status).toBe(404);
      expect(d1Calls(res)).toBe(1);
      expect(res.headers.get('X-Cache')).toBeNull();
    }
  });

  it(`stores entries for at most ${EDGE_TTL_SECONDS} seconds and tells clients to revalidate`, async () => {
    const p = await makeProduct();
    const url = `${BASE}/api/v1/products/${p.id}/`;
    const res = await api('GET', `/api/v1/products/${p.id}/`);
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=0, must-revalidate');
    const stored = await caches.default.match(cacheKeyOf(canonicalUrl(url)));
    expect(stored).toBeDefined();
    const sMaxAge = Number(/s-maxage=(\d+)/.exec(stored!.headers.get('Cache-Control') ?? '')?.[1]);
    expect(sMaxAge).toBeGreaterThan(0);
    expect(sMaxAge).toBeLessThanOrEqual(10);
    await stored!.body?.cancel();
  });
});

describe('ETag and 304', () => {
  it('answers 304 without a body to a matching If-None-Match, on a miss and on a hit', async () => {
    const p = await makeProduct();
    const path = `/api/v1/products/${p.id}/`;
    const first = await api('GET', path);
    const etag = first.headers.get('ETag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    for (const inm of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
      const res = await api('GET', path, { headers: { 'If-None-Match': inm } });
      expect(res.status, inm).toBe(304);
      expect(await res.text()).toBe('');
      expect(res.headers.get('ETag')).toBe(etag);
    }
    expect((await api('GET', path, { headers: { 'If-None-Match': '"other"' } })).status).toBe(200);
    // After a change the old ETag no longer matches: the client gets the new body.
    await setPrice(p.id, 4242);
    await purgeEverything();
    const changed = await api('GET', path, { headers: { 'If-None-Match': etag } });
    expect(changed.status).toBe(200);
    expect((await json(changed)).price).toBe('42.42');
    expect(changed.headers.get('ETag')).not.toBe(etag);
  });
});

describe('invalidation', () => {
  it('serves the cached entry until it is purged, then the new value', async () => {
    const cat = await makeCategory();
    const p = await makeProduct({ categoryId: cat.id, priceCents: 1000 });
    const detail = `/api/v1/products/${p.id}/`;
    const listPath = `/api/v1/products/?category=${cat.id}`;
    await api('GET', detail);
    await api('GET', listPath);
    await setPrice(p.id, 2500);
    // Without a purge the (at most 10 s old) entry is still served: proof the reads come from the cache.
    expect((await json(await api('GET', detail))).price).toBe('10.00');
    await purgeEverything();
    const fresh = await api('GET', detail);
    expect(fresh.headers.get('X-Cache')).toBe('MISS');
    expect((await json(fresh)).price).toBe('25.00');
    expect((await json(await api('GET', listPath))).results[0].price).toBe('25.00');
  });

  it('a review write invalidates the product, the list and the reviews page', async () => {
    const cat = await makeCategory();
    const p = await makeProduct({ categoryId: cat.id });
    const user = await makeUser();
    const paths = [`/api/v1/products/${p.id}/`, `/api/v1/products/?category=${cat.id}`, `/api/v1/products/${p.id}/reviews/`];
    for (const path of paths) await api('GET', path);
    expect((await api('PUT', `/api/v1/products/${p.id}/review/`, { token: user.token, body: { rating: 4 } })).status).toBe(201);
    const [detail, list, reviews] = await Promise.all(paths.map(async (path) => json(await api('GET', path))));
    expect(detail.rating).toEqual({ average: 4, count: 1 });
    expect(list.results[0].rating).toEqual({ average: 4, count: 1 });
    expect(reviews.count).toBe(1);
    await api('DELETE', `/api/v1/products/${p.id}/review/`, { token: user.token });
    expect((await json(await api('GET', paths[0]))).rating).toEqual({ average: 0, count: 0 });
  });
});

describe('CATALOG_CACHE=off', () => {
  // The same Worker app with the configuration switched off (config is read per env object).
  const app = buildApp();
  const offEnv = { ...env, CATALOG_CACHE: 'off' };
  const get = (path: string, headers: Record<string, string> = {}) => app.request(`${BASE}${path}`, { headers }, offEnv);

  it('reads D1 on every request but still gives ETag and 304', async () => {
    const p = await makeProduct({ priceCents: 700 });
    const path = `/api/v1/products/${p.id}/`;
    const a = await get(path);
    const b = await get(path);
    for (const res of [a, b]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('X-Cache')).toBe('BYPASS');
      expect(d1Calls(res)).toBe(1);
    }
    expect(b.headers.get('ETag')).toBe(a.headers.get('ETag'));
    expect((await get(path, { 'If-None-Match': a.headers.get('ETag')! })).status).toBe(304);
    // A database change is visible at once, without any version bump.
    await setPrice(p.id, 800);
    expect((await json(await get(path))).price).toBe('8.00');
  });
});

describe('cache key helpers', () => {
  it('normalizes the URL and matches ETags', () => {
    expect(canonicalUrl('https://a.test/api/v1/products?z=1&b=2&a=3').toString()).toBe('https://a.test/api/v1/products/?a=3&b=2&z=1');
    expect(canonicalUrl('https://a.test/api/v1/products/007').pathname).toBe('/api/v1/products/7/');
    const key = (u: string) => cacheKeyOf(canonicalUrl(u));
    expect(key('https://a.test/x')).not.toBe(key('http://b.test/x'));
    expect(etagMatches('W/"abc"', '"abc"')).toBe(true);
    expect(etagMatches('"abd"', '"abc"')).toBe(false);
    expect(etagMatches(undefined, '"abc"')).toBe(false);
  });
});

describe('cache keys come from the validated query', () => {
  it('gives ?page=1, ?page=01&x=1 and no query one entry; unknown parameters never miss', async () => {
    const cat = await makeCategory();
    await makeProduct({ categoryId: cat.id });
    const base = `/api/v1/products/?category=${cat.id}`;
    const first = await api('GET', base);
    expect(first.headers.get('X-Cache')).toBe('MISS');
    const body = await first.text();
    for (const extra of ['&page=1', '&page=01&x=1', '&x=123', '&y=1&z=2&page_size=20&ordering=-created_at', '&search=&in_stock=']) {
      const res = await api('GET', `${base}${extra}`);
      expect(res.headers.get('X-Cache'), extra).toBe('HIT');
      expect(d1Calls(res), extra).toBe(0);
      expect(await res.text(), extra).toBe(body);
    }
    // Normalised values share entries too: True/true/1, 5 / 5.00, page_size beyond the cap.
    const pairs = [
      ['&in_stock=true', '&in_stock=True&junk=1'],
      ['&min_price=5', '&min_price=5.00'],
      ['&page_size=100', '&page_size=500'],
      ['&search=product', '&search=%20product%20'],
    ];
    for (const [a, b] of pairs) {
      expect((await api('GET', `${base}${a}`)).headers.get('X-Cache'), a).toBe('MISS');
      expect((await api('GET', `${base}${b}`)).headers.get('X-Cache'), b).toBe('HIT');
    }
    // The same on the other cached routes.
    for (const [a, b] of [['/api/v1/categories/', '/api/v1/categories/?page=01&utm_source=x'], ['/api/v1/products/00' + 1 + '/', '/api/v1/products/1/?x=1']]) {
      await api('GET', a);
      const res = await api('GET', b);
      if (res.status === 200) expect(res.headers.get('X-Cache'), b).toBe('HIT');
    }
  });

  it('builds pagination links from the canonical query (no unknown parameters, no defaults)', async () => {
    const cat = await makeCategory();
    await makeProduct({ categoryId: cat.id });
    await makeProduct({ categoryId: cat.id });
    const page = await json(await api('GET', `/api/v1/products/?page_size=1&x=evil&category=${cat.id}&in_stock=TRUE&ordering=-created_at&min_price=0.5`));
    expect(page.next).toBe(`https://api.test/api/v1/products/?category=${cat.id}&in_stock=true&min_price=0.50&page_size=1&page=2`);
  });
});

describe('scoped invalidation', () => {
  it('a review on product A leaves product B cached (detail, reviews, a list without A)', async () => {
    const catA = await makeCategory();
    const catB = await makeCategory();
    const a = await makeProduct({ categoryId: catA.id });
    const b = await makeProduct({ categoryId: catB.id });
    const user = await makeUser();
    const bPaths = [`/api/v1/products/${b.id}/`, `/api/v1/products/${b.id}/reviews/`, `/api/v1/products/?category=${catB.id}`, '/api/v1/categories/'];
    const aPaths = [`/api/v1/products/${a.id}/`, `/api/v1/products/${a.id}/reviews/`, `/api/v1/products/?category=${catA.id}`];
    for (const path of [...aPaths, ...bPaths]) expect((await api('GET', path)).headers.get('X-Cache'), path).toBe('MISS');
    expect((await api('PUT', `/api/v1/products/${a.id}/review/`, { token: user.token, body: { rating: 5 } })).status).toBe(201);
    for (const path of bPaths) {
      const res = await api('GET', path);
      expect(res.headers.get('X-Cache'), path).toBe('HIT');
      expect(d1Calls(res), path).toBe(0);
    }
    for (const path of aPaths) expect((await api('GET', path)).headers.get('X-Cache'), path).toBe('MISS');
    expect((await json(await api('GET', aPaths[0]))).rating).toEqual({ average: 5, count: 1 });
  });

  it('a product edit purges its answers and the lists it can enter, not other categories', async () => {
    const admin = await makeAdmin();
    const catA = await makeCategory();
    const catB = await makeCategory();
    const catC = await makeCategory();
    const a = await makeProduct({ categoryId: catA.id, priceCents: 1000 });
    const b = await makeProduct({ categoryId: catB.id });
    await makeProduct({ categoryId: catC.id });
    const untouched = [`/api/v1/products/${b.id}/`, `/api/v1/products/?category=${catC.id}`];
    const purged = [`/api/v1/products/${a.id}/`, `/api/v1/products/?category=${catA.id}`, `/api/v1/products/?category=${catB.id}`, '/api/v1/products/?page_size=3'];
    for (const path of [...untouched, ...purged]) await api('GET', path);
    // A moves from category A to category B: both categories' lists change.
    const patched = await api('PATCH', `/api/v1/admin/products/${a.id}/`, { token: admin.token, body: { price: '12.00', category_id: catB.id } });
    expect(patched.status).toBe(200);
    for (const path of untouched) expect((await api('GET', path)).headers.get('X-Cache'), path).toBe('HIT');
    for (const path of purged) expect((await api('GET', path)).headers.get('X-Cache'), path).toBe('MISS');
    expect((await json(await api('GET', `/api/v1/products/?category=${catA.id}`))).count).toBe(0);
    const inB = await json(await api('GET', `/api/v1/products/?category=${catB.id}`));
    expect(inB.results.map((p: { id: number; price: string }) => [p.id, p.price])).toContainEqual([a.id, '12.00']);
  });

  it('a category rename purges the products that show it, and only those', async () => {
    const admin = await makeAdmin();
    const cat = await makeCategory();
    const other = await makeCategory();
    const inCat = await makeProduct({ categoryId: cat.id });
    const elsewhere = await makeProduct({ categoryId: other.id });
    for (const p of [inCat, elsewhere]) await api('GET', `/api/v1/products/${p.id}/`);
    await api('GET', `/api/v1/categories/${cat.id}/`);
    const name = `Renamed ${cat.id}`;
    expect((await api('PATCH', `/api/v1/admin/categories/${cat.id}/`, { token: admin.token, body: { name } })).status).toBe(200);
    expect((await api('GET', `/api/v1/products/${elsewhere.id}/`)).headers.get('X-Cache')).toBe('HIT');
    const fresh = await api('GET', `/api/v1/products/${inCat.id}/`);
    expect(fresh.headers.get('X-Cache')).toBe('MISS');
    expect((await json(fresh)).category.name).toBe(name);
    expect((await json(await api('GET', `/api/v1/categories/${cat.id}/`))).name).toBe(name);
  });

  it('a hit touches no D1 and no Durable Object: the Worker has no catalog object any more', async () => {
    expect((env as unknown as Record<string, unknown>).CATALOG_VERSION).toBeUndefined();
  });
});

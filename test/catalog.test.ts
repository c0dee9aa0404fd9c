import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { ProductOrdering } from '../src/catalog/catalog.schemas';
import { productPageQuery } from '../src/catalog/catalog.service';
import { categoryPageQuery } from '../src/catalog/categories.queries';
import { purgeEverything } from '../src/catalog/cache-store';
import { products } from '../src/db/schema';
import { api, d1Calls, expectProblem, json } from './helpers/http';
import { db, makeCategory, makeProduct, unique } from './helpers/factories';

const iso = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
const names = (body: { results: { name: string }[] }) => body.results.map((p) => p.name);

/** GET a product list restricted to one category (isolates the test from other tests' rows). */
async function list(categoryId: number, qs = '') {
  const res = await api('GET', `/api/v1/products/?category=${categoryId}${qs ? `&${qs}` : ''}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return json(res);
}

describe('categories', () => {
  it('lists categories with their active product count', async () => {
    const cat = await makeCategory({ description: 'Things' });
    await makeProduct({ categoryId: cat.id });
    await makeProduct({ categoryId: cat.id });
    await makeProduct({ categoryId: cat.id, isActive: false });
    const body = await json(await api('GET', '/api/v1/categories/?page_size=100'));
    const found = body.results.find((c: { id: number }) => c.id === cat.id);
    expect(found).toEqual({ id: cat.id, name: cat.name, slug: cat.slug, description: 'Things', product_count: 2 });
    expect(body.count).toBeGreaterThanOrEqual(1);
    const sorted = [...names(body)].sort();
    expect(names(body)).toEqual(sorted);
  });

  it('reads one category by id or slug, 404 otherwise', async () => {
    const cat = await makeCategory();
    await makeProduct({ categoryId: cat.id });
    for (const key of [String(cat.id), cat.slug]) {
      const res = await api('GET', `/api/v1/categories/${key}/`);
      expect(res.status).toBe(200);
      expect(await json(res)).toMatchObject({ id: cat.id, slug: cat.slug, product_count: 1 });
    }
    await expectProblem(await api('GET', '/api/v1/categories/no-such-category/'), 404, 'not_found');
    await expectProblem(await api('GET', '/api/v1/categories/999999/'), 404, 'not_found');
  });

  it('prefers an id over a numeric slug', async () => {
    const target = await makeCategory();
    const numeric = await makeCategory({ name: unique('Numeric '), slug: String(target.id) });
    expect((await json(await api('GET', `/api/v1/categories/${target.id}`))).id).toBe(target.id);
    expect(numeric.slug).toBe(String(target.id));
  });
});

describe('product list filters', () => {
  it('filters by category id, slug or exact name; an unknown category is empty', async () => {
    const cat = await makeCategory();
    const other = await makeCategory();
    const p = await makeProduct({ categoryId: cat.id });
    await makeProduct({ categoryId: other.id });
    for (const value of [String(cat.id), cat.slug, cat.name]) {
      const body = await json(await api('GET', `/api/v1/products/?category=${encodeURIComponent(value)}`));
      expect(body.results.map((r: { id: number }) => r.id)).toEqual([p.id]);
      expect(body.results[0].category).toEqual({ id: cat.id, name: cat.name, slug: cat.slug });
    }
    const none = await json(await api('GET', '/api/v1/products/?category=nothing-here'));
    expect(none).toEqual({ count: 0, next: null, previous: null, results: [] });
  });

  it('hides inactive products', async () => {
    const cat = await makeCategory();
    await makeProduct({ categoryId: cat.id, name: 'Visible' });
    await makeProduct({ categoryId: cat.id, name: 'Hidden', isActive: false });
    expect(names(await list(cat.id))).toEqual(['Visible']);
  });

  it('searches name and description by word prefix, folding case and accents (FTS5)', async () => {
    const cat = await makeCategory();
    await makeProduct({ categoryId: cat.id, name: 'Blue Kettle', description: 'steel', createdAt: iso(1) });
    await makeProduct({ categoryId: cat.id, name: 'Teapot', description: 'A KETTLE companion', createdAt: iso(2) });
    await makeProduct({ categoryId: cat.id, name: '100% cotton', description: 'shirt', createdAt: iso(3) });
    await makeProduct({ categoryId: cat.id, name: 'Crème brûlée torch', description: 'for the kitchen', createdAt: iso(4) });
    await makeProduct({ categoryId: cat.id, name: 'Ελληνικό μέλι', description: 'Θυμαρίσιο', createdAt: iso(5) });
    const search = (q: string) => list(cat.id, `search=${encodeURIComponent(q)}&ordering=-created_at`);
    expect(names(await search('kettle'))).toEqual(['Teapot', 'Blue Kettle']);
    expect(names(await search('KETT'))).toEqual(['Teapot', 'Blue Kettle']); // prefix, any case
    expect(names(await search('blue kett'))).toEqual(['Blue Kettle']); // every word must match
    expect(names(await search('creme brulee'))).toEqual(['Crème brûlée torch']); // accents folded
    expect(names(await search('CRÈME'))).toEqual(['Crème brûlée torch']);
    expect(names(await search('ελληνικό ΜΈΛ'))).toEqual(['Ελληνικό μέλι']); // non-Latin case folding
    expect(names(await search('100%'))).toEqual(['100% cotton']); // punctuation separates words, never FTS syntax
    expect(names(await search('"kettle" OR NEAR(*'))).toEqual([]); // operators are plain words: "or", "near" match nothing
    expect(names(await search('%%'))).toEqual([]); // no word at all: no match
    expect(names(await list(cat.id, 'search=%20%20'))).toHaveLength(5); // blank search = no filter
    // An edit re-indexes the product (triggers); a stock change does not need to.
    const [teapot] = (await search('teapot')).results;
    await db().update(products).set({ name: 'Samovar' }).where(eqId(teapot.id));
    await purgeEverything();
    expect(names(await search('teapot'))).toEqual([]);
    expect(names(await search('samo'))).toEqual(['Samovar']);
  });

  it('ranks a search by relevance when no ordering is given (name above description)', async () => {
    const cat = await makeCategory();
    await makeProduct({ categoryId: cat.id, name: 'Mug', description: 'goes well with a kettle', createdAt: iso(3) });
    await makeProduct({ categoryId: cat.id, name: 'Kettle', description: 'boils water', createdAt: iso(1) });
    await makeProduct({ categoryId: cat.id, name: 'Steel kettle', description: 'a kettle of steel', createdAt: iso(2) });
    const ranked = names(await list(cat.id, 'search=kettle'));
    expect(ranked).toHaveLength(3);
    expect(ranked[2]).toBe('Mug');
    // An explicit ordering wins over relevance.
    expect(names(await list(cat.id, 'search=kettle&ordering=name'))).toEqual(['Kettle', 'Mug', 'Steel kettle']);
  });

  it('filters by price range (inclusive, decimal strings) and stock', async () => {
    const cat = await makeCategory();
    await makeProduct({ categoryId: cat.id, name: 'cheap', priceCents: 500, stock: 0, createdAt: iso(1) });
    await makeProduct({ categoryId: cat.id, name: 'mid', priceCents: 1999, stock: 3, createdAt: iso(2) });
    await makeProduct({ categoryId: cat.id, name: 'dear', priceCents: 5000, stock: 1, createdAt: iso(3) });
    expect(names(await list(cat.id, 'min_price=19.99'))).toEqual(['dear', 'mid']);
    expect(names(await list(cat.id, 'max_price=19.99'))).toEqual(['mid', 'cheap']);
    expect(names(await list(cat.id, 'min_price=5&max_price=20'))).toEqual(['mid', 'cheap']);
    expect(names(await list(cat.id, 'in_stock=true'))).toEqual(['dear', 'mid']);
    expect(names(await list(cat.id, 'in_stock=false'))).toEqual(['cheap']);
    const mid = (await list(cat.id, 'min_price=19.99&max_price=19.99&in_stock=true')).results[0];
    expect(mid).toMatchObject({ price: '19.99', stock: 3, in_stock: true });
  });

  it('refuses bad filter values with 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['min_price=abc', 'min_price'],
      ['max_price=-1', 'max_price'],
      ['min_price=1.234', 'min_price'],
      ['in_stock=yes', 'in_stock'],
      ['ordering=stock', 'ordering'],
      ['page_size=0', 'page_size'],
      ['page_size=abc', 'page_size'],
      ['page=0', 'page'],
      [`search=${'x'.repeat(201)}`, 'search'],
    ];
    for (const [qs, field] of cases) {
      const body = await expectProblem(await api('GET', `/api/v1/products/?${qs}`), 400, 'validation_error');
      expect(body.errors?.map((e) => e.field), qs).toContain(field);
    }
  });
});

describe('empty query values', () => {
  it('are ignored as django-filter ignores them: the same answer as without them', async () => {
    const cat = await makeCategory();
    await makeProduct({ categoryId: cat.id, name: 'only one' });
    const plain = await json(await api('GET', `/api/v1/products/?category=${cat.id}`));
    const res = await api('GET', `/api/v1/products/?category=${cat.id}&search=&min_price=&max_price=&in_stock=&ordering=&page=&page_size=`);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.count).toBe(1);
    expect(body.results).toEqual(plain.results);
  });
});

describe('product list ordering', () => {
  it('orders by every key, ties broken by id, default -created_at', async () => {
    const cat = await makeCategory();
    const a = await makeProduct({ categoryId: cat.id, name: 'Alpha', priceCents: 300, createdAt: iso(2) });
    const b = await makeProduct({ categoryId: cat.id, name: 'Bravo', priceCents: 100, createdAt: iso(3) });
    const c = await makeProduct({ categoryId: cat.id, name: 'Charlie', priceCents: 200, createdAt: iso(1) });
    const d = await makeProduct({ categoryId: cat.id, name: 'Delta', priceCents: 200, createdAt: iso(1) });
    await db().batch([
      db().update(products).set({ ratingAvg: 4.5, ratingCount: 2, ratingSum: 9 }).where(eqId(a.id)),
      db().update(products).set({ ratingAvg: 2, ratingCount: 1, ratingSum: 2 }).where(eqId(b.id)),
      db().update(products).set({ ratingAvg: 3, ratingCount: 1, ratingSum: 3 }).where(eqId(c.id)),
      db().update(products).set({ ratingAvg: 3, ratingCount: 1, ratingSum: 3 }).where(eqId(d.id)),
    ]);
    await purgeEverything();
    const expected: Record<string, string[]> = {
      '': ['Bravo', 'Alpha', 'Delta', 'Charlie'],
      '-created_at': ['Bravo', 'Alpha', 'Delta', 'Charlie'],
      created_at: ['Charlie', 'Delta', 'Alpha', 'Bravo'],
      price: ['Bravo', 'Charlie', 'Delta', 'Alpha'],
      '-price': ['Alpha', 'Delta', 'Charlie', 'Bravo'],
      name: ['Alpha', 'Bravo', 'Charlie', 'Delta'],
      '-name': ['Delta', 'Charlie', 'Bravo', 'Alpha'],
      rating: ['Bravo', 'Charlie', 'Delta', 'Alpha'],
      '-rating': ['Alpha', 'Delta', 'Charlie', 'Bravo'],
    };
    for (const [ordering, want] of Object.entries(expected)) {
      expect(names(await list(cat.id, ordering ? `ordering=${ordering}` : '')), ordering).toEqual(want);
    }
    const top = (await list(cat.id, 'ordering=-rating')).results[0];
    expect(top.rating).toEqual({ average: 4.5, count: 2 });
  });
});

describe('pagination', () => {
  it('pages with absolute next/previous links and 404 past the end', async () => {
    const cat = await makeCategory();
    for (let i = 1; i <= 5; i++) await makeProduct({ categoryId: cat.id, name: `P${i}`, createdAt: iso(i) });
    const p1 = await list(cat.id, 'page_size=2');
    expect(p1).toMatchObject({ count: 5, previous: null });
    expect(names(p1)).toEqual(['P5', 'P4']);
    const next = new URL(p1.next);
    expect(next.origin).toBe('https://api.test');
    expect(next.pathname).toBe('/api/v1/products/');
    expect(Object.fromEntries(next.searchParams)).toEqual({ category: String(cat.id), page: '2', page_size: '2' });

    const p2 = await json(await api('GET', `${next.pathname}${next.search}`));
    expect(names(p2)).toEqual(['P3', 'P2']);
    expect(new URL(p2.previous).searchParams.get('page')).toBeNull();

    const p3 = await list(cat.id, 'page_size=2&page=3');
    expect(names(p3)).toEqual(['P1']);
    expect(p3.next).toBeNull();
    expect(new URL(p3.previous).searchParams.get('page')).toBe('2');
    await expectProblem(await api('GET', `/api/v1/products/?category=${cat.id}&page_size=2&page=4`), 404, 'not_found');
    // An empty first page is a valid answer, not a 404.
    expect(await list((await makeCategory()).id)).toEqual({ count: 0, next: null, previous: null, results: [] });
  });

  it('caps page_size at 100 and keeps one D1 query for a full page', async () => {
    const cat = await makeCategory();
    const rows = Array.from({ length: 101 }, (_, i) => {
      const sku = unique('CAP-').toUpperCase();
      return db().insert(products).values({ name: `Cap ${i}`, slug: sku.toLowerCase(), sku, priceCents: 100 + i, stock: 1, categoryId: cat.id });
    });
    await db().batch(rows as [(typeof rows)[number], ...typeof rows]);
    await purgeEverything();
    const res = await api('GET', `/api/v1/products/?category=${cat.id}&page_size=1000`);
    expect(d1Calls(res)).toBe(1);
    const body = await json(res);
    expect(body.count).toBe(101);
    expect(body.results).toHaveLength(100);
    expect(new URL(body.next).searchParams.get('page')).toBe('2');
  });
});

describe('product detail', () => {
  it('answers the Product JSON of an active product', async () => {
    const cat = await makeCategory();
    const p = await makeProduct({ categoryId: cat.id, priceCents: 129999, stock: 0 });
    const res = await api('GET', `/api/v1/products/${p.id}`);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      id: p.id, name: p.name, slug: p.slug, sku: p.sku, description: p.description, price: '1299.99', currency: 'usd',
      stock: 0, in_stock: false, category: { id: cat.id, name: cat.name, slug: cat.slug }, images: [],
      rating: { average: 0, count: 0 }, is_active: true, created_at: p.createdAt, updated_at: p.updatedAt,
    });
  });

  it('404s for inactive, unknown and malformed ids', async () => {
    const hidden = await makeProduct({ isActive: false });
    await expectProblem(await api('GET', `/api/v1/products/${hidden.id}/`), 404, 'not_found');
    await expectProblem(await api('GET', '/api/v1/products/99999999/'), 404, 'not_found');
    await expectProblem(await api('GET', '/api/v1/products/abc/'), 404, 'not_found');
    await expectProblem(await api('GET', '/api/v1/products/0/'), 404, 'not_found');
    await expectProblem(await api('GET', '/api/v1/products/99999999999999999999999/'), 404, 'not_found');
  });
});

describe('D1 budget (uncached requests)', () => {
  it('costs exactly one D1 round trip per list and detail', async () => {
    const cat = await makeCategory();
    const p = await makeProduct({ categoryId: cat.id });
    // An empty cache guarantees the requests below miss.
    await purgeEverything();
    for (const path of [
      `/api/v1/products/?category=${cat.slug}&min_price=1&max_price=100&in_stock=true&search=product&ordering=-price`,
      '/api/v1/products/?page_size=100',
      `/api/v1/products/${p.id}/`,
      '/api/v1/categories/',
      `/api/v1/categories/${cat.slug}/`,
    ]) {
      const res = await api('GET', path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('X-Cache'), path).toBe('MISS');
      expect(d1Calls(res), path).toBe(1);
    }
  });
});

describe('query plans', () => {
  /** EXPLAIN QUERY PLAN of the exact statement the service runs. */
  async function plan(q: { toSQL(): { sql: string; params: unknown[] } }): Promise<string[]> {
    const { sql, params } = q.toSQL();
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all<{ detail: string }>();
    return results.map((r) => r.detail);
  }
  const page = { page: 1, page_size: 20 };

  it('walks products_active_created_idx for the default ordering (no sort, no scan)', async () => {
    const steps = await plan(productPageQuery(db(), { ordering: '-created_at' }, page));
    expect(steps.join('\n')).toMatch(/SEARCH products USING (COVERING )?INDEX products_active_created_idx/);
    expect(steps.filter((s) => /SCAN products|TEMP B-TREE/.test(s)), steps.join('\n')).toEqual([]);
  });

  it('uses the index of each ordering', async () => {
    const indexOf = { price: 'products_active_price_idx', name: 'products_active_name_idx', rating: 'products_active_rating_idx' } as const;
    for (const [key, index] of Object.entries(indexOf)) {
      for (const ordering of [key, `-${key}`] as ProductOrdering[]) {
        const steps = await plan(productPageQuery(db(), { ordering }, page));
        expect(steps.join('\n'), ordering).toContain(`INDEX ${index}`);
        expect(steps.filter((s) => /SCAN products|TEMP B-TREE FOR ORDER BY/.test(s)), ordering).toEqual([]);
      }
    }
  });

  it('walks products_category_idx for a category filter (by id, slug or name)', async () => {
    for (const category of ['12', 'kitchen', 'Kitchen & Dining']) {
      const steps = await plan(productPageQuery(db(), { ordering: '-created_at', category }, page));
      expect(steps.join('\n')).toMatch(/SEARCH products USING (COVERING )?INDEX products_category_idx/);
      expect(steps.filter((s) => /SCAN products|SCAN categories|TEMP B-TREE/.test(s)), steps.join('\n')).toEqual([]);
    }
  });

  it('answers a search from the FTS5 matches: every product read by its primary key, in the page and its count', async () => {
    // Not merely "no SCAN": walking an index over every active product (products_active_stock_idx for the count,
    // an ordering's index to skip the sort) is a scan of the catalog too, 10–15 ms at 100,000 products.
    for (const f of [{ search: 'kettle' }, { search: 'blue kett', ordering: '-price' as const }, { search: 'kettle', category: 'kitchen' }]) {
      const steps = await plan(productPageQuery(db(), f, page));
      const text = steps.join('\n');
      expect(text, JSON.stringify(f)).toMatch(/SCAN products_fts VIRTUAL TABLE INDEX/);
      const productReads = steps.filter((s) => /\bproducts\b(?!_)/.test(s));
      expect(productReads, text).toEqual(['SEARCH products USING INTEGER PRIMARY KEY (rowid=?)', 'SEARCH products USING INTEGER PRIMARY KEY (rowid=?)']);
    }
  });

  it('counts category products through the covering index', async () => {
    const steps = await plan(categoryPageQuery(db(), page));
    expect(steps.join('\n')).toMatch(/SEARCH p USING COVERING INDEX products_category_idx/);
    expect(steps.filter((s) => /SCAN p\b|TEMP B-TREE/.test(s)), steps.join('\n')).toEqual([]);
  });
});

function eqId(id: number) {
  return eq(products.id, id);
}

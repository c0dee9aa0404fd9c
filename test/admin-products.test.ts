import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { orderItems, reviews } from '../src/db/schema';
import { fieldsOf, orderProduct } from './fixtures/catalog';
import { db, makeAdmin, makeCategory, makeProduct, makeUser, unique, type TestUser } from './helpers/factories';
import { api, expectProblem, json } from './helpers/http';

let admin: TestUser;
let customer: TestUser;
beforeAll(async () => {
  admin = await makeAdmin();
  customer = await makeUser();
});

const A = '/api/v1/admin';
const as = (body?: unknown) => ({ token: admin.token, body });
const newProduct = (extra: Record<string, unknown> = {}) => ({ name: unique('Widget '), price: '12.50', stock: 3, ...extra });

describe('admin products: create', () => {
  it('creates with a derived slug, a generated SKU and the Product JSON', async () => {
    const cat = await makeCategory();
    const input = newProduct({ description: 'A widget', category_id: cat.id });
    const res = await api('POST', `${A}/products/`, as(input));
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body).toEqual({
      id: expect.any(Number), name: input.name, slug: input.name.toLowerCase().replace(/ /g, '-'), sku: expect.stringMatching(/^SKU-[0-9A-Z]{10}$/),
      description: 'A widget', price: '12.50', currency: 'usd', stock: 3, in_stock: true, category: { id: cat.id, name: cat.name, slug: cat.slug },
      images: [], rating: { average: 0, count: 0 }, is_active: true, created_at: expect.any(String), updated_at: expect.any(String),
    });
    expect(res.headers.get('Location')).toBe(`https://api.test${A}/products/${body.id}/`);
    expect(await json(await api('GET', `${A}/products/${body.id}/`, as()))).toEqual(body);
  });

  it('makes slugs unique with a numeric suffix', async () => {
    const name = unique('Same Name ');
    const slugs = [];
    for (let i = 0; i < 3; i++) slugs.push((await json(await api('POST', `${A}/products/`, as(newProduct({ name }))))).slug);
    const base = name.toLowerCase().replace(/ /g, '-');
    expect(slugs).toEqual([base, `${base}-2`, `${base}-3`]);
  });

  it('gives concurrent creates of one name distinct slugs', async () => {
    const name = unique('Rush ');
    const results = await Promise.all(Array.from({ length: 5 }, () => api('POST', `${A}/products/`, as(newProduct({ name })))));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const slugs = await Promise.all(results.map(async (r) => (await json(r)).slug as string));
    expect(new Set(slugs).size).toBe(5);
    for (const slug of slugs) expect(slug.startsWith(name.toLowerCase().replace(/ /g, '-'))).toBe(true);
  });

  it('accepts a JSON number price with at most two decimals, converted exactly', async () => {
    for (const [price, expected] of [[12.5, '12.50'], [0, '0.00'], [19.99, '19.99'], [1299.99, '1299.99'], ['7', '7.00'], [' 3.1 ', '3.10']] as const) {
      const res = await api('POST', `${A}/products/`, as(newProduct({ price })));
      expect(res.status).toBe(201);
      expect((await json(res)).price).toBe(expected);
    }
  });

  it.each([
    ['a float with float noise', 0.1 + 0.2, 'price'],
    ['three decimals', '12.345', 'price'],
    ['a negative string', '-1.00', 'price'],
    ['a negative number', -1, 'price'],
    ['text', 'abc', 'price'],
    ['a boolean', true, 'price'],
    ['exponent notation', 1e21, 'price'],
  ])('refuses a price that is %s', async (_what, price, field) => {
    const p = await expectProblem(await api('POST', `${A}/products/`, as(newProduct({ price }))), 400, 'validation_error');
    expect(fieldsOf(p)).toEqual([field]);
  });

  it('names every invalid field', async () => {
    let p = await expectProblem(await api('POST', `${A}/products/`, as({})), 400, 'validation_error');
    expect(p.errors).toEqual([
      { field: 'name', message: 'is required' },
      { field: 'price', message: 'is required' },
      { field: 'stock', message: 'is required' },
    ]);
    p = await expectProblem(await api('POST', `${A}/products/`, as(newProduct({ stock: -1 }))), 400, 'validation_error');
    expect(p.errors).toEqual([{ field: 'stock', message: 'must be greater than or equal to 0' }]);
    p = await expectProblem(
      await api('POST', `${A}/products/`, as(newProduct({ stock: 1.5, sku: 'has space', is_active: 'yes', category_id: 'one', description: [] }))),
      400, 'validation_error',
    );
    expect(fieldsOf(p).sort()).toEqual(['category_id', 'description', 'is_active', 'sku', 'stock']);
    expect(p.errors?.find((e) => e.field === 'price')).toBeUndefined();
    const neg = await expectProblem(await api('POST', `${A}/products/`, as(newProduct({ price: '-5' }))), 400, 'validation_error');
    expect(neg.errors).toEqual([{ field: 'price', message: 'must be greater than or equal to 0' }]);
  });

  it('answers 400 on category_id for an unknown category and 409 on sku for a duplicate', async () => {
    let p = await expectProblem(await api('POST', `${A}/products/`, as(newProduct({ category_id: 999999 }))), 400, 'validation_error');
    expect(p.errors).toEqual([{ field: 'category_id', message: expect.any(String) }]);
    const existing = await makeProduct();
    p = await expectProblem(await api('POST', `${A}/products/`, as(newProduct({ sku: existing.sku }))), 409, 'conflict');
    expect(fieldsOf(p)).toEqual(['sku']);
  });

  it('creates inactive products, which the admin still reads', async () => {
    const body = await json(await api('POST', `${A}/products/`, as(newProduct({ is_active: false, stock: 0 }))));
    expect(body).toMatchObject({ is_active: false, in_stock: false, stock: 0 });
    expect((await api('GET', `${A}/products/${body.id}/`, as())).status).toBe(200);
  });
});

describe('admin products: list', () => {
  it('includes inactive products and supports the public filters and orderings', async () => {
    const tag = unique('zq');
    const cat = await makeCategory();
    const cheap = await makeProduct({ name: `${tag} Cheap`, priceCents: 500, stock: 0, categoryId: cat.id });
    const hidden = await makeProduct({ name: `${tag} Hidden`, priceCents: 1500, isActive: false, categoryId: cat.id });
    const dear = await makeProduct({ name: `${tag} Dear`, priceCents: 2500 });
    const ids = async (qs: string) => {
      const res = await api('GET', `${A}/products/?search=${tag}&${qs}`, as());
      expect(res.status).toBe(200);
      expect(res.headers.get('Cache-Control')).toBe('private, no-store');
      return (await json(res)).results.map((p: { id: number }) => p.id);
    };
    expect(await ids('ordering=price')).toEqual([cheap.id, hidden.id, dear.id]);
    expect(await ids('ordering=-price')).toEqual([dear.id, hidden.id, cheap.id]);
    expect(await ids('ordering=name')).toEqual([cheap.id, dear.id, hidden.id]);
    expect(await ids(`category=${cat.slug}&ordering=price`)).toEqual([cheap.id, hidden.id]);
    expect(await ids('min_price=10&max_price=20')).toEqual([hidden.id]);
    expect(await ids('in_stock=false')).toEqual([cheap.id]);
    const page = await json(await api('GET', `${A}/products/?search=${tag}&ordering=price&page_size=2&page=2`, as()));
    expect(page).toMatchObject({ count: 3, next: null, results: [{ id: dear.id }] });
    expect(page.previous).toContain('page_size=2');
    const hiddenJson = (await json(await api('GET', `${A}/products/?search=${tag}&ordering=price`, as()))).results[1];
    expect(hiddenJson).toMatchObject({ id: hidden.id, is_active: false, price: '15.00', category: { id: cat.id } });
  });

  it('answers 400 for bad filter values and 404 past the last page', async () => {
    for (const qs of ['ordering=cost', 'in_stock=maybe', 'min_price=abc', 'page_size=0']) {
      await expectProblem(await api('GET', `${A}/products/?${qs}`, as()), 400, 'validation_error');
    }
    await expectProblem(await api('GET', `${A}/products/?search=${unique('nothing')}&page=2`, as()), 404, 'not_found');
  });
});

describe('admin products: update', () => {
  it('PUT replaces the editable fields, keeps the SKU and slug when absent', async () => {
    const cat = await makeCategory();
    const product = await makeProduct({ categoryId: cat.id, isActive: false, description: 'old' });
    await expectProblem(await api('PUT', `${A}/products/${product.id}/`, as({ name: 'x' })), 400, 'validation_error');
    const name = unique('Replaced ');
    const body = await json(await api('PUT', `${A}/products/${product.id}/`, as({ name, price: 5, stock: 0 })));
    expect(body).toMatchObject({ name, slug: product.slug, sku: product.sku, price: '5.00', stock: 0, in_stock: false, description: '', category: null, is_active: true });
    expect(body.updated_at > product.updatedAt).toBe(true);
    await expectProblem(await api('PUT', `${A}/products/999999/`, as({ name, price: 5, stock: 0 })), 404, 'not_found');
  });

  it('PATCH changes only the given fields', async () => {
    const cat = await makeCategory();
    const product = await makeProduct({ categoryId: cat.id, priceCents: 1000 });
    let body = await json(await api('PATCH', `${A}/products/${product.id}/`, as({ price: '19.99' })));
    expect(body).toMatchObject({ name: product.name, price: '19.99', stock: product.stock, category: { id: cat.id }, is_active: true });
    body = await json(await api('PATCH', `${A}/products/${product.id}/`, as({ category_id: null, is_active: false, sku: `${product.sku}-B` })));
    expect(body).toMatchObject({ price: '19.99', category: null, is_active: false, sku: `${product.sku}-B` });
    expect(await json(await api('PATCH', `${A}/products/${product.id}/`, as({})))).toEqual(body);
  });

  it('PATCH answers 409 on a taken SKU, 400 on an unknown category, 404 on an unknown product', async () => {
    const [a, b] = [await makeProduct(), await makeProduct()];
    const p = await expectProblem(await api('PATCH', `${A}/products/${a.id}/`, as({ sku: b.sku })), 409, 'conflict');
    expect(fieldsOf(p)).toEqual(['sku']);
    expect((await api('PATCH', `${A}/products/${a.id}/`, as({ sku: a.sku }))).status).toBe(200);
    const q = await expectProblem(await api('PATCH', `${A}/products/${a.id}/`, as({ category_id: 999999 })), 400, 'validation_error');
    expect(fieldsOf(q)).toEqual(['category_id']);
    await expectProblem(await api('PATCH', `${A}/products/999999/`, as({ stock: 1 })), 404, 'not_found');
    await expectProblem(await api('PATCH', `${A}/products/999999/`, as({ category_id: 999999, sku: b.sku })), 404, 'not_found');
    await expectProblem(await api('PATCH', `${A}/products/${a.id}/`, as({ stock: -3 })), 400, 'validation_error');
  });
});

describe('admin products: delete', () => {
  it('deletes a product that was never ordered', async () => {
    const product = await makeProduct();
    const res = await api('DELETE', `${A}/products/${product.id}/`, as());
    expect(res.status).toBe(204);
    await expectProblem(await api('GET', `${A}/products/${product.id}/`, as()), 404, 'not_found');
    await expectProblem(await api('DELETE', `${A}/products/${product.id}/`, as()), 404, 'not_found');
  });

  it('archives a product that appears in an order; the order keeps its snapshot', async () => {
    const product = await makeProduct({ name: unique('Ordered ') });
    const order = await orderProduct(customer.id, product.id, product.sku);
    const res = await api('DELETE', `${A}/products/${product.id}/`, as());
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ id: product.id, name: product.name, is_active: false });
    expect((await json(await api('GET', `${A}/products/${product.id}/`, as()))).is_active).toBe(false);
    const [item] = await db().select().from(orderItems).where(eq(orderItems.orderId, order.id));
    expect(item).toMatchObject({ productId: product.id, productName: 'Snapshot name', sku: product.sku, unitPriceCents: 1000 });
    // Deleting again is harmless: still archived, still there.
    expect((await api('DELETE', `${A}/products/${product.id}/`, as())).status).toBe(200);
  });

  it('is visible on the public (edge-cached) catalog as soon as the write has answered', async () => {
    const product = await makeProduct({ priceCents: 1000 });
    const path = `/api/v1/products/${product.id}/`;
    expect((await json(await api('GET', path))).price).toBe('10.00');
    expect((await json(await api('GET', path))).price).toBe('10.00');
    await api('PATCH', `${A}/products/${product.id}/`, as({ price: '11.00' }));
    expect((await json(await api('GET', path))).price).toBe('11.00');
    await api('PATCH', `${A}/products/${product.id}/`, as({ is_active: false }));
    await expectProblem(await api('GET', path), 404, 'not_found');
  });

  it('every product write is visible at once to the next public read (its cached answers are purged)', async () => {
    const created = await json(await api('POST', `${A}/products/`, as(newProduct())));
    const detail = `/api/v1/products/${created.id}/`;
    const list = '/api/v1/products/?page_size=100';
    const ids = async () => (await json(await api('GET', list))).results.map((p: { id: number }) => p.id);
    expect(await ids()).toContain(created.id);
    expect((await json(await api('GET', detail))).stock).toBe(created.stock);
    await api('PATCH', `${A}/products/${created.id}/`, as({ stock: 9 }));
    expect((await json(await api('GET', detail))).stock).toBe(9);
    const replaced = newProduct();
    await api('PUT', `${A}/products/${created.id}/`, as(replaced));
    expect((await json(await api('GET', detail))).name).toBe(replaced.name);
    await api('DELETE', `${A}/products/${created.id}/`, as());
    expect((await api('GET', detail)).status).toBe(404);
    expect(await ids()).not.toContain(created.id);
  });
});

describe('D1 foreign keys', () => {
  it('are enforced (reviews of a deleted product go with it)', async () => {
    const product = await makeProduct();
    await db().insert(reviews).values({ productId: product.id, userId: customer.id, rating: 4 });
    expect((await api('DELETE', `${A}/products/${product.id}/`, as())).status).toBe(204);
    expect(await db().select().from(reviews).where(eq(reviews.productId, product.id))).toEqual([]);
  });
});

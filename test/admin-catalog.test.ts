import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeAdmin, makeCategory, makeProduct, makeUser, unique, type TestUser } from './helpers/factories';
import { fieldsOf } from './fixtures/catalog';
import { api, expectProblem, json } from './helpers/http';

let admin: TestUser;
let customer: TestUser;
beforeAll(async () => {
  admin = await makeAdmin();
  customer = await makeUser();
});

const A = '/api/v1/admin';
const as = (body?: unknown) => ({ token: admin.token, body });

describe('admin catalog: auth boundaries', () => {
  const routes: [string, string][] = [
    ['GET', `${A}/categories/`], ['POST', `${A}/categories/`], ['GET', `${A}/categories/1/`], ['PUT', `${A}/categories/1/`],
    ['PATCH', `${A}/categories/1/`], ['DELETE', `${A}/categories/1/`], ['GET', `${A}/products/`], ['POST', `${A}/products/`],
    ['GET', `${A}/products/1/`], ['PUT', `${A}/products/1/`], ['PATCH', `${A}/products/1/`], ['DELETE', `${A}/products/1/`],
  ];
  it.each(routes)('%s %s: 401 without a token, 403 for a customer', async (method, path) => {
    const body = method === 'GET' || method === 'DELETE' ? undefined : { name: 'x' };
    await expectProblem(await api(method, path, { body }), 401, 'not_authenticated');
    await expectProblem(await api(method, path, { body, token: customer.token }), 403, 'permission_denied');
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const res = await api('POST', `${A}/categories/1/`, as({ name: 'x' }));
    await expectProblem(res, 405, 'method_not_allowed');
    const allow = res.headers.get('Allow')?.split(', ') ?? [];
    expect(allow).toEqual(expect.arrayContaining(['DELETE', 'GET', 'PATCH', 'PUT']));
    expect(allow).not.toContain('POST');
  });

  it('a customer cannot create anything', async () => {
    const name = unique('Forbidden ');
    await api('POST', `${A}/categories/`, { token: customer.token, body: { name } });
    const list = await json(await api('GET', `${A}/categories/?page_size=100`, as()));
    expect(list.results.map((c: { name: string }) => c.name)).not.toContain(name);
  });
});

describe('admin categories', () => {
  it('creates with a slug derived from the name (ASCII, lower case, hyphens)', async () => {
    const tag = unique('t');
    const res = await api('POST', `${A}/categories/`, as({ name: `Café & Crème Brûlée ${tag}`, description: 'Sweet' }));
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body).toMatchObject({ name: `Café & Crème Brûlée ${tag}`, slug: `cafe-creme-brulee-${tag}`, description: 'Sweet', product_count: 0 });
    expect(res.headers.get('Location')).toBe(`https://api.test${A}/categories/${body.id}/`);
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
    expect(await json(await api('GET', `${A}/categories/${body.id}`, as()))).toEqual(body);
  });

  it('keeps an explicit slug and gives names without ASCII letters a usable slug', async () => {
    const slug = unique('my-slug-');
    expect((await json(await api('POST', `${A}/categories/`, as({ name: unique('Named '), slug })))).slug).toBe(slug);
    const cjk = [...unique('')].map((ch) => String.fromCharCode(0x4e00 + ch.charCodeAt(0))).join('');
    const res = await api('POST', `${A}/categories/`, as({ name: `日本 ${cjk}` }));
    expect(res.status).toBe(201);
    expect((await json(res)).slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('validates the body field by field', async () => {
    let p = await expectProblem(await api('POST', `${A}/categories/`, as({})), 400, 'validation_error');
    expect(p.errors).toEqual([{ field: 'name', message: 'is required' }]);
    p = await expectProblem(await api('POST', `${A}/categories/`, as({ name: '   ', slug: 'Not A Slug', description: 5 })), 400, 'validation_error');
    expect(fieldsOf(p).sort()).toEqual(['description', 'name', 'slug']);
    p = await expectProblem(await api('POST', `${A}/categories/`, as({ name: 'x'.repeat(201) })), 400, 'validation_error');
    expect(fieldsOf(p)).toEqual(['name']);
    await expectProblem(await api('POST', `${A}/categories/`, { token: admin.token, raw: '{"name":', headers: { 'Content-Type': 'application/json' } }), 400, 'malformed_json');
  });

  it('answers 409 naming the field on a duplicate name, slug or derived slug', async () => {
    const existing = await makeCategory({ name: unique('Home Garden '), slug: unique('home-garden-') });
    let p = await expectProblem(await api('POST', `${A}/categories/`, as({ name: existing.name, slug: unique('other-') })), 409, 'conflict');
    expect(p.errors).toEqual([{ field: 'name', message: expect.any(String) }]);
    p = await expectProblem(await api('POST', `${A}/categories/`, as({ name: unique('Other '), slug: existing.slug })), 409, 'conflict');
    expect(fieldsOf(p)).toEqual(['slug']);
    // "Home-Garden x" derives the slug "home-garden-x", already taken by a category of another name.
    const tail = existing.slug.replace('home-garden-', '');
    p = await expectProblem(await api('POST', `${A}/categories/`, as({ name: `Home-Garden ${tail}` })), 409, 'conflict');
    expect(fieldsOf(p)).toEqual(['slug']);
    const other = await makeCategory();
    p = await expectProblem(await api('PATCH', `${A}/categories/${other.id}/`, as({ slug: existing.slug })), 409, 'conflict');
    expect(fieldsOf(p)).toEqual(['slug']);
  });

  it('treats a name in another letter case as a duplicate, even with its own slug', async () => {
    const name = unique('Running Shoes ');
    const existing = await json(await api('POST', `${A}/categories/`, as({ name })));
    let p = await expectProblem(await api('POST', `${A}/categories/`, as({ name: name.toUpperCase(), slug: unique('upper-') })), 409, 'conflict');
    expect(fieldsOf(p)).toEqual(['name']);
    const other = await makeCategory();
    p = await expectProblem(await api('PATCH', `${A}/categories/${other.id}/`, as({ name: name.toLowerCase() })), 409, 'conflict');
    expect(fieldsOf(p)).toEqual(['name']);
    p = await expectProblem(await api('PUT', `${A}/categories/${other.id}/`, as({ name: name.toLowerCase(), slug: unique('lower-') })), 409, 'conflict');
    expect(fieldsOf(p)).toEqual(['name']);
    expect(await json(await api('GET', `${A}/categories/${other.id}/`, as()))).toMatchObject({ name: other.name, slug: other.slug });
    // Changing the case of a category's own name is a rename, not a clash.
    expect(await json(await api('PATCH', `${A}/categories/${existing.id}/`, as({ name: name.toUpperCase() })))).toMatchObject({ name: name.toUpperCase(), slug: existing.slug });
  });

  it('lists categories paginated, with product counts that include inactive products', async () => {
    const cat = await makeCategory({ name: `000 ${unique('First ')}` });
    await makeProduct({ categoryId: cat.id });
    await makeProduct({ categoryId: cat.id, isActive: false });
    const page = await json(await api('GET', `${A}/categories/?page_size=1`, as()));
    expect(page.count).toBeGreaterThanOrEqual(2);
    expect(page.results).toHaveLength(1);
    expect(page.results[0]).toMatchObject({ id: cat.id, product_count: 2 });
    expect(page.next).toBe(`https://api.test${A}/categories/?page_size=1&page=2`);
    expect(page.previous).toBeNull();
    await expectProblem(await api('GET', `${A}/categories/?page=999`, as()), 404, 'not_found');
    await expectProblem(await api('GET', `${A}/categories/?page=0`, as()), 400, 'validation_error');
  });

  it('PUT replaces: name required, slug derived again, description reset', async () => {
    const cat = await makeCategory({ description: 'old' });
    await expectProblem(await api('PUT', `${A}/categories/${cat.id}/`, as({ description: 'x' })), 400, 'validation_error');
    const name = unique('Replaced Name ');
    const body = await json(await api('PUT', `${A}/categories/${cat.id}/`, as({ name })));
    expect(body).toMatchObject({ id: cat.id, name, slug: name.toLowerCase().replace(/ /g, '-'), description: '' });
    expect(body.updated_at >= cat.updatedAt).toBe(true);
  });

  it('PATCH changes only the given fields and keeps the slug on rename', async () => {
    const cat = await makeCategory({ description: 'old' });
    const name = unique('Renamed ');
    const body = await json(await api('PATCH', `${A}/categories/${cat.id}/`, as({ name })));
    expect(body).toMatchObject({ name, slug: cat.slug, description: 'old' });
    expect(await json(await api('PATCH', `${A}/categories/${cat.id}/`, as({ description: 'new' })))).toMatchObject({ name, description: 'new' });
    await expectProblem(await api('PATCH', `${A}/categories/${cat.id}/`, as({ name: '' })), 400, 'validation_error');
  });

  it('answers 404 for unknown categories on every item route', async () => {
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
      await expectProblem(await api(method, `${A}/categories/999999/`, as(method === 'PUT' || method === 'PATCH' ? { name: unique('N') } : undefined)), 404, 'not_found');
    }
    await expectProblem(await api('GET', `${A}/categories/abc/`, as()), 404, 'not_found');
    // Ids that cannot exist are unknown too (as on the public routes), not a 400.
    for (const id of ['0', '99999999999999999999']) {
      for (const kind of ['categories', 'products']) {
        await expectProblem(await api('GET', `${A}/${kind}/${id}/`, as()), 404, 'not_found');
        await expectProblem(await api('PATCH', `${A}/${kind}/${id}/`, as({})), 404, 'not_found');
        await expectProblem(await api('DELETE', `${A}/${kind}/${id}/`, as()), 404, 'not_found');
      }
    }
  });

  it('DELETE keeps the products, uncategorised', async () => {
    const cat = await makeCategory();
    const product = await makeProduct({ categoryId: cat.id });
    const before = await json(await api('GET', `${A}/products/${product.id}/`, as()));
    expect(before.category).toEqual({ id: cat.id, name: cat.name, slug: cat.slug });
    const res = await api('DELETE', `${A}/categories/${cat.id}/`, as());
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    const after = await json(await api('GET', `${A}/products/${product.id}/`, as()));
    expect(after.category).toBeNull();
    expect(after.id).toBe(product.id);
    await expectProblem(await api('GET', `${A}/categories/${cat.id}/`, as()), 404, 'not_found');
  });

  it('every write is visible at once to the next public read (its cached answers are purged)', async () => {
    const created = await json(await api('POST', `${A}/categories/`, as({ name: unique('Versioned ') })));
    const publicPath = `/api/v1/categories/${created.id}/`;
    expect((await json(await api('GET', publicPath))).name).toBe(created.name);
    const renamed = unique('Versioned ');
    await api('PUT', `${A}/categories/${created.id}/`, as({ name: renamed }));
    expect((await json(await api('GET', publicPath))).name).toBe(renamed);
    await api('PATCH', `${A}/categories/${created.id}/`, as({ description: 'd' }));
    expect((await json(await api('GET', publicPath))).description).toBe('d');
    expect((await json(await api('GET', '/api/v1/categories/?page_size=100'))).results.map((c: { id: number }) => c.id)).toContain(created.id);
    await api('DELETE', `${A}/categories/${created.id}/`, as());
    expect((await api('GET', publicPath)).status).toBe(404);
    expect((await json(await api('GET', '/api/v1/categories/?page_size=100'))).results.map((c: { id: number }) => c.id)).not.toContain(created.id);
  });
});

describe('admin catalog in the OpenAPI document', () => {
  it('describes every route with its body schema', async () => {
    const paths = (await json(await api('GET', '/api/v1/openapi.json'))).paths;
    expect(Object.keys(paths[`${A}/categories/`])).toEqual(['get', 'post']);
    expect(Object.keys(paths[`${A}/categories/{id}/`])).toEqual(['get', 'put', 'patch', 'delete']);
    expect(Object.keys(paths[`${A}/products/`])).toEqual(['get', 'post']);
    expect(Object.keys(paths[`${A}/products/{id}/`])).toEqual(['get', 'put', 'patch', 'delete']);
    const create = paths[`${A}/products/`].post.requestBody.content['application/json'].schema;
    expect(create.required).toEqual(['name', 'price', 'stock']);
    expect(Object.keys(paths[`${A}/products/{id}/`].delete.responses)).toEqual(expect.arrayContaining(['200', '204']));
    expect(paths[`${A}/products/`].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['search', 'category', 'min_price', 'max_price', 'in_stock', 'ordering', 'page', 'page_size']),
    );
  });
});

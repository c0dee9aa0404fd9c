/** Admin category routes (API.md "Admin"): list, create, read, replace, patch, delete. Guarded by admin.routes.ts. */
import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { describe } from '../http/openapi';
import { PageQuery, pageOf, paginate } from '../http/pagination';
import { jsonBody, params, query } from '../http/validate';
import { AdminCategoryView, adminCategoryView, CategoryBody, CategoryPatchBody, IdParam } from './catalog-admin.schemas';
import { bumpCatalogVersion } from './catalog-version';
import { createCategory, deleteCategory, getCategory, listCategories, updateCategory } from './categories-admin.service';

export const adminCategoriesRoutes = new Hono<AppEnv>({ strict: false });
const BASE = '/api/v1/admin/categories';
const ONE = `${BASE}/:id{[0-9]+}`;
const doc = { tag: 'Admin: catalog', auth: 'admin' as const };
const view = { description: 'The category', schema: AdminCategoryView };

describe({
  ...doc, method: 'get', path: `${BASE}/`, summary: 'List categories (by name)', query: PageQuery,
  responses: { 200: { description: 'A page of categories', schema: pageOf(AdminCategoryView) } },
});
adminCategoriesRoutes.get(BASE, query(PageQuery), async (c) => {
  const page = c.req.valid('query');
  const { count, rows } = await listCategories(c.get('db'), page);
  return c.json(paginate(c.req.url, page, count, rows.map(adminCategoryView)));
});

describe({
  ...doc, method: 'post', path: `${BASE}/`, summary: 'Create a category', body: CategoryBody,
  description: 'The slug is derived from the name when absent (lower-case ASCII and hyphens). A duplicate name or slug is a 409 naming the field.',
  responses: { 201: view }, errors: ['conflict', 'malformed_json'],
});
adminCategoriesRoutes.post(BASE, jsonBody(CategoryBody), async (c) => {
  const row = await createCategory(c.get('db'), c.req.valid('json'));
  // Every catalog write bumps the version before answering, so no later public read is served from older cache.
  await bumpCatalogVersion(c.env);
  return c.json(adminCategoryView(row), 201, { Location: `${new URL(c.req.url).origin}${BASE}/${row.id}/` });
});

describe({ ...doc, method: 'get', path: `${ONE}/`, summary: 'Read a category', params: IdParam, responses: { 200: view }, errors: ['not_found'] });
adminCategoriesRoutes.get(ONE, params(IdParam), async (c) => c.json(adminCategoryView(await getCategory(c.get('db'), c.req.valid('param').id))));

for (const [method, body, summary] of [
  ['put', CategoryBody, 'Replace a category (absent slug: derived from the name again; absent description: empty)'],
  ['patch', CategoryPatchBody, 'Change some fields of a category (the slug is kept on rename unless given)'],
] as const) {
  describe({ ...doc, method, path: `${ONE}/`, summary, params: IdParam, body, responses: { 200: view }, errors: ['not_found', 'conflict', 'malformed_json'] });
}
adminCategoriesRoutes.put(ONE, params(IdParam), jsonBody(CategoryBody), async (c) => {
  const row = await updateCategory(c.get('db'), c.req.valid('param').id, c.req.valid('json'), 'put');
  await bumpCatalogVersion(c.env);
  return c.json(adminCategoryView(row));
});
adminCategoriesRoutes.patch(ONE, params(IdParam), jsonBody(CategoryPatchBody), async (c) => {
  const row = await updateCategory(c.get('db'), c.req.valid('param').id, c.req.valid('json'), 'patch');
  await bumpCatalogVersion(c.env);
  return c.json(adminCategoryView(row));
});

describe({
  ...doc, method: 'delete', path: `${ONE}/`, summary: 'Delete a category', params: IdParam,
  description: 'Its products keep existing, with `category: null`.',
  responses: { 204: { description: 'Deleted' } }, errors: ['not_found'],
});
adminCategoriesRoutes.delete(ONE, params(IdParam), async (c) => {
  await deleteCategory(c.get('db'), c.req.valid('param').id);
  await bumpCatalogVersion(c.env);
  return c.body(null, 204);
});

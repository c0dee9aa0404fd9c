/**
 * Admin catalog routes (API.md "Admin"): products here, categories in categories-admin.routes.ts. Mounted under
 * /api/v1/admin by admin.routes.ts, which requires the admin role. Every write bumps the catalog version after
 * its D1 write and before answering, so no public read served later can come from an older cache entry.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../env';
import { notFound } from '../errors';
import { logError } from '../http/logging';
import { describe } from '../http/openapi';
import { pageOf, paginate } from '../http/pagination';
import { jsonBody, params, query } from '../http/validate';
import { deleteImageObjects } from '../media/images.service';
import { IdParam, ProductBody, ProductPatchBody, productInput } from './catalog-admin.schemas';
import { createProduct, deleteOrArchiveProduct, updateProduct } from './catalog-admin.service';
import { bumpCatalogVersion } from './catalog-version';
import { ProductListQuery } from './catalog.schemas';
import { listProducts } from './catalog.service';
import { adminCategoriesRoutes } from './categories-admin.routes';
import { findProduct, ProductView, productView, type ProductRowView } from './products.queries';

export const adminCatalogRoutes = new Hono<AppEnv>({ strict: false });
adminCatalogRoutes.route('/', adminCategoriesRoutes);

const BASE = '/api/v1/admin/products';
const ONE = `${BASE}/:id{[0-9]+}`;
const doc = { tag: 'Admin: catalog', auth: 'admin' as const };
const view = { description: 'The product', schema: ProductView };
const answer = (c: Context<AppEnv>, row: ProductRowView) => productView(row, new URL(c.req.url).origin);

describe({
  ...doc, method: 'get', path: `${BASE}/`, summary: 'List products, inactive included', query: ProductListQuery,
  description: 'The filters and orderings of the public list (`GET /api/v1/products/`); never cached.',
  responses: { 200: { description: 'A page of products', schema: pageOf(ProductView) } }, errors: ['not_found'],
});
adminCatalogRoutes.get(BASE, query(ProductListQuery), async (c) => {
  const { page, page_size, ...filters } = c.req.valid('query');
  // The public list's query builder, without its active-only condition.
  const { count, rows } = await listProducts(c.get('db'), filters, { page, page_size }, { activeOnly: false });
  return c.json(paginate(c.req.url, { page, page_size }, count, rows.map((r) => answer(c, r))));
});

describe({
  ...doc, method: 'post', path: `${BASE}/`, summary: 'Create a product', body: ProductBody,
  description:
    'The slug is derived from the name and made unique with a numeric suffix; the SKU is generated when absent. ' +
    'An unknown `category_id` is a 400 naming the field; a duplicate SKU is a 409.',
  responses: { 201: view }, errors: ['conflict', 'malformed_json'],
});
adminCatalogRoutes.post(BASE, jsonBody(ProductBody), async (c) => {
  const body = c.req.valid('json');
  const row = await createProduct(c.get('db'), { ...productInput(body), name: body.name, priceCents: body.price, stock: body.stock });
  await bumpCatalogVersion(c.env);
  return c.json(answer(c, row), 201, { Location: `${new URL(c.req.url).origin}${BASE}/${row.id}/` });
});

describe({ ...doc, method: 'get', path: `${ONE}/`, summary: 'Read a product (inactive included)', params: IdParam, responses: { 200: view }, errors: ['not_found'] });
adminCatalogRoutes.get(ONE, params(IdParam), async (c) => {
  const row = await findProduct(c.get('db'), c.req.valid('param').id);
  if (!row) throw notFound('Product');
  return c.json(answer(c, row));
});

for (const [method, body, summary] of [
  ['put', ProductBody, 'Replace a product (absent description/category/is_active return to defaults; absent SKU is kept)'],
  ['patch', ProductPatchBody, 'Change some fields of a product'],
] as const) {
  describe({
    ...doc, method, path: `${ONE}/`, summary, params: IdParam, body, description: 'The slug is kept on rename so links stay valid.',
    responses: { 200: view }, errors: ['not_found', 'conflict', 'malformed_json'],
  });
}
adminCatalogRoutes.put(ONE, params(IdParam), jsonBody(ProductBody), async (c) => {
  const row = await updateProduct(c.get('db'), c.req.valid('param').id, productInput(c.req.valid('json')), 'put');
  await bumpCatalogVersion(c.env);
  return c.json(answer(c, row));
});
adminCatalogRoutes.patch(ONE, params(IdParam), jsonBody(ProductPatchBody), async (c) => {
  const row = await updateProduct(c.get('db'), c.req.valid('param').id, productInput(c.req.valid('json')), 'patch');
  await bumpCatalogVersion(c.env);
  return c.json(answer(c, row));
});

describe({
  ...doc, method: 'delete', path: `${ONE}/`, summary: 'Delete a product, or archive it when it appears in orders', params: IdParam,
  description:
    'A product that appears in any order is archived instead of deleted: `is_active` becomes false, the answer is 200 with the ' +
    'product, and order items keep their snapshots. Otherwise the product and its images (rows and stored files) are deleted: 204.',
  responses: { 200: { description: 'Archived (the product appears in orders)', schema: ProductView }, 204: { description: 'Deleted' } },
  errors: ['not_found'],
});
adminCatalogRoutes.delete(ONE, params(IdParam), async (c) => {
  const outcome = await deleteOrArchiveProduct(c.get('db'), c.req.valid('param').id);
  await bumpCatalogVersion(c.env);
  if ('archived' in outcome) return c.json(answer(c, outcome.archived));
  // The rows are gone already; the files go last (an orphaned file is unreachable, a dangling row would not be).
  await deleteImageObjects(c.env.IMAGES, outcome.deletedImageKeys, (err) => logError(c, 'r2_delete_failed', err));
  return c.body(null, 204);
});

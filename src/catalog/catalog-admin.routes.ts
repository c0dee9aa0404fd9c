/**
 * Admin catalog routes (API.md "Admin"): products here, categories in categories-admin.routes.ts. Every write
 * bumps the catalog version after its D1 write and before answering, so no public read served later can come
 * from an older cache entry.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { notFound } from '../errors';
import { logError } from '../http/logging';
import { pageOf, paginate } from '../http/pagination';
import { defineRoute } from '../http/route';
import { deleteImageObjects } from '../media/images.service';
import { IdParam, ProductBody, ProductPatchBody, productInput } from './catalog-admin.schemas';
import { createProduct, deleteOrArchiveProduct, updateProduct } from './catalog-admin.service';
import { IfMatchHeaders, parseIfMatch, productEtag } from './etag';
import { purgeTags } from './cache-store';
import { productChanged } from './cache-tags';
import { ProductListQuery } from './catalog.schemas';
import { listProducts } from './catalog.service';
import { findProduct, ProductView, productView, type ProductRowView } from './products.queries';

const BASE = '/api/v1/admin/products';
const ONE = `${BASE}/:id{[0-9]+}`;
const admin = { auth: 'admin' as const, tag: 'Admin: catalog' };
const view = { description: 'The product', schema: ProductView };
/** The product as answered, its image URLs on this request's origin. */
const productViewFor = (c: Context<AppEnv>, row: ProductRowView) => productView(row, new URL(c.req.url).origin);
const KEEPS_SLUG = 'The slug is kept on rename so links stay valid.';
const IF_MATCH = ' Honours `If-Match` (the `ETag` of a read): 412 `precondition_failed` when the product changed since (an admin write, or a checkout or cancellation that moved its stock).';
/** The product with its ETag, so the next write can be conditional. */
const answer = (c: Context<AppEnv>, row: ProductRowView) => c.json(productViewFor(c, row), 200, { ETag: productEtag(row) });
const ifMatch = (c: Context<AppEnv>) => parseIfMatch(c.req.header('If-Match'));

export const adminProductsRoutes = [
  defineRoute({
    ...admin, method: 'get', path: `${BASE}/`, summary: 'List products, inactive included',
    description: 'The filters and orderings of the public list (`GET /api/v1/products/`); never cached.',
    request: { query: ProductListQuery },
    responses: { 200: { description: 'A page of products', schema: pageOf(ProductView) } },
    errors: ['not_found'],
    handler: async (c, { query }) => {
      const { page, page_size, ...filters } = query;
      // The public list's query builder, without its active-only condition.
      const { count, rows } = await listProducts(c.get('db'), filters, { page, page_size }, { activeOnly: false });
      return c.json(paginate(c.req.url, { page, page_size }, count, rows.map((r) => productViewFor(c, r))));
    },
  }),

  defineRoute({
    ...admin, method: 'post', path: `${BASE}/`, summary: 'Create a product',
    description:
      'The slug is derived from the name and made unique with a numeric suffix; the SKU is generated when absent. ' +
      'An unknown `category_id` is a 400 naming the field; a duplicate SKU is a 409.',
    request: { body: ProductBody },
    responses: { 201: view },
    errors: ['conflict', 'malformed_json'],
    handler: async (c, { body }) => {
      const row = await createProduct(c.get('db'), { ...productInput(body), name: body.name, priceCents: body.price, stock: body.stock });
      await purgeTags(productChanged(row.id, [row.categoryId]));
      return c.json(productViewFor(c, row), 201, { Location: `${new URL(c.req.url).origin}${BASE}/${row.id}/` });
    },
  }),

  defineRoute({
    ...admin, method: 'get', path: `${ONE}/`, summary: 'Read a product (inactive included)',
    request: { params: IdParam },
    description: 'Answers an `ETag` for conditional writes (`If-Match`).',
    responses: { 200: view },
    errors: ['not_found'],
    handler: async (c, { params }) => {
      const row = await findProduct(c.get('db'), params.id);
      if (!row) throw notFound('Product');
      return answer(c, row);
    },
  }),

  defineRoute({
    ...admin, method: 'put', path: `${ONE}/`, summary: 'Replace a product (absent description/category/is_active return to defaults; absent SKU is kept)',
    description: KEEPS_SLUG + IF_MATCH,
    request: { params: IdParam, body: ProductBody, headers: IfMatchHeaders },
    responses: { 200: view },
    errors: ['not_found', 'conflict', 'malformed_json', 'precondition_failed'],
    handler: async (c, { params, body }) => {
      const row = await updateProduct(c.get('db'), params.id, productInput(body), 'put', ifMatch(c));
      await purgeTags(productChanged(row.id, [row.previousCategoryId, row.categoryId]));
      return answer(c, row);
    },
  }),

  defineRoute({
    ...admin, method: 'patch', path: `${ONE}/`, summary: 'Change some fields of a product',
    description:
      KEEPS_SLUG + ' `stock` sets the stock (it overwrites checkouts made since your read unless you send `If-Match`); ' +
      '`stock_adjustment` adds a signed delta to the current stock atomically (409 `insufficient_stock` below 0).' + IF_MATCH,
    request: { params: IdParam, body: ProductPatchBody, headers: IfMatchHeaders },
    responses: { 200: view },
    errors: ['not_found', 'conflict', 'malformed_json', 'precondition_failed', 'insufficient_stock'],
    handler: async (c, { params, body }) => {
      const row = await updateProduct(c.get('db'), params.id, productInput(body), 'patch', ifMatch(c));
      await purgeTags(productChanged(row.id, [row.previousCategoryId, row.categoryId]));
      return answer(c, row);
    },
  }),

  defineRoute({
    ...admin, method: 'delete', path: `${ONE}/`, summary: 'Delete a product, or archive it when it appears in orders',
    description:
      'A product that appears in any order is archived instead of deleted: `is_active` becomes false, the answer is 200 with the ' +
      'product, and order items keep their snapshots. Otherwise the product and its images (rows and stored files) are deleted: 204.' + IF_MATCH,
    request: { params: IdParam, headers: IfMatchHeaders },
    responses: { 200: { description: 'Archived (the product appears in orders)', schema: ProductView }, 204: { description: 'Deleted' } },
    errors: ['not_found', 'precondition_failed'],
    handler: async (c, { params }) => {
      const outcome = await deleteOrArchiveProduct(c.get('db'), params.id, ifMatch(c));
      await purgeTags(productChanged(params.id, ['archived' in outcome ? outcome.archived.categoryId : outcome.categoryId]));
      if ('archived' in outcome) return answer(c, outcome.archived);
      // The rows are gone already; the files go last (an orphaned file is unreachable, a dangling row would not be).
      await deleteImageObjects(c.env.IMAGES, outcome.deletedImageKeys, (err) => logError(c, 'r2_delete_failed', err));
      return c.body(null, 204);
    },
  }),
];

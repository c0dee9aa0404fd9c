/** Admin category routes (API.md "Admin"): list, create, read, replace, patch, delete. */
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { PageQuery, pageOf, paginate } from '../http/pagination';
import { defineRoute } from '../http/route';
import { AdminCategoryView, adminCategoryView, CategoryBody, CategoryPatchBody, IdParam, type CategoryRowView } from './catalog-admin.schemas';
import { purgeTags } from './cache-store';
import { categoryChanged } from './cache-tags';
import { categoryEtag, IfMatchHeaders, parseIfMatch } from './etag';
import { createCategory, deleteCategory, getCategory, listCategories, updateCategory } from './categories-admin.service';

const BASE = '/api/v1/admin/categories';
const ONE = `${BASE}/:id{[0-9]+}`;
const admin = { auth: 'admin' as const, tag: 'Admin: catalog' };
const view = { description: 'The category', schema: AdminCategoryView };

// Every catalog write purges what depends on it before answering (cache-tags.ts), so no later public read is older.
const IF_MATCH = ' Honours `If-Match` (the `ETag` of a read): 412 `precondition_failed` when the category changed since.';
/** The category with its ETag, so the next write can be conditional. */
const answer = (c: Context<AppEnv>, row: CategoryRowView) => c.json(adminCategoryView(row), 200, { ETag: categoryEtag(row) });
const ifMatch = (c: Context<AppEnv>) => parseIfMatch(c.req.header('If-Match'));

export const adminCategoriesRoutes = [
  defineRoute({
    ...admin, method: 'get', path: `${BASE}/`, summary: 'List categories (by name)',
    request: { query: PageQuery },
    responses: { 200: { description: 'A page of categories', schema: pageOf(AdminCategoryView) } },
    handler: async (c, { query }) => {
      const { count, rows } = await listCategories(c.get('db'), query);
      return c.json(paginate(c.req.url, query, count, rows.map(adminCategoryView)));
    },
  }),

  defineRoute({
    ...admin, method: 'post', path: `${BASE}/`, summary: 'Create a category',
    description: 'The slug is derived from the name when absent (lower-case ASCII and hyphens). A duplicate name or slug is a 409 naming the field.',
    request: { body: CategoryBody },
    responses: { 201: view },
    errors: ['conflict', 'malformed_json'],
    handler: async (c, { body }) => {
      const row = await createCategory(c.get('db'), body);
      await purgeTags(categoryChanged(row.id));
      return c.json(adminCategoryView(row), 201, { Location: `${new URL(c.req.url).origin}${BASE}/${row.id}/` });
    },
  }),

  defineRoute({
    ...admin, method: 'get', path: `${ONE}/`, summary: 'Read a category',
    request: { params: IdParam },
    responses: { 200: view },
    description: 'Answers an `ETag` for conditional writes (`If-Match`).',
    errors: ['not_found'],
    handler: async (c, { params }) => answer(c, await getCategory(c.get('db'), params.id)),
  }),

  defineRoute({
    ...admin, method: 'put', path: `${ONE}/`, summary: 'Replace a category (absent slug: derived from the name again; absent description: empty)',
    description: IF_MATCH,
    request: { params: IdParam, body: CategoryBody, headers: IfMatchHeaders },
    responses: { 200: view },
    errors: ['not_found', 'conflict', 'malformed_json', 'precondition_failed'],
    handler: async (c, { params, body }) => {
      const row = await updateCategory(c.get('db'), params.id, body, 'put', ifMatch(c));
      await purgeTags(categoryChanged(row.id));
      return answer(c, row);
    },
  }),

  defineRoute({
    ...admin, method: 'patch', path: `${ONE}/`, summary: 'Change some fields of a category (the slug is kept on rename unless given)',
    description: IF_MATCH,
    request: { params: IdParam, body: CategoryPatchBody, headers: IfMatchHeaders },
    responses: { 200: view },
    errors: ['not_found', 'conflict', 'malformed_json', 'precondition_failed'],
    handler: async (c, { params, body }) => {
      const row = await updateCategory(c.get('db'), params.id, body, 'patch', ifMatch(c));
      await purgeTags(categoryChanged(row.id));
      return answer(c, row);
    },
  }),

  defineRoute({
    ...admin, method: 'delete', path: `${ONE}/`, summary: 'Delete a category',
    description: 'Its products keep existing, with `category: null`.' + IF_MATCH,
    request: { params: IdParam, headers: IfMatchHeaders },
    responses: { 204: { description: 'Deleted' } },
    errors: ['not_found', 'precondition_failed'],
    handler: async (c, { params }) => {
      await deleteCategory(c.get('db'), params.id, ifMatch(c));
      await purgeTags(categoryChanged(params.id));
      return c.body(null, 204);
    },
  }),
];

/** Product reviews (API.md "Catalog (public)"): the public list is edge-cached; writes need a bearer token. */
import type { Context } from 'hono';
import { purgeTags } from '../catalog/cache-store';
import { productContentChanged, tag } from '../catalog/cache-tags';
import { catalogCache, catalogUrl } from '../catalog/catalog-cache';
import { CachedReadHeaders, ProductIdParams } from '../catalog/catalog.schemas';
import type { AppEnv } from '../env';
import { currentUser } from '../http/auth';
import { PageQuery, pageOf, paginate } from '../http/pagination';
import { defineRoute } from '../http/route';
import { ReviewBody, ReviewView, reviewView } from './reviews.schemas';
import { deleteReview, listReviews, upsertReview } from './reviews.service';

const API = '/api/v1';
const REVIEW = `${API}/products/:id{[0-9]+}/review/`;
const deps = (c: Context<AppEnv>) => ({ db: c.get('db'), invalidate: (productId: number) => purgeTags(productContentChanged(productId)) });

export const reviewsRoutes = [
  defineRoute({
    method: 'get', path: `${API}/products/:id{[0-9]+}/reviews/`, auth: 'public', tag: 'Reviews', summary: 'Reviews of an active product, newest first',
    description: 'Served from the edge cache (ETag, 304 on If-None-Match).',
    use: [catalogCache({ query: PageQuery, tags: (_page, _q, c) => [tag.product(Number(c.req.param('id')))] })],
    request: { params: ProductIdParams, query: PageQuery, headers: CachedReadHeaders },
    responses: { 200: { description: 'A page of reviews', schema: pageOf(ReviewView) }, 304: { description: 'Not modified' } },
    errors: ['not_found'],
    handler: async (c, { params, query }) => {
      const { count, rows } = await listReviews(c.get('db'), params.id, query);
      return c.json(paginate(catalogUrl(c), query, count, rows.map(reviewView)));
    },
  }),

  defineRoute({
    method: 'put', path: REVIEW, auth: 'customer', check: 'token', tag: 'Reviews', summary: 'Create (201) or replace (200) the caller’s review',
    description: 'The product’s rating average and count change in the same D1 batch as the review.',
    request: { params: ProductIdParams, body: ReviewBody },
    responses: { 200: { description: 'Review replaced', schema: ReviewView }, 201: { description: 'Review created', schema: ReviewView } },
    errors: ['not_found', 'permission_denied', 'malformed_json'],
    handler: async (c, { params, body }) => {
      const { created, review } = await upsertReview(deps(c), currentUser(c).id, params.id, body);
      return c.json(reviewView(review), created ? 201 : 200);
    },
  }),

  defineRoute({
    method: 'delete', path: REVIEW, auth: 'customer', check: 'token', tag: 'Reviews', summary: 'Delete the caller’s review',
    request: { params: ProductIdParams },
    responses: { 204: { description: 'Deleted' } },
    errors: ['not_found', 'permission_denied'],
    handler: async (c, { params }) => {
      await deleteReview(deps(c), currentUser(c).id, params.id);
      return c.body(null, 204);
    },
  }),
];

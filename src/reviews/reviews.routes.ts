/** Product reviews (API.md "Catalog (public)"): the public list is edge-cached; writes need a bearer token. */
import { Hono, type Context } from 'hono';
import { canonicalUrl, catalogCache } from '../catalog/catalog-cache';
import { ProductIdParams } from '../catalog/catalog.schemas';
import { bumpCatalogVersion } from '../catalog/catalog-version';
import type { AppEnv } from '../env';
import { currentUser, requireUser } from '../http/auth';
import { describe } from '../http/openapi';
import { PageQuery, pageOf, paginate } from '../http/pagination';
import { jsonBody, params, query } from '../http/validate';
import { ReviewBody, ReviewView, reviewView } from './reviews.schemas';
import { deleteReview, listReviews, upsertReview } from './reviews.service';

export const reviewsRoutes = new Hono<AppEnv>({ strict: false });
const API = '/api/v1';
const deps = (c: Context<AppEnv>) => ({ db: c.get('db'), bumpCatalog: () => bumpCatalogVersion(c.env) });

describe({
  method: 'get', path: `${API}/products/:id/reviews/`, tag: 'Reviews', summary: 'Reviews of an active product, newest first',
  description: 'Served from the edge cache (ETag, 304 on If-None-Match).', params: ProductIdParams, query: PageQuery,
  headers: { 'If-None-Match': 'ETag of a previous answer: 304 when unchanged' },
  responses: { 200: { description: 'A page of reviews', schema: pageOf(ReviewView) }, 304: { description: 'Not modified' } }, errors: ['not_found'],
});
reviewsRoutes.get(`${API}/products/:id{[0-9]+}/reviews`, catalogCache, params(ProductIdParams), query(PageQuery), async (c) => {
  const page = c.req.valid('query');
  const { count, rows } = await listReviews(c.get('db'), c.req.valid('param').id, page);
  return c.json(paginate(canonicalUrl(c.req.url), page, count, rows.map(reviewView)));
});

describe({
  method: 'put', path: `${API}/products/:id/review/`, tag: 'Reviews', summary: 'Create (201) or replace (200) the caller’s review', auth: 'bearer',
  description: 'The product’s rating average and count change in the same D1 batch as the review.',
  params: ProductIdParams, body: ReviewBody,
  responses: { 200: { description: 'Review replaced', schema: ReviewView }, 201: { description: 'Review created', schema: ReviewView } },
  errors: ['not_found', 'permission_denied', 'malformed_json'],
});
reviewsRoutes.put(`${API}/products/:id{[0-9]+}/review`, requireUser, params(ProductIdParams), jsonBody(ReviewBody), async (c) => {
  const { created, review } = await upsertReview(deps(c), currentUser(c).id, c.req.valid('param').id, c.req.valid('json'));
  return c.json(reviewView(review), created ? 201 : 200);
});

describe({
  method: 'delete', path: `${API}/products/:id/review/`, tag: 'Reviews', summary: 'Delete the caller’s review', auth: 'bearer',
  params: ProductIdParams, responses: { 204: { description: 'Deleted' } }, errors: ['not_found', 'permission_denied'],
});
reviewsRoutes.delete(`${API}/products/:id{[0-9]+}/review`, requireUser, params(ProductIdParams), async (c) => {
  await deleteReview(deps(c), currentUser(c).id, c.req.valid('param').id);
  return c.body(null, 204);
});

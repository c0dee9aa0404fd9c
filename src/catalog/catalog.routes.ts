/** Public catalog routes (API.md "Catalog (public)"), all served through the edge cache (catalog-cache.ts). */
import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { describe } from '../http/openapi';
import { pageOf, paginate } from '../http/pagination';
import { params, query } from '../http/validate';
import { canonicalUrl, catalogCache } from './catalog-cache';
import { CategoryKeyParams, CategoryListQuery, CategoryView, ProductIdParams, ProductListQuery, categoryView } from './catalog.schemas';
import { getActiveProduct, listProducts } from './catalog.service';
import { getCategory, listCategories } from './categories.queries';
import { ProductView, productView } from './products.queries';

export const catalogRoutes = new Hono<AppEnv>({ strict: false });
const API = '/api/v1';
const CACHE_NOTE = 'Served from the edge cache (ETag, 304 on If-None-Match); see README "Catalog cache".';
const cacheHeaders = { 'If-None-Match': 'ETag of a previous answer: 304 when unchanged' };

describe({
  method: 'get', path: `${API}/categories/`, tag: 'Catalog', summary: 'List categories (alphabetical)', description: CACHE_NOTE,
  query: CategoryListQuery, headers: cacheHeaders, responses: { 200: { description: 'A page of categories', schema: pageOf(CategoryView) }, 304: { description: 'Not modified' } },
  errors: ['not_found'],
});
catalogRoutes.get(`${API}/categories`, catalogCache, query(CategoryListQuery), async (c) => {
  const page = c.req.valid('query');
  const { count, rows } = await listCategories(c.get('db'), page);
  return c.json(paginate(canonicalUrl(c.req.url), page, count, rows.map(categoryView)));
});

describe({
  method: 'get', path: `${API}/categories/:key/`, tag: 'Catalog', summary: 'One category by id or slug', description: CACHE_NOTE,
  params: CategoryKeyParams, headers: cacheHeaders, responses: { 200: { description: 'The category', schema: CategoryView }, 304: { description: 'Not modified' } },
  errors: ['not_found'],
});
catalogRoutes.get(`${API}/categories/:key`, catalogCache, params(CategoryKeyParams), async (c) =>
  c.json(categoryView(await getCategory(c.get('db'), c.req.valid('param').key))),
);

describe({
  method: 'get', path: `${API}/products/`, tag: 'Catalog', summary: 'List active products with filters and ordering', description: CACHE_NOTE,
  query: ProductListQuery, headers: cacheHeaders, responses: { 200: { description: 'A page of products', schema: pageOf(ProductView) }, 304: { description: 'Not modified' } },
  errors: ['not_found'],
});
catalogRoutes.get(`${API}/products`, catalogCache, query(ProductListQuery), async (c) => {
  const { page, page_size, ...filters } = c.req.valid('query');
  const url = canonicalUrl(c.req.url);
  const { count, rows } = await listProducts(c.get('db'), filters, { page, page_size });
  return c.json(paginate(url, { page, page_size }, count, rows.map((r) => productView(r, url.origin))));
});

describe({
  method: 'get', path: `${API}/products/:id/`, tag: 'Catalog', summary: 'Product detail (404 for unknown or inactive products)', description: CACHE_NOTE,
  params: ProductIdParams, headers: cacheHeaders, responses: { 200: { description: 'The product', schema: ProductView }, 304: { description: 'Not modified' } },
  errors: ['not_found'],
});
catalogRoutes.get(`${API}/products/:id{[0-9]+}`, catalogCache, params(ProductIdParams), async (c) => {
  const row = await getActiveProduct(c.get('db'), c.req.valid('param').id);
  return c.json(productView(row, new URL(c.req.url).origin));
});

/** Public catalog routes (API.md "Catalog (public)"), all served through the edge cache (catalog-cache.ts). */
import { pageOf, paginate } from '../http/pagination';
import { defineRoute } from '../http/route';
import { formatMoney } from '../lib/money';
import { categoryDetailTags, categoryListTags, productDetailTags, productListTags } from './cache-tags';
import { catalogCache, catalogUrl } from './catalog-cache';
import { CachedReadHeaders, CategoryKeyParams, CategoryListQuery, CategoryView, ProductIdParams, ProductListQuery, categoryView } from './catalog.schemas';
import { getActiveProduct, listProducts } from './catalog.service';
import { getCategory, listCategories } from './categories.queries';
import { ProductView, productView } from './products.queries';

const API = '/api/v1';
const CACHE_NOTE = 'Served from the edge cache (ETag, 304 on If-None-Match); see README "Catalog cache".';
const cached = { auth: 'public' as const, tag: 'Catalog', description: CACHE_NOTE, errors: ['not_found' as const] };
const notModified = { description: 'Not modified' };

const productListCache = catalogCache({
  query: ProductListQuery,
  // Without a search, the default ordering is -created_at, so naming it is the same answer (one entry).
  format: { min_price: formatMoney, max_price: formatMoney, ordering: (v: string, q) => (q.search === undefined && v === '-created_at' ? undefined : v) },
  tags: (page, q) => productListTags(page, q?.category !== undefined),
});

export const catalogRoutes = [
  defineRoute({
    ...cached, method: 'get', path: `${API}/categories/`, summary: 'List categories (alphabetical)',
    use: [catalogCache({ query: CategoryListQuery, tags: categoryListTags })],
    request: { query: CategoryListQuery, headers: CachedReadHeaders },
    responses: { 200: { description: 'A page of categories', schema: pageOf(CategoryView) }, 304: notModified },
    handler: async (c, { query }) => {
      const { count, rows } = await listCategories(c.get('db'), query);
      return c.json(paginate(catalogUrl(c), query, count, rows.map(categoryView)));
    },
  }),

  defineRoute({
    ...cached, method: 'get', path: `${API}/categories/:key/`, summary: 'One category by id or slug',
    use: [catalogCache({ tags: categoryDetailTags })],
    request: { params: CategoryKeyParams, headers: CachedReadHeaders },
    responses: { 200: { description: 'The category', schema: CategoryView }, 304: notModified },
    handler: async (c, { params }) => c.json(categoryView(await getCategory(c.get('db'), params.key))),
  }),

  defineRoute({
    ...cached, method: 'get', path: `${API}/products/`, summary: 'List active products with filters and ordering',
    use: [productListCache],
    request: { query: ProductListQuery, headers: CachedReadHeaders },
    responses: { 200: { description: 'A page of products', schema: pageOf(ProductView) }, 304: notModified },
    handler: async (c, { query }) => {
      const { page, page_size, ...filters } = query;
      const url = catalogUrl(c);
      const { count, rows } = await listProducts(c.get('db'), filters, { page, page_size });
      return c.json(paginate(url, { page, page_size }, count, rows.map((r) => productView(r, url.origin))));
    },
  }),

  defineRoute({
    ...cached, method: 'get', path: `${API}/products/:id{[0-9]+}/`, summary: 'Product detail (404 for unknown or inactive products)',
    use: [catalogCache({ tags: productDetailTags })],
    request: { params: ProductIdParams, headers: CachedReadHeaders },
    responses: { 200: { description: 'The product', schema: ProductView }, 304: notModified },
    handler: async (c, { params }) => c.json(productView(await getActiveProduct(c.get('db'), params.id), new URL(c.req.url).origin)),
  }),
];

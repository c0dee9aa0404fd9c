/** Public catalog: query/path schemas and response views (the API contract of API.md "Catalog (public)"). */
import * as z from 'zod/mini';
import { pageFields } from '../http/pagination';
import { booleanQuery, pathId, refuse } from '../http/validate';
import { parseMoney } from '../lib/money';
import { maxChars } from '../lib/text';

export const PRODUCT_ORDERINGS = ['price', '-price', 'name', '-name', 'created_at', '-created_at', 'rating', '-rating'] as const;
export type ProductOrdering = (typeof PRODUCT_ORDERINGS)[number];

// An empty free-text value (`?search=`, `?min_price=`) means "no filter", as in django-filter. Enumerated
// parameters (`in_stock`, `ordering`) are strict: anything but a listed value is a 400.
const text = (max: number, description: string) =>
  z
    .pipe(
      z.optional(z.string().check(maxChars(max))),
      z.transform((v: string | undefined) => (v?.trim() ? v.trim() : undefined)),
    )
    .check(z.describe(description));

const moneyFilter = (description: string) =>
  z
    .pipe(
      z.optional(z.string()),
      z.transform((v: string | undefined, ctx) => {
        if (v === undefined || v.trim() === '') return undefined;
        return parseMoney(v) ?? refuse(ctx, 'must be a non-negative amount with at most two decimals, e.g. "19.99"');
      }),
    )
    .check(z.describe(description));


export const ProductListQuery = z.object({
  ...pageFields,
  search: text(
    200,
    'Words of the name or description, each matched as a word prefix ("blue kett" finds "Blue Kettle"), ignoring case and accents; ranked by relevance unless `ordering` is given',
  ),
  category: text(200, 'Category id, slug or exact name; an unknown category gives an empty list'),
  min_price: moneyFilter('Minimum price (decimal, inclusive)'),
  max_price: moneyFilter('Maximum price (decimal, inclusive)'),
  // Case-insensitive, and 1/0 too, as django-filter's BooleanWidget: Python clients send `True`/`False`
  // (requests formats a bool param with str()).
  in_stock: booleanQuery('"true": stock > 0; "false": out of stock (also accepted: True/False, 1/0)'),
  ordering: z
    .optional(z.enum(PRODUCT_ORDERINGS, { error: `must be one of: ${PRODUCT_ORDERINGS.join(', ')}` }))
    .check(z.describe('Sort key, "-" for descending; ties are broken by id. Default: relevance when `search` is given, else -created_at')),
});
export type ProductListQuery = z.output<typeof ProductListQuery>;
/** The filters of a product list, without pagination. */
export type ProductFilters = Partial<Omit<ProductListQuery, 'page' | 'page_size'>>;

export const CategoryListQuery = z.object(pageFields);

// Any digit string is a well-formed id; ids that cannot exist (0, beyond 2^53) are simply not found (404).
export const ProductIdParams = z.object({ id: pathId('Product id (integer)') });
// No length limit: a key longer than any slug simply names no category (404), as any other unknown key.
export const CategoryKeyParams = z.object({ key: z.string().check(z.minLength(1), z.describe('Category id or slug')) });

export const CategoryView = z.object({
  id: z.int(),
  name: z.string(),
  slug: z.string(),
  description: z.string(),
  product_count: z.int().check(z.describe('Active products in the category')),
});
export type CategoryView = z.infer<typeof CategoryView>;

export function categoryView(row: { id: number; name: string; slug: string; description: string; productCount: number }): CategoryView {
  return { id: row.id, name: row.name, slug: row.slug, description: row.description, product_count: row.productCount };
}

/** The conditional-request header of the edge-cached reads (documented; the cache evaluates it). */
export const CachedReadHeaders = z.object({
  'If-None-Match': z.optional(z.string()).check(z.describe('ETag of a previous answer: 304 when unchanged')),
});

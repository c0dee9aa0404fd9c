/** Admin catalog: request bodies and views for categories and products (the API contract). */
import * as z from 'zod/mini';
import { pathId, refuse } from '../http/validate';
import { parseMoney } from '../lib/money';
import { SLUG_MAX, SLUG_RE } from '../lib/slug';
import { freeText, maxChars, nameText } from '../lib/text';

// "is required" when the field is absent, `message` when it has the wrong type.
const typed = (message: string) => ({ error: (iss: { input?: unknown }) => (iss.input === undefined ? 'is required' : message) });

const name = nameText(typed('must be a string')).check(z.minLength(1, 'must not be blank'), maxChars(200));
const slug = z
  .string(typed('must be a string'))
  .check(
    z.trim(),
    z.minLength(1, 'must not be blank'),
    maxChars(SLUG_MAX),
    z.regex(SLUG_RE, 'must contain only lower-case letters, digits and single hyphens'),
  );
const description = freeText(typed('must be a string')).check(maxChars(5000));

export const IdParam = z.object({ id: pathId('Row id (integer)') });

// ---------------------------------------------------------------------------------------------- categories

export const CategoryBody = z.object({
  name,
  slug: z.optional(slug).check(z.describe('Derived from the name when absent')),
  description: z.optional(description),
});
export const CategoryPatchBody = z.partial(CategoryBody);
export type CategoryBody = z.infer<typeof CategoryPatchBody>;

export const AdminCategoryView = z.object({
  id: z.int(),
  name: z.string(),
  slug: z.string(),
  description: z.string(),
  product_count: z.int().check(z.describe('Products in the category, inactive ones included')),
  created_at: z.string(),
  updated_at: z.string(),
});
export type AdminCategoryView = z.infer<typeof AdminCategoryView>;

export interface CategoryRowView {
  id: number;
  name: string;
  slug: string;
  description: string;
  productCount: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function adminCategoryView(row: CategoryRowView): AdminCategoryView {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    description: row.description,
    product_count: row.productCount,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

// ------------------------------------------------------------------------------------------------ products

const PRICE_MESSAGE = 'must be a decimal amount with at most 2 decimal places, e.g. "12.50"';

/**
 * Price in, cents out. A JSON number is accepted when its shortest decimal form has at most 2 decimals (12.5 →
 * "12.5" → 1250); the conversion goes through that string, never through float arithmetic, so 0.1 + 0.2-style
 * values (0.30000000000000004) are refused instead of silently rounded.
 */
export const price = z
  .pipe(
    z.union([z.string(), z.number()], typed(PRICE_MESSAGE)),
    z.transform((value: string | number, ctx) => {
      const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
      return parseMoney(text) ?? refuse(ctx, /^-\d/.test(text) ? 'must be greater than or equal to 0' : PRICE_MESSAGE);
    }),
  )
  .check(z.describe('Decimal string with at most two decimals, e.g. "12.50" (a JSON number such as 12.5 is accepted too)'));

const stock = z
  .number(typed('must be an integer'))
  .check(z.int('must be an integer'), z.gte(0, 'must be greater than or equal to 0'), z.lte(1_000_000_000, 'must be at most 1000000000'));
const sku = nameText(typed('must be a string')).check(
  z.minLength(1, 'must not be blank'),
  maxChars(64),
  z.regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, "must contain only letters, digits, '.', '_', '/' and '-'"),
);
const categoryId = z.nullable(z.number(typed('must be an integer id or null')).check(z.int('must be an integer id'), z.positive('must be a positive id')));

export const ProductBody = z.object({
  name,
  sku: z.optional(sku).check(z.describe('Generated (SKU-XXXXXXXXXX) when absent on create; kept when absent on update')),
  description: z.optional(description),
  price,
  stock,
  category_id: z.optional(categoryId),
  is_active: z.optional(z.boolean(typed('must be true or false'))),
});
/**
 * PATCH also takes `stock_adjustment`, a signed delta the database applies to the current stock (so checkouts
 * made since the admin's read are kept), instead of an absolute `stock`; not both.
 */
export const ProductPatchBody = z
  .extend(z.partial(ProductBody), {
    stock_adjustment: z
      .optional(
        z
          .number(typed('must be an integer'))
          .check(z.int('must be an integer'), z.gte(-1_000_000_000, 'must be at least -1000000000'), z.lte(1_000_000_000, 'must be at most 1000000000')),
      )
      .check(z.describe('Signed change applied atomically as stock = stock + delta; 409 insufficient_stock if the result would be below 0')),
  })
  .check(
    z.refine((b) => b.stock === undefined || b.stock_adjustment === undefined, { message: 'give either stock or stock_adjustment, not both', path: ['stock_adjustment'] }),
  );

/** A validated product body in the service's terms (cents, camelCase); absent fields stay undefined. */
export interface ProductInput {
  name?: string;
  sku?: string;
  description?: string;
  priceCents?: number;
  stock?: number;
  /** PATCH only: a signed delta applied to the current stock. */
  stockAdjustment?: number;
  categoryId?: number | null;
  isActive?: boolean;
}

export function productInput(body: z.output<typeof ProductPatchBody>): ProductInput {
  const adjustment = 'stock_adjustment' in body ? body.stock_adjustment : undefined;
  return {
    name: body.name,
    sku: body.sku,
    description: body.description,
    priceCents: body.price,
    stock: body.stock,
    ...(adjustment !== undefined ? { stockAdjustment: adjustment } : {}),
    categoryId: body.category_id,
    isActive: body.is_active,
  };
}

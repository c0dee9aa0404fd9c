/** Admin catalog: request bodies and views for categories and products (the API contract). */
import * as z from 'zod';
import { pathId } from '../http/validate';
import { parseMoney } from '../lib/money';
import { SLUG_MAX, SLUG_RE } from '../lib/slug';
import { freeText, nameText } from '../lib/text';

// "is required" when the field is absent, `message` when it has the wrong type.
const typed = (message: string) => ({ error: (iss: { input?: unknown }) => (iss.input === undefined ? 'is required' : message) });

const name = nameText(typed('must be a string'))
  .min(1, 'must not be blank')
  .max(200, 'must be at most 200 characters');
const slug = z
  .string(typed('must be a string'))
  .trim()
  .min(1, 'must not be blank')
  .max(SLUG_MAX, `must be at most ${SLUG_MAX} characters`)
  .regex(SLUG_RE, 'must contain only lower-case letters, digits and single hyphens');
const description = freeText(typed('must be a string')).max(5000, 'must be at most 5000 characters');

export const IdParam = z.object({ id: pathId('Row id (integer)') });

// ---------------------------------------------------------------------------------------------- categories

export const CategoryBody = z.object({
  name,
  slug: slug.optional().describe('Derived from the name when absent'),
  description: description.optional(),
});
export const CategoryPatchBody = CategoryBody.partial();
export type CategoryBody = z.infer<typeof CategoryPatchBody>;

export const AdminCategoryView = z.object({
  id: z.number().int(),
  name: z.string(),
  slug: z.string(),
  description: z.string(),
  product_count: z.number().int().describe('Products in the category, inactive ones included'),
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
  .union([z.string(), z.number()], typed(PRICE_MESSAGE))
  .transform((value, ctx) => {
    const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
    const cents = parseMoney(text);
    if (cents !== null) return cents;
    ctx.addIssue({ code: 'custom', message: /^-\d/.test(text) ? 'must be greater than or equal to 0' : PRICE_MESSAGE });
    return z.NEVER;
  })
  .describe('Decimal string with at most two decimals, e.g. "12.50" (a JSON number such as 12.5 is accepted too)');

const stock = z
  .number(typed('must be an integer'))
  .int('must be an integer')
  .min(0, 'must be greater than or equal to 0')
  .max(1_000_000_000, 'must be at most 1000000000');
const sku = nameText(typed('must be a string'))
  .min(1, 'must not be blank')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, "must contain only letters, digits, '.', '_', '/' and '-'");
const categoryId = z.number(typed('must be an integer id or null')).int('must be an integer id').positive('must be a positive id').nullable();

export const ProductBody = z.object({
  name,
  sku: sku.optional().describe('Generated (SKU-XXXXXXXXXX) when absent on create; kept when absent on update'),
  description: description.optional(),
  price,
  stock,
  category_id: categoryId.optional(),
  is_active: z.boolean(typed('must be true or false')).optional(),
});
/**
 * PATCH also takes `stock_adjustment`, a signed delta the database applies to the current stock (so checkouts
 * made since the admin's read are kept), instead of an absolute `stock`; not both.
 */
export const ProductPatchBody = ProductBody.partial()
  .extend({
    stock_adjustment: z
      .number(typed('must be an integer'))
      .int('must be an integer')
      .min(-1_000_000_000, 'must be at least -1000000000')
      .max(1_000_000_000, 'must be at most 1000000000')
      .optional()
      .describe('Signed change applied atomically as stock = stock + delta; 409 insufficient_stock if the result would be below 0'),
  })
  .refine((b) => b.stock === undefined || b.stock_adjustment === undefined, { message: 'give either stock or stock_adjustment, not both', path: ['stock_adjustment'] });

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

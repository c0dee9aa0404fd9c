/** Orders: request bodies, queries and the Order JSON of API.md (the contract; responses go through `orderView`). */
import * as z from 'zod/mini';
import { ORDER_STATUSES, PAYMENT_METHODS, PAYMENT_STATUSES } from '../db/schema';
import { pageFields } from '../http/pagination';
import { pathId } from '../http/validate';
import { formatMoney } from '../lib/money';
import { freeText, maxChars, nameText } from '../lib/text';
import { isCountryCode } from './countries';
import type { OrderRecord } from './orders.queries';

const required = (max: number) => nameText({ error: 'is required' }).check(z.minLength(1, 'is required'), maxChars(max));
const optional = (max: number) => z.nullish(nameText().check(maxChars(max)));

export const ShippingAddress = z.object({
  full_name: required(200),
  line1: required(200),
  line2: optional(200),
  city: required(100),
  postal_code: required(20).check(z.regex(/^[A-Za-z0-9][A-Za-z0-9 -]*$/, 'must contain only letters, digits, spaces and hyphens')),
  // Accepted in either case and stored upper-case, as ISO writes it.
  country: z
    .string({ error: 'is required' })
    .check(
      z.trim(),
      z.toUpperCase(),
      z.refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 country code, e.g. "US"'),
      z.describe('ISO 3166-1 alpha-2, e.g. "US"'),
    ),
  phone: optional(32).check(z.refine((p) => !p || /^[0-9+()\-.\s]+$/.test(p), 'must be a phone number')),
});
export type ShippingAddress = z.output<typeof ShippingAddress>;

export const CheckoutBody = z.object({
  shipping_address: ShippingAddress,
  payment_method: z.enum(PAYMENT_METHODS, { error: 'must be "cod" or "card"' }),
  note: z.nullish(freeText().check(z.trim(), maxChars(1000))),
});
export type CheckoutBody = z.output<typeof CheckoutBody>;

const status = z.enum(ORDER_STATUSES, { error: `must be one of ${ORDER_STATUSES.join(', ')}` });

export const OrdersQuery = z.object({ ...pageFields, status: z.optional(status) });

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** `2026-01-31` or a full ISO 8601 instant → epoch ms (day bounds in UTC); NaN when it is not a real date. */
function parseBound(text: string, endOfDay: boolean): number {
  if (DATE_RE.test(text)) {
    const t = Date.parse(`${text}T00:00:00.000Z`);
    if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== text) return NaN;
    return endOfDay ? t + 86_400_000 - 1 : t;
  }
  return DATETIME_RE.test(text) ? Date.parse(text) : NaN;
}

// Both bounds are inclusive: a bare date covers that whole UTC day. They become ISO strings, which compare
// correctly with the stored created_at.
const dateBound = (endOfDay: boolean, description: string) =>
  z
    .optional(
      z.pipe(
        z.string().check(z.trim(), z.refine((s) => !Number.isNaN(parseBound(s, endOfDay)), 'must be an ISO 8601 date (2026-01-31) or date-time')),
        z.transform((s: string) => new Date(parseBound(s, endOfDay)).toISOString()),
      ),
    )
    .check(z.describe(description));

const POSITIVE_INT = 'must be a positive integer';

export const AdminOrdersQuery = z.object({
  ...pageFields,
  status: z.optional(status),
  user_id: z.optional(z.coerce.number({ error: POSITIVE_INT }).check(z.int(POSITIVE_INT), z.positive(POSITIVE_INT))),
  created_after: dateBound(false, 'Orders created on or after this date / instant'),
  created_before: dateBound(true, 'Orders created on or before this date (whole UTC day) / instant'),
  search: z
    .optional(z.string().check(z.trim(), maxChars(254)))
    .check(z.describe('Part of the order number or of the customer email')),
});
export type AdminOrdersQuery = z.output<typeof AdminOrdersQuery>;

export const OrderParams = z.object({ id: pathId('Order id (integer)') });

export const StatusPatchBody = z.object({ status });

const money = z.string().check(z.describe('Decimal string with two places, e.g. "1299.99"'));

export const OrderItemView = z.object({
  product_id: z.int(),
  product_name: z.string(),
  sku: z.string(),
  unit_price: money,
  quantity: z.int(),
  subtotal: money,
});

export const ShippingAddressView = z.object({
  full_name: z.string(),
  line1: z.string(),
  line2: z.nullable(z.string()),
  city: z.string(),
  postal_code: z.string(),
  country: z.string(),
  phone: z.nullable(z.string()),
});

/** Who changed an order's status, as a kind: a customer never learns a staff member's user id. */
export const ACTOR_KINDS = ['customer', 'staff', 'stripe', 'system'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** The stored actor (a role, or 'stripe' / 'system') as the kind the API shows. */
export function actorKind(actor: string | null | undefined): ActorKind {
  if (actor === 'admin' || actor === 'staff') return 'staff';
  if (actor === 'customer' || actor === 'stripe') return actor;
  return 'system';
}

export const StatusHistoryEntry = z.object({
  status,
  at: z.string(),
  by: z.enum(ACTOR_KINDS).check(z.describe('The kind of actor that made the change')),
});
export const AdminStatusHistoryEntry = z.extend(StatusHistoryEntry, {
  by_user_id: z.nullable(z.int()).check(z.describe('The user who made the change (null for Stripe and the system)')),
});

export const OrderView = z.object({
  id: z.int(),
  number: z.string().check(z.describe('Human order number, e.g. ORD-7K3M9Q2A')),
  status,
  payment_method: z.enum(PAYMENT_METHODS),
  payment_status: z.enum(PAYMENT_STATUSES),
  items: z.array(OrderItemView),
  item_count: z.int().check(z.describe('Units in the order')),
  subtotal: money,
  shipping_total: money,
  total: money,
  currency: z.string(),
  shipping_address: ShippingAddressView,
  note: z.string(),
  status_history: z.array(StatusHistoryEntry),
  created_at: z.string(),
  updated_at: z.string(),
});
export type OrderView = z.infer<typeof OrderView>;

export const AdminOrderView = z.extend(OrderView, {
  status_history: z.array(AdminStatusHistoryEntry),
  user: z.object({ id: z.int(), email: z.nullable(z.string()) }),
});
export type AdminOrderView = z.infer<typeof AdminOrderView>;

/** The address as stored (JSON text) → its view; optional parts are always present, null when absent. */
export function addressView(json: string): z.infer<typeof ShippingAddressView> {
  const a = JSON.parse(json) as Partial<ShippingAddress>;
  return {
    full_name: a.full_name ?? '',
    line1: a.line1 ?? '',
    line2: a.line2 || null,
    city: a.city ?? '',
    postal_code: a.postal_code ?? '',
    country: a.country ?? '',
    phone: a.phone || null,
  };
}

export function orderView(o: OrderRecord): OrderView {
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    payment_method: o.paymentMethod,
    payment_status: o.paymentStatus,
    items: o.items.map((i) => ({
      product_id: i.productId,
      product_name: i.productName,
      sku: i.sku,
      unit_price: formatMoney(i.unitPriceCents),
      quantity: i.quantity,
      subtotal: formatMoney(i.subtotalCents),
    })),
    item_count: o.items.reduce((n, i) => n + i.quantity, 0),
    subtotal: formatMoney(o.subtotalCents),
    shipping_total: formatMoney(o.shippingCents),
    total: formatMoney(o.totalCents),
    currency: o.currency,
    shipping_address: addressView(o.shippingAddress),
    note: o.note,
    status_history: o.history.map((h) => ({ status: h.status, at: h.at, by: actorKind(h.actor) })),
    created_at: o.createdAt,
    updated_at: o.updatedAt,
  };
}

export const adminOrderView = (o: OrderRecord): AdminOrderView => ({
  ...orderView(o),
  status_history: o.history.map((h) => ({ status: h.status, at: h.at, by: actorKind(h.actor), by_user_id: h.byUserId ?? null })),
  user: { id: o.userId, email: o.userEmail ?? null },
});

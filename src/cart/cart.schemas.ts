/** Cart: request bodies and the Cart JSON of API.md (responses go through `cartView` / `cartLineView`). */
import * as z from 'zod/mini';
import { pathId } from '../http/validate';
import { formatMoney } from '../lib/money';
import { mediaUrl } from '../media/media-url';
import type { CartLineData, CartResult } from './cart.do';
import { cartTotals, lineSubtotal } from '../lines/line-math';
import { MAX_LINE_QUANTITY } from './cart.model';

const QTY_MESSAGE = `must be an integer between 1 and ${MAX_LINE_QUANTITY}`;
const quantity = z.number({ error: QTY_MESSAGE }).check(z.int(QTY_MESSAGE), z.gte(1, QTY_MESSAGE), z.lte(MAX_LINE_QUANTITY, QTY_MESSAGE));

export const AddItemBody = z.object({
  product_id: z.number({ error: 'must be a product id' }).check(z.int('must be a product id'), z.positive('must be a product id')),
  quantity: z._default(quantity, 1),
});

export const SetQuantityBody = z.object({ quantity });

export const CartItemParams = z.object({ item_id: pathId('Cart line id (integer)') });

const money = z.string().check(z.describe('Decimal string with two places, e.g. "1299.99"'));

export const CartLineView = z.object({
  id: z.int().check(z.describe('Line id: stable for the life of the line')),
  product: z.object({
    id: z.int(),
    name: z.string(),
    slug: z.string(),
    price: money,
    image: z.nullable(z.url()).check(z.describe('First product image, or null')),
    stock: z.int(),
  }),
  quantity: z.int(),
  unit_price: money.check(z.describe('The product’s current price')),
  subtotal: money,
});
export type CartLineView = z.infer<typeof CartLineView>;

export const CartNotice = z.object({
  code: z.literal('item_removed'),
  product_id: z.int(),
  message: z.string(),
});

export const CartView = z.object({
  items: z.array(CartLineView),
  item_count: z.int().check(z.describe('Units in the cart')),
  total: money,
  currency: z.string(),
  notices: z.array(CartNotice).check(z.describe('Lines removed because their product was archived or deleted (shown once)')),
});
export type CartView = z.infer<typeof CartView>;

export function cartLineView(line: CartLineData, origin: string): CartLineView {
  const p = line.product;
  return {
    id: line.id,
    product: { id: p.id, name: p.name, slug: p.slug, price: formatMoney(p.priceCents), image: p.imageKey ? mediaUrl(origin, p.imageKey) : null, stock: p.stock },
    quantity: line.quantity,
    unit_price: formatMoney(p.priceCents),
    subtotal: formatMoney(lineSubtotal({ quantity: line.quantity, unitPriceCents: p.priceCents })),
  };
}

export function cartView(cart: CartResult, origin: string): CartView {
  const totals = cartTotals(cart.lines.map((l) => ({ quantity: l.quantity, unitPriceCents: l.product.priceCents })));
  return {
    items: cart.lines.map((l) => cartLineView(l, origin)),
    item_count: totals.itemCount,
    total: formatMoney(totals.subtotalCents),
    currency: cart.lines[0]?.product.currency ?? 'usd',
    notices: cart.removed.map((r) => ({
      code: 'item_removed' as const,
      product_id: r.productId,
      message: `${r.name || `Product ${r.productId}`} is no longer available and was removed from your cart.`,
    })),
  };
}

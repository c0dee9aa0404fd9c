/**
 * Line arithmetic shared by the cart and the orders: line subtotals, totals, and which lines the stock cannot
 * cover. No I/O, so the cart object, the cart views and the checkout compute money and shortages the same way
 * (unit-tested in test/order-rules.unit.test.ts). Money is integer cents throughout.
 */
import type { FieldError } from '../errors';

export interface PricedLine {
  quantity: number;
  unitPriceCents: number;
}

export const lineSubtotal = (line: PricedLine): number => line.unitPriceCents * line.quantity;

/** Units and subtotal of some lines; a cart's `item_count` is units (not lines), as shoppers read it on a badge. */
export function cartTotals(lines: readonly PricedLine[]): { itemCount: number; subtotalCents: number } {
  let itemCount = 0;
  let subtotalCents = 0;
  for (const line of lines) {
    itemCount += line.quantity;
    subtotalCents += lineSubtotal(line);
  }
  return { itemCount, subtotalCents };
}

/** Live stock of a product as D1 sees it; `undefined` when the product no longer exists. */
export interface StockInfo {
  stock: number;
  isActive: boolean;
  name?: string;
}

export interface ShortLine {
  productId: number;
  requested: number;
  /** What can be bought now: 0 for archived or deleted products. */
  available: number;
  reason: 'stock' | 'unavailable';
  name?: string;
}

/** Every line the stock cannot cover (archived and deleted products count as 0 available). */
export function shortLines(
  lines: readonly { productId: number; quantity: number }[],
  stockOf: (productId: number) => StockInfo | undefined,
): ShortLine[] {
  const short: ShortLine[] = [];
  for (const line of lines) {
    const info = stockOf(line.productId);
    if (!info || !info.isActive) {
      short.push({ productId: line.productId, requested: line.quantity, available: 0, reason: 'unavailable', name: info?.name });
    } else if (line.quantity > info.stock) {
      short.push({ productId: line.productId, requested: line.quantity, available: Math.max(0, info.stock), reason: 'stock', name: info.name });
    }
  }
  return short;
}

/** The `errors` entries of a 409 `insufficient_stock` problem: one per short line, with `available`. */
export function stockErrors(short: readonly ShortLine[]): FieldError[] {
  return short.map((s) => ({
    field: `items[${s.productId}]`,
    message:
      s.reason === 'unavailable'
        ? `${s.name ?? `Product ${s.productId}`} is no longer available.`
        : s.available === 0
          ? `${s.name ?? `Product ${s.productId}`} is out of stock.`
          : `Only ${s.available} of ${s.name ?? `product ${s.productId}`} in stock; ${s.requested} requested.`,
    available: s.available,
  }));
}

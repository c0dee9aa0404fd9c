/** Unit tests for the pure cart/order code: arithmetic, status machine, order numbers, checkout request checks. */
import { describe, expect, it } from 'vitest';
import { MAX_LINE_QUANTITY } from '../src/cart/cart.model';
import { cartTotals, lineSubtotal, shortLines, stockErrors } from '../src/lines/line-math';
import { AppError } from '../src/errors';
import { classifyBatchError } from '../src/orders/checkout.service';
import { assertPaymentMethodAvailable, canonicalJson, IdempotencyHeaders } from '../src/orders/checkout-request';
import { CROCKFORD, ORDER_NUMBER_RE, orderNumber } from '../src/orders/order-number';
import { canTransition, nextStatuses, restoresStock, transitionRefusal, type OrderStatus } from '../src/orders/order-status';

describe('cart.model', () => {
  it('computes subtotals and totals in integer cents', () => {
    expect(lineSubtotal({ quantity: 3, unitPriceCents: 1999 })).toBe(5997);
    expect(cartTotals([{ quantity: 3, unitPriceCents: 10 }, { quantity: 1, unitPriceCents: 20 }])).toEqual({ itemCount: 4, subtotalCents: 50 });
    expect(cartTotals([])).toEqual({ itemCount: 0, subtotalCents: 0 });
    expect(MAX_LINE_QUANTITY).toBe(100);
  });

  it('lists every short line, counting archived and deleted products as 0 available', () => {
    const stock = new Map([
      [1, { stock: 5, isActive: true, name: 'Ok' }],
      [2, { stock: 1, isActive: true, name: 'Few' }],
      [3, { stock: 9, isActive: false, name: 'Archived' }],
    ]);
    const short = shortLines(
      [{ productId: 1, quantity: 5 }, { productId: 2, quantity: 2 }, { productId: 3, quantity: 1 }, { productId: 4, quantity: 1 }],
      (id) => stock.get(id),
    );
    expect(short.map((s) => [s.productId, s.available, s.reason])).toEqual([[2, 1, 'stock'], [3, 0, 'unavailable'], [4, 0, 'unavailable']]);
    expect(stockErrors(short)).toEqual([
      { field: 'items[2]', message: 'Only 1 of Few in stock; 2 requested.', available: 1 },
      { field: 'items[3]', message: 'Archived is no longer available.', available: 0 },
      { field: 'items[4]', message: 'Product 4 is no longer available.', available: 0 },
    ]);
  });
});

describe('order status machine', () => {
  const all: OrderStatus[] = ['pending', 'confirmed', 'shipped', 'delivered', 'cancelled'];
  it('allows exactly the moves of API.md', () => {
    const allowed = all.flatMap((from) => all.filter((to) => canTransition(from, to)).map((to) => `${from}>${to}`));
    expect(allowed.sort()).toEqual(['confirmed>cancelled', 'confirmed>shipped', 'pending>cancelled', 'pending>confirmed', 'shipped>delivered']);
    expect(nextStatuses('delivered')).toEqual([]);
  });
  it('restores stock only on cancellation and explains refusals', () => {
    expect(all.filter(restoresStock)).toEqual(['cancelled']);
    expect(transitionRefusal('pending', 'shipped')).toContain('confirmed or cancelled');
    expect(transitionRefusal('cancelled', 'pending')).toContain('cannot change status');
  });
});

describe('order numbers', () => {
  it('are ORD- and 8 Crockford base32 characters', () => {
    for (let i = 0; i < 200; i++) expect(orderNumber()).toMatch(ORDER_NUMBER_RE);
    expect(new Set(Array.from({ length: 1000 }, () => orderNumber())).size).toBe(1000);
  });
  it('use all 40 random bits', () => {
    expect(orderNumber((b) => b.fill(0))).toBe('ORD-00000000');
    expect(orderNumber((b) => b.fill(255))).toBe('ORD-ZZZZZZZZ');
    expect(orderNumber((b) => { b.set([0, 0, 0, 0, 31]); return b; })).toBe('ORD-0000000Z');
    expect(CROCKFORD).not.toMatch(/[ILOU]/);
  });
});

describe('checkout request checks', () => {
  it('accepts 1..255 printable ASCII keys and refuses the rest', () => {
    const key = (value: string | undefined) => IdempotencyHeaders.safeParse(value === undefined ? {} : { 'Idempotency-Key': value });
    expect(key(undefined).data).toEqual({});
    expect(key('a').data?.['Idempotency-Key']).toBe('a');
    expect(key('k'.repeat(255)).data?.['Idempotency-Key']).toHaveLength(255);
    for (const bad of ['', ' ', 'k'.repeat(256), 'caf\u00e9', 'a\nb']) expect(key(bad).success).toBe(false);
  });
  it('canonical JSON ignores key order and undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
  it('accepts card only when Stripe is configured', () => {
    expect(() => assertPaymentMethodAvailable('cod', false)).not.toThrow();
    expect(() => assertPaymentMethodAvailable('card', true)).not.toThrow();
    try {
      assertPaymentMethodAvailable('card', false);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('validation_error');
      expect((e as AppError).errors?.[0].field).toBe('payment_method');
    }
  });
  it('classifies D1 batch failures by constraint name', () => {
    expect(classifyBatchError(new Error('D1_ERROR: CHECK constraint failed: stock_nonneg: SQLITE_CONSTRAINT'))).toBe('stock');
    expect(classifyBatchError({ message: 'Failed query', cause: { message: 'D1_ERROR: CHECK constraint failed: stock_nonneg' } })).toBe('stock');
    expect(classifyBatchError(new Error('D1_ERROR: UNIQUE constraint failed: orders.number: SQLITE_CONSTRAINT'))).toBe('number_clash');
    expect(classifyBatchError(new Error('UNIQUE constraint failed: idempotency_records.user_id, idempotency_records.key'))).toBe('idempotency_clash');
    expect(classifyBatchError(new Error('FOREIGN KEY constraint failed'))).toBe('foreign_key');
    expect(classifyBatchError(new Error('CHECK constraint failed: order_items_quantity_ck'))).toBe('other');
  });
});

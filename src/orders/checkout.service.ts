/**
 * Placing an order from a cart snapshot: ONE read of the live product rows, then ONE D1 batch that inserts the
 * order, its items (price snapshots), the first status-history row and the idempotency record, and decrements
 * every line's stock. A D1 batch is one transaction, and `CHECK (stock >= 0)` (stock_nonneg) makes the whole batch
 * fail when any line is short at commit time — whatever the read saw — so stock can never be oversold.
 * Runs inside the user's cart Durable Object, which serializes checkouts of one cart.
 */
import { and, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { idempotencyRecords, orders, products } from '../db/schema';
import { liveProductsQuery, type LiveProduct } from '../lines/live-products';
import { cartTotals, lineSubtotal, shortLines, type ShortLine } from '../lines/line-math';
import { nowIso } from '../lib/crypto';
import { writeBatch, type Statement } from './d1-batch';
import { orderNumber } from './order-number';
import type { OrderItemRecord, OrderRecord } from './orders.queries';
import type { CheckoutBody } from './orders.schemas';

/** Shipping is free for now: `shipping_total` is always "0.00" until a shipping rule exists. */
export const SHIPPING_CENTS = 0;
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/** Attempts when the batch loses a race (stock taken, product archived, number clash) but the re-read looks fine. */
const MAX_ATTEMPTS = 3;

export interface PlaceOrderInput {
  userId: number;
  lines: readonly { productId: number; quantity: number }[];
  body: CheckoutBody;
  idempotency?: { key: string; fingerprint: string };
  /** Open (pending, unpaid) cash-on-delivery orders a customer may hold; a `cod` checkout beyond it is refused. */
  maxOpenCodOrders?: number;
}

export type PlaceOrderOutcome =
  | { kind: 'placed'; order: OrderRecord }
  | { kind: 'short'; short: ShortLine[] }
  /** The key is already in D1 (the object forgot it): the same request answers that order. */
  | { kind: 'replay'; orderId: number }
  | { kind: 'key_reused' }
  /** A `cod` checkout by a customer who already holds `maxOpenCodOrders` open unpaid cod orders. */
  | { kind: 'too_many_open'; max: number }
  /** Stock kept changing under three attempts in a row. */
  | { kind: 'busy' }
  /** The buyer's account was deleted after their access token was issued (orders.user_id has no row). */
  | { kind: 'account_gone' };

type BatchFailure = 'stock' | 'foreign_key' | 'number_clash' | 'idempotency_clash' | 'other';

/** D1 reports constraint failures in the message (batch) or in its cause (single drizzle statement). */
export function classifyBatchError(err: unknown): BatchFailure {
  const e = err as { message?: string; cause?: { message?: string } } | undefined;
  const text = `${e?.message ?? ''} ${e?.cause?.message ?? ''}`;
  if (/CHECK constraint failed: stock_nonneg/.test(text)) return 'stock';
  if (/FOREIGN KEY constraint failed/.test(text)) return 'foreign_key';
  if (/UNIQUE constraint failed: orders\.number/.test(text)) return 'number_clash';
  if (/UNIQUE constraint failed: idempotency_records\./.test(text)) return 'idempotency_clash';
  return 'other';
}

export async function placeOrder(db: Db, input: PlaceOrderInput): Promise<PlaceOrderOutcome> {
  const ids = input.lines.map((l) => l.productId);
  let lastError: unknown;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    // Read 1: live prices and stock (the price snapshot is taken here, at checkout, not when the line was added),
    // and for `cod` the buyer's open cod orders, in the same round trip.
    const { live, openCod } = await readLive(db, ids, input);
    if (openCod !== undefined && openCod >= input.maxOpenCodOrders!) return { kind: 'too_many_open', max: input.maxOpenCodOrders! };
    const short = shortLines(input.lines, (id) => live.get(id));
    if (short.length) return { kind: 'short', short };

    const items: OrderItemRecord[] = input.lines.map((l) => {
      const p = live.get(l.productId)!;
      const item = { productId: p.id, productName: p.name, sku: p.sku, unitPriceCents: p.priceCents, quantity: l.quantity };
      return { ...item, subtotalCents: lineSubtotal(item) };
    });
    const currency = live.get(ids[0])!.currency;
    const { subtotalCents } = cartTotals(items);
    const number = orderNumber();
    const now = nowIso();
    const order = {
      number, userId: input.userId, status: 'pending' as const, paymentMethod: input.body.payment_method,
      paymentStatus: 'unpaid' as const, currency, subtotalCents, shippingCents: SHIPPING_CENTS,
      totalCents: subtotalCents + SHIPPING_CENTS, shippingAddress: JSON.stringify(input.body.shipping_address),
      note: input.body.note ?? '', createdAt: now, updatedAt: now,
    };
    // Later statements find the new order by its unique number: the batch cannot pass the id along.
    const orderId = sql`(SELECT id FROM orders WHERE number = ${number})`;
    const statements: Statement[] = [
      db.insert(orders).values(order).returning({ id: orders.id }),
      // An archived product takes its stock to -1 here, so it fails the batch exactly like a short line.
      ...items.map((i) =>
        db
          .update(products)
          .set({ stock: sql`${products.stock} - CASE WHEN ${products.isActive} = 1 THEN ${i.quantity} ELSE ${products.stock} + 1 END` })
          .where(eq(products.id, i.productId)),
      ),
      ...items.map((i) =>
        sql`INSERT INTO order_items (order_id, product_id, product_name, sku, unit_price_cents, quantity, subtotal_cents)
          VALUES (${orderId}, ${i.productId}, ${i.productName}, ${i.sku}, ${i.unitPriceCents}, ${i.quantity}, ${i.subtotalCents})`,
      ),
      sql`INSERT INTO order_status_history (order_id, status, by_user_id, actor, at) VALUES (${orderId}, 'pending', ${input.userId}, 'customer', ${now})`,
      ...(input.idempotency
        ? [
            // A key older than 24 h may be used again: its stale record must not trip the unique index.
            sql`DELETE FROM idempotency_records WHERE user_id = ${input.userId} AND key = ${input.idempotency.key} AND expires_at <= ${now}`,
            sql`INSERT INTO idempotency_records (user_id, key, fingerprint, order_id, created_at, expires_at)
            VALUES (${input.userId}, ${input.idempotency.key}, ${input.idempotency.fingerprint}, ${orderId}, ${now}, ${new Date(Date.parse(now) + IDEMPOTENCY_TTL_SECONDS * 1000).toISOString()})`,
          ]
        : []),
    ];
    try {
      // Write: the one batch. It commits whole or not at all.
      const [inserted] = await writeBatch(db, statements);
      const history = [{ status: 'pending' as const, byUserId: input.userId, actor: 'customer', at: now }];
      return { kind: 'placed', order: { ...order, id: (inserted.results[0] as { id: number }).id, items, history } };
    } catch (err) {
      lastError = err;
      const failure = classifyBatchError(err);
      if (failure === 'idempotency_clash' && input.idempotency) return replayFromD1(db, input.userId, input.idempotency);
      // Lost a race: the next attempt's read says what is short now (the 409 lists every short line).
      if (failure === 'stock' || failure === 'number_clash' || (failure === 'foreign_key' && attempt === 1)) continue;
      // A product deleted under the cart was seen by the re-read of attempt 2; a foreign key that still fails
      // can only be the buyer's own row: a token that outlived its account.
      if (failure === 'foreign_key') return { kind: 'account_gone' };
      throw err;
    }
  }
  if (classifyBatchError(lastError) === 'stock') return { kind: 'busy' };
  throw lastError;
}

/**
 * Unpaid `cod` orders hold stock until staff act on them, so one account could otherwise reserve a whole catalog.
 * Counted here, before the batch: checkouts of one customer are serialized by their cart Durable Object, so no
 * other checkout of theirs can slip in between this count and the batch.
 */
async function readLive(db: Db, ids: readonly number[], input: PlaceOrderInput): Promise<{ live: Map<number, LiveProduct>; openCod?: number }> {
  const toMap = (rows: LiveProduct[]) => new Map(rows.map((r) => [r.id, r]));
  if (input.body.payment_method !== 'cod' || input.maxOpenCodOrders === undefined) return { live: toMap(await liveProductsQuery(db, ids)) };
  const open = db
    .select({ n: count() })
    .from(orders)
    .where(and(eq(orders.userId, input.userId), eq(orders.status, 'pending'), eq(orders.paymentMethod, 'cod'), eq(orders.paymentStatus, 'unpaid')));
  const [rows, [{ n }]] = await db.batch([liveProductsQuery(db, ids), open]);
  return { live: toMap(rows), openCod: n };
}

/** The second idempotency guard: D1's unique (user_id, key) caught a key the object did not remember. */
async function replayFromD1(db: Db, userId: number, idem: { key: string; fingerprint: string }): Promise<PlaceOrderOutcome> {
  const [rec] = await db
    .select({ fingerprint: idempotencyRecords.fingerprint, orderId: idempotencyRecords.orderId })
    .from(idempotencyRecords)
    .where(and(eq(idempotencyRecords.userId, userId), eq(idempotencyRecords.key, idem.key)));
  if (!rec || rec.orderId == null) throw new Error('idempotency record vanished');
  return rec.fingerprint === idem.fingerprint ? { kind: 'replay', orderId: rec.orderId } : { kind: 'key_reused' };
}

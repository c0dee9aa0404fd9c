/**
 * Placing an order from a cart snapshot in ONE D1 round trip: one batch that inserts the order with totals
 * computed from the live product rows, its items (price snapshots copied from `products` inside the batch), the
 * first status-history row and the idempotency record, and decrements every line's stock. A D1 batch is one transaction, and `CHECK (stock >= 0)` (stock_nonneg) makes the whole batch
 * fail when any line is short at commit time — whatever the read saw — so stock can never be oversold.
 * Runs inside the user's cart Durable Object, which serializes checkouts of one cart.
 */
import { and, count, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { idempotencyRecords, orders, products } from '../db/schema';
import type { ErrorCode } from '../errors';
import { accountRefusal, accountStatusQuery, type AccountStatus } from '../users/account-status';
import { liveProductsQuery, type LiveProduct } from '../lines/live-products';
import { shortLines, type ShortLine } from '../lines/line-math';
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
  /** The buyer's account was deleted or deactivated after their access token was issued. */
  | { kind: 'account_refused'; code: ErrorCode; detail: string };

type BatchFailure = 'stock' | 'gone' | 'foreign_key' | 'number_clash' | 'idempotency_clash' | 'other';

/** D1 reports constraint failures in the message (batch) or in its cause (single drizzle statement). */
export function classifyBatchError(err: unknown): BatchFailure {
  const e = err as { message?: string; cause?: { message?: string } } | undefined;
  const text = `${e?.message ?? ''} ${e?.cause?.message ?? ''}`;
  if (/CHECK constraint failed: stock_nonneg/.test(text)) return 'stock';
  if (/FOREIGN KEY constraint failed/.test(text)) return 'foreign_key';
  // A cart line whose product row is gone: the items INSERT … SELECT finds no name/price to copy.
  if (/NOT NULL constraint failed: (order_items|orders)\./.test(text)) return 'gone';
  if (/UNIQUE constraint failed: orders\.number/.test(text)) return 'number_clash';
  if (/UNIQUE constraint failed: idempotency_records\./.test(text)) return 'idempotency_clash';
  return 'other';
}

/**
 * The lines as an inline `VALUES` table `l(product_id, quantity, pos)`. Integers only (validated here), so they are
 * written as literals: a 100-line cart would otherwise need 300 bound parameters, beyond D1's 100 per statement.
 */
function linesTable(lines: PlaceOrderInput['lines']): SQL {
  const rows = lines.map((l, pos) => {
    if (![l.productId, l.quantity].every(Number.isSafeInteger)) throw new Error('cart line is not an integer');
    return `(${l.productId}, ${l.quantity}, ${pos})`;
  });
  return sql.raw(`l(product_id, quantity, pos) AS (VALUES ${rows.join(', ')})`);
}

/**
 * The checkout batch. Every statement reads `products` as it writes, inside the one transaction, so prices,
 * totals and stock are those of the commit instant: the order's totals (an aggregate over the lines joined to
 * products), the stock decrements (CHECK stock_nonneg is the judge), and the items with their price snapshots
 * (`INSERT … SELECT`, `RETURNING` what was written). A line whose product no longer exists has no price to
 * copy: its item row gets a NULL name and fails NOT NULL, so the batch fails like a short line.
 */
function checkoutStatements(db: Db, input: PlaceOrderInput, number: string, now: string): Statement[] {
  const l = linesTable(input.lines);
  const orderId = sql`(SELECT id FROM orders WHERE number = ${number})`;
  const firstId = sql.raw(String(input.lines[0].productId));
  return [
    sql`WITH ${l} INSERT INTO orders (number, user_id, status, payment_method, payment_status, currency, subtotal_cents, shipping_cents,
        total_cents, shipping_address, note, created_at, updated_at)
      SELECT ${number}, ${input.userId}, 'pending', ${input.body.payment_method}, 'unpaid', (SELECT currency FROM products WHERE id = ${firstId}),
        coalesce(sum(p.price_cents * l.quantity), 0), ${SHIPPING_CENTS}, coalesce(sum(p.price_cents * l.quantity), 0) + ${SHIPPING_CENTS},
        ${JSON.stringify(input.body.shipping_address)}, ${input.body.note ?? ''}, ${now}, ${now}
      FROM l JOIN products AS p ON p.id = l.product_id
      ${orderGuard(input)}
      RETURNING id, currency, subtotal_cents, total_cents`,
    // An archived product takes its stock to -1 here, so it fails the batch exactly like a short line.
    ...input.lines.map((line) =>
      db
        .update(products)
        .set({ stock: sql`${products.stock} - CASE WHEN ${products.isActive} = 1 THEN ${line.quantity} ELSE ${products.stock} + 1 END` })
        .where(eq(products.id, line.productId)),
    ),
    sql`WITH ${l} INSERT INTO order_items (order_id, product_id, product_name, sku, unit_price_cents, quantity, subtotal_cents)
      SELECT ${orderId}, l.product_id, p.name, p.sku, p.price_cents, l.quantity, p.price_cents * l.quantity
      FROM l LEFT JOIN products AS p ON p.id = l.product_id ORDER BY l.pos
      RETURNING product_id, product_name, sku, unit_price_cents, quantity, subtotal_cents`,
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
}

/**
 * The conditions under which the order row is written, checked inside its INSERT (an aggregate with a HAVING that
 * is false inserts no row; the items then have no order to refer to and fail the whole batch), so they cost no
 * round trip of their own and no concurrent request can slip past them:
 * - the buyer's account still exists and is active (an access token outlives a deactivation by up to 15 min; the
 *   route's guard trusts the token and leaves this check to the batch, `check: 'token'`);
 * - for `cod`, fewer than `maxOpenCodOrders` open unpaid cod orders: they hold stock until staff act on them, so
 *   one account could otherwise reserve a whole catalog.
 */
function orderGuard(input: PlaceOrderInput): SQL {
  const active = sql`EXISTS (SELECT 1 FROM users AS u WHERE u.id = ${input.userId} AND u.is_active = 1)`;
  if (input.body.payment_method !== 'cod' || input.maxOpenCodOrders === undefined) return sql`HAVING ${active}`;
  return sql`HAVING ${active} AND (SELECT count(*) FROM orders AS o WHERE o.user_id = ${input.userId} AND o.status = 'pending'
    AND o.payment_method = 'cod' AND o.payment_status = 'unpaid') < ${input.maxOpenCodOrders}`;
}

interface ItemRow {
  product_id: number;
  product_name: string;
  sku: string;
  unit_price_cents: number;
  quantity: number;
  subtotal_cents: number;
}

/** The order as the batch wrote it, from the batch's own RETURNING rows (no read after the write). */
function placedOrder(results: D1Result[], input: PlaceOrderInput, number: string, now: string): OrderRecord {
  const head = results[0].results[0] as { id: number; currency: string; subtotal_cents: number; total_cents: number };
  const rows = results[1 + input.lines.length].results as ItemRow[];
  // RETURNING rows come in no promised order: put them back in cart order.
  const byProduct = new Map(rows.map((r) => [r.product_id, r]));
  const items: OrderItemRecord[] = input.lines.map((line) => {
    const r = byProduct.get(line.productId)!;
    return { productId: r.product_id, productName: r.product_name, sku: r.sku, unitPriceCents: r.unit_price_cents, quantity: r.quantity, subtotalCents: r.subtotal_cents };
  });
  return {
    id: head.id, number, userId: input.userId, status: 'pending', paymentMethod: input.body.payment_method, paymentStatus: 'unpaid',
    currency: head.currency, subtotalCents: head.subtotal_cents, shippingCents: SHIPPING_CENTS, totalCents: head.total_cents,
    shippingAddress: JSON.stringify(input.body.shipping_address), note: input.body.note ?? '', createdAt: now, updatedAt: now,
    items, history: [{ status: 'pending', byUserId: input.userId, actor: 'customer', at: now }],
  };
}

/**
 * Places the order in ONE D1 round trip on the happy path: the batch computes and writes everything and hands
 * the order back. Only when it fails does a second round trip read the live products, to list every short line
 * (409) or, when nothing is short any more (a race that resolved), to try again.
 */
export async function placeOrder(db: Db, input: PlaceOrderInput): Promise<PlaceOrderOutcome> {
  const ids = input.lines.map((l) => l.productId);
  let lastError: unknown;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const number = orderNumber();
    const now = nowIso();
    try {
      const results = await writeBatch(db, checkoutStatements(db, input, number, now));
      return { kind: 'placed', order: placedOrder(results, input, number, now) };
    } catch (err) {
      lastError = err;
      const failure = classifyBatchError(err);
      if (failure === 'idempotency_clash' && input.idempotency) return replayFromD1(db, input.userId, input.idempotency);
      if (failure === 'number_clash') continue;
      if (failure !== 'stock' && failure !== 'gone' && failure !== 'foreign_key') throw err;
      // The failure path: is the account still there and active? What is short now? (The 409 lists every short
      // line with what is available.) And for `cod`, did the open-order guard refuse the insert?
      const { live, account, openCod } = await readLive(db, ids, input);
      const refused = accountRefusal(account);
      if (refused) return { kind: 'account_refused', ...refused };
      const shortNow = shortLines(input.lines, (id) => live.get(id));
      if (shortNow.length) return { kind: 'short', short: shortNow };
      if (openCod !== undefined && openCod >= input.maxOpenCodOrders!) return { kind: 'too_many_open', max: input.maxOpenCodOrders! };
      // Nothing is short, every product exists and the account is active NOW: the batch saw the account deleted
      // or deactivated a moment ago (a foreign key, or no order row), or lost a stock race that has resolved.
      // Either way the state changed under it: try again.
      if (failure === 'foreign_key' || failure === 'gone') continue;
    }
  }
  if (classifyBatchError(lastError) === 'stock') return { kind: 'busy' };
  throw lastError;
}

/** The failure path's read: the buyer's account, the live products and, for `cod`, the open cod orders: ONE round trip. */
async function readLive(
  db: Db,
  ids: readonly number[],
  input: PlaceOrderInput,
): Promise<{ live: Map<number, LiveProduct>; account?: AccountStatus; openCod?: number }> {
  const account = accountStatusQuery(db, input.userId);
  const open = db
    .select({ n: count() })
    .from(orders)
    .where(and(eq(orders.userId, input.userId), eq(orders.status, 'pending'), eq(orders.paymentMethod, 'cod'), eq(orders.paymentStatus, 'unpaid')));
  const [rows, [acct], [{ n }]] = await db.batch([liveProductsQuery(db, ids), account, open]);
  const cod = input.body.payment_method === 'cod' && input.maxOpenCodOrders !== undefined;
  return { live: new Map(rows.map((r) => [r.id, r])), account: acct, openCod: cod ? n : undefined };
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

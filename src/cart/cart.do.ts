/**
 * The per-user cart Durable Object (one object per user id, named by the id). It alone owns the user's cart
 * lines, in its own SQLite storage, so every mutation of one cart is serialized here.
 *
 * Concurrency rules (see STYLE.md "The cart Durable Object"):
 * - D1 reads happen first; the local read-modify-write follows with no `await` in between. An await on D1
 *   opens the input gate and lets the next call in, but a synchronous block of `ctx.storage.sql` cannot be
 *   interleaved, so 50 concurrent "add 1" leave quantity 50.
 * - Checkouts queue behind each other (`checkoutTail`), and cart mutations wait until no checkout is running:
 *   a checkout's snapshot → D1 batch → clear can never swallow or double-sell a concurrent change.
 * - Errors thrown across RPC lose their properties, so every method returns `{ ok: true, … } | RpcFailure`
 *   (src/http/rpc-result.ts) and the route raises the AppError. Every result carries the D1 round trips made in here.
 */
import { DurableObject } from 'cloudflare:workers';
import { createDb } from '../db/client';
import type { Env } from '../env';
import { describeError } from '../http/logging';
import { rpcFailure, type RpcFailure } from '../http/rpc-result';
import { nowIso } from '../lib/crypto';
import { placeOrder } from '../orders/checkout.service';
import type { OrderRecord } from '../orders/orders.queries';
import type { CheckoutBody } from '../orders/orders.schemas';
import { liveProductAndAccount, liveProducts, type LiveProduct } from '../lines/live-products';
import { accountRefusal } from '../users/account-status';
import { shortLines, stockErrors } from '../lines/line-math';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from './cart.model';
import * as store from './cart.store';

export interface CartLineData {
  id: number;
  quantity: number;
  product: LiveProduct;
}
export interface RemovedLine {
  productId: number;
  name: string;
}
export type LineResult = { ok: true; line: CartLineData; created: boolean; dbCalls: number } | RpcFailure;
export type CartResult = { ok: true; lines: CartLineData[]; removed: RemovedLine[]; dbCalls: number };
export type DoneResult = { ok: true; dbCalls: 0 } | RpcFailure;
export interface CheckoutRequest {
  userId: number;
  body: CheckoutBody;
  idempotency?: { key: string; fingerprint: string };
  requestId: string;
  /** MAX_OPEN_COD_ORDERS from the configuration. */
  maxOpenCodOrders?: number;
}
export type CheckoutResult =
  | { ok: true; replayed: false; order: OrderRecord; dbCalls: number }
  | { ok: true; replayed: true; orderId: number; dbCalls: number }
  | RpcFailure;

const fail = rpcFailure;
const unavailable = (calls: number) => fail('not_found', 'Product not found or no longer available.', calls);

export class CartDO extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** The last checkout queued in this object, or null when none is running. */
  private checkoutTail: Promise<CheckoutResult> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    store.migrateCartStore(this.sql);
  }

  /** Resolves once no checkout is running (a synchronous no-op when none is). */
  private async checkoutsDone(): Promise<void> {
    while (this.checkoutTail) await this.checkoutTail;
  }

  private db() {
    const counter = { count: 0 };
    // Cart stock checks and checkout must see the latest stock: D1 queries outside a Sessions API session go to
    // the primary, never a replica (db/session.ts), which is what this object needs.
    return { db: createDb(this.env.DB, counter), counter };
  }

  /** The lines with their live products (ONE D1 query); lines of archived or deleted products are dropped. */
  async getCart(): Promise<CartResult> {
    if (this.checkoutTail) await this.checkoutsDone();
    const { db, counter } = this.db();
    let lines = store.listLines(this.sql);
    if (!lines.length) return { ok: true, lines: [], removed: [], dbCalls: 0 };
    const fetched = new Set(lines.map((l) => l.productId));
    const live = await liveProducts(db, [...fetched]);
    // Re-read after the await (a concurrent call may have changed the cart); a line added meanwhile has no
    // product row yet and shows on the next read.
    lines = store.listLines(this.sql).filter((l) => fetched.has(l.productId));
    const gone = lines.filter((l) => !live.get(l.productId)?.isActive);
    store.deleteLines(this.sql, gone.map((l) => l.id));
    const kept = lines.filter((l) => live.get(l.productId)?.isActive);
    return {
      ok: true,
      lines: kept.map((l) => ({ id: l.id, quantity: l.quantity, product: live.get(l.productId)! })),
      removed: gone.map((l) => ({ productId: l.productId, name: live.get(l.productId)?.name ?? l.name })),
      dbCalls: counter.count,
    };
  }

  /** Adds `quantity` units of a product, merging into its line (ONE D1 round trip: the product and the account). */
  async addItem(userId: number, productId: number, quantity: number): Promise<LineResult> {
    if (this.checkoutTail) await this.checkoutsDone();
    const { db, counter } = this.db();
    const { product, account } = await liveProductAndAccount(db, productId, userId);
    // A checkout that started during the read finishes first, so its cart clear cannot swallow this add.
    if (this.checkoutTail) await this.checkoutsDone();
    // From here to the return: no await, so no other call of this cart can interleave.
    const refused = accountRefusal(account);
    if (refused) return fail(refused.code, refused.detail, counter.count);
    if (!product || !product.isActive) return unavailable(counter.count);
    const existing = store.lineByProduct(this.sql, productId);
    const wanted = (existing?.quantity ?? 0) + quantity;
    if (wanted > MAX_LINE_QUANTITY) {
      return fail('validation_error', `A cart line holds at most ${MAX_LINE_QUANTITY} units.`, counter.count, [
        { field: 'quantity', message: `the line would hold ${wanted} units; at most ${MAX_LINE_QUANTITY} are allowed` },
      ]);
    }
    if (!existing && store.countLines(this.sql) >= MAX_CART_LINES) {
      return fail('validation_error', `A cart holds at most ${MAX_CART_LINES} different products.`, counter.count, [
        { field: 'product_id', message: `the cart already holds ${MAX_CART_LINES} different products` },
      ]);
    }
    const short = shortLines([{ productId, quantity: wanted }], () => product);
    if (short.length) return fail('insufficient_stock', 'Not enough stock for this quantity.', counter.count, stockErrors(short));
    let id: number;
    if (existing) {
      store.setLineQuantity(this.sql, existing.id, wanted, product.name);
      id = existing.id;
    } else {
      id = store.insertLine(this.sql, productId, wanted, product.name).id;
    }
    return { ok: true, created: !existing, line: { id, quantity: wanted, product }, dbCalls: counter.count };
  }

  /** Sets a line's quantity (ONE D1 round trip: its product's stock and the account). */
  async setQuantity(userId: number, lineId: number, quantity: number): Promise<LineResult> {
    if (this.checkoutTail) await this.checkoutsDone();
    const before = store.lineById(this.sql, lineId);
    if (!before) return fail('not_found', 'Cart item not found.', 0);
    const { db, counter } = this.db();
    const { product, account } = await liveProductAndAccount(db, before.productId, userId);
    if (this.checkoutTail) await this.checkoutsDone();
    const refused = accountRefusal(account);
    if (refused) return fail(refused.code, refused.detail, counter.count);
    const line = store.lineById(this.sql, lineId);
    if (!line) return fail('not_found', 'Cart item not found.', counter.count);
    if (!product || !product.isActive) {
      store.deleteLine(this.sql, lineId);
      return fail('not_found', 'The product of this cart item is no longer available; the item was removed.', counter.count);
    }
    const short = shortLines([{ productId: line.productId, quantity }], () => product);
    if (short.length) return fail('insufficient_stock', 'Not enough stock for this quantity.', counter.count, stockErrors(short));
    store.setLineQuantity(this.sql, lineId, quantity, product.name);
    return { ok: true, created: false, line: { id: lineId, quantity, product }, dbCalls: counter.count };
  }

  async removeLine(lineId: number): Promise<DoneResult> {
    if (this.checkoutTail) await this.checkoutsDone();
    return store.deleteLine(this.sql, lineId) ? { ok: true, dbCalls: 0 } : fail('not_found', 'Cart item not found.', 0);
  }

  async clear(): Promise<DoneResult> {
    if (this.checkoutTail) await this.checkoutsDone();
    store.clearLines(this.sql);
    return { ok: true, dbCalls: 0 };
  }

  /**
   * Places the order for the whole cart. Checkouts of this cart run one at a time: a duplicate sent while the
   * first is waiting on D1 queues behind it and then sees the remembered key (replay) or the emptied cart.
   */
  checkout(req: CheckoutRequest): Promise<CheckoutResult> {
    const run = () => this.runCheckout(req).catch((err) => this.checkoutFailed(req, err));
    const mine = this.checkoutTail ? this.checkoutTail.then(run) : run();
    this.checkoutTail = mine;
    return mine.finally(() => {
      if (this.checkoutTail === mine) this.checkoutTail = null;
    });
  }

  private async runCheckout(req: CheckoutRequest): Promise<CheckoutResult> {
    const now = nowIso();
    store.purgeKeys(this.sql, now);
    const idem = req.idempotency;
    if (idem) {
      const known = store.findKey(this.sql, idem.key, now);
      if (known && known.fingerprint === idem.fingerprint) return { ok: true, replayed: true, orderId: known.orderId, dbCalls: 0 };
      if (known) return fail('idempotency_key_reused', 'This Idempotency-Key was already used with a different request body.', 0);
    }
    const lines = store.listLines(this.sql);
    if (!lines.length) return fail('cart_empty', 'The cart is empty.', 0);

    const { db, counter } = this.db();
    const outcome = await placeOrder(db, { userId: req.userId, lines, body: req.body, idempotency: idem, maxOpenCodOrders: req.maxOpenCodOrders });
    const expires = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
    switch (outcome.kind) {
      case 'placed':
        // Only now, after the batch committed, is the cart emptied (and the key remembered) — in one sync block.
        store.deleteLines(this.sql, lines.map((l) => l.id));
        if (idem) store.rememberKey(this.sql, idem.key, idem.fingerprint, outcome.order.id, expires);
        return { ok: true, replayed: false, order: outcome.order, dbCalls: counter.count };
      case 'replay':
        if (idem) store.rememberKey(this.sql, idem.key, idem.fingerprint, outcome.orderId, expires);
        return { ok: true, replayed: true, orderId: outcome.orderId, dbCalls: counter.count };
      case 'short':
        return fail('insufficient_stock', 'Not enough stock for some items; nothing was ordered.', counter.count, stockErrors(outcome.short));
      case 'key_reused':
        return fail('idempotency_key_reused', 'This Idempotency-Key was already used with a different request body.', counter.count);
      case 'account_refused':
        return fail(outcome.code, outcome.detail, counter.count);
      case 'too_many_open':
        return fail('too_many_open_orders', `You already have ${outcome.max} open cash-on-delivery orders; wait until one is confirmed or cancel one.`, counter.count);
      case 'busy':
        return fail('service_unavailable', 'Stock is changing too fast to place this order; please retry.', counter.count);
    }
  }

  /** Any other failure: the batch rolled back as a whole and the cart was not touched. */
  private checkoutFailed(req: CheckoutRequest, err: unknown): CheckoutResult {
    if (this.env.LOG_LEVEL !== 'silent') {
      console.error(JSON.stringify({ level: 'error', event: 'checkout_failed', request_id: req.requestId, user_id: req.userId, error: describeError(err) }));
    }
    return fail('internal_error', 'The order could not be placed because of a server error. Nothing was ordered and your cart is unchanged.', 0);
  }
}

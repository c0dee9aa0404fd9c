/**
 * What a Stripe fact does to an order, shared by the webhook and the cron sweep. Each fact carries an event id
 * (Stripe's, or the sweep's synthetic `sweep:<session>:<outcome>`) that is inserted into processed_webhook_events
 * in the SAME D1 batch as the effect: a replay, or two deliveries racing, fail on its primary key and change
 * nothing. Effects are guarded by the state they expect (pending + unpaid), so facts arriving out of order never
 * undo a payment. Committed changes leave through the order-events door.
 */
import { sql } from 'drizzle-orm';
import type { Config } from '../config';
import type { Db } from '../db/client';
import type { Env } from '../env';
import { logEvent } from '../http/logging';
import { nowIso } from '../lib/crypto';
import { writeBatch, type Statement } from '../orders/d1-batch';
import { publishOrderStatusEvents, publishRefundIssued } from '../orders/order-events';
import { applied, statusChangeStatements } from '../orders/orders.service';
import { paymentRecord, type PaymentRecord } from './payment-records';
import { refundPayment } from './refund';

export interface SettleDeps {
  db: Db;
  env: Env;
  config: Config;
}

export interface Fact {
  eventId: string;
  eventType: string;
}

export type SettleOutcome = 'applied' | 'no_change' | 'duplicate' | 'unknown_order';

const isDuplicateEvent = (err: unknown) =>
  /UNIQUE constraint failed: processed_webhook_events\.id/.test(`${(err as Error)?.message} ${(err as { cause?: Error })?.cause?.message}`);

/** The fact's batch: its event row first, then its effect. Null when the event was already processed. */
async function once(db: Db, fact: Fact, effect: Statement[]): Promise<D1Result[] | null> {
  const record = sql`INSERT INTO processed_webhook_events (id, type, processed_at) VALUES (${fact.eventId}, ${fact.eventType}, ${nowIso()})`;
  try {
    return (await writeBatch(db, [record, ...effect])).slice(1);
  } catch (err) {
    if (isDuplicateEvent(err)) return null;
    throw err;
  }
}

const unknown = (deps: SettleDeps, fact: Fact, orderId: unknown): SettleOutcome => {
  logEvent(deps.config.logLevel, 'error', 'stripe_event_unknown_order', { event_id: fact.eventId, type: fact.eventType, order_id: orderId ?? null });
  return 'unknown_order';
};

const isCardOrder = (r: PaymentRecord | undefined): r is PaymentRecord => Boolean(r && r.paymentMethod === 'card');

/** The checkout session was paid: pending + unpaid → confirmed + paid (by `stripe`). */
export async function settlePaid(
  deps: SettleDeps,
  fact: Fact & { orderId: number; sessionId: string; paymentIntentId: string | null },
): Promise<SettleOutcome> {
  const { db, env } = deps;
  const rec = await paymentRecord(db, fact.orderId);
  if (!isCardOrder(rec)) return unknown(deps, fact, fact.orderId);
  const at = nowIso();
  if (rec.status === 'pending' && rec.paymentStatus === 'unpaid') {
    const results = await once(
      db,
      fact,
      statusChangeStatements(db, {
        id: rec.id, from: 'pending', to: 'confirmed', byUserId: null, actor: 'stripe', at,
        guard: sql`payment_status = 'unpaid'`,
        set: { paymentStatus: 'paid', stripePaymentIntentId: fact.paymentIntentId ?? rec.paymentIntentId },
      }),
    );
    if (!results) return 'duplicate';
    if (applied(results)) {
      await publishOrderStatusEvents(env, [{ orderId: rec.id, number: rec.number, userId: rec.userId, status: 'confirmed', at }]);
      return 'applied';
    }
    // Lost a race (a customer cancel committed first): the event is recorded, the payment must still be kept.
    return settleLatePayment(deps, { ...fact, eventId: `${fact.eventId}:late` });
  }
  if (rec.status === 'cancelled' && rec.paymentStatus === 'unpaid') return settleLatePayment(deps, fact);
  if (rec.paymentStatus === 'unpaid') {
    // Staff moved the order on before the money came: record the payment, leave the status where it is.
    const results = await once(db, fact, [
      sql`UPDATE orders SET payment_status = 'paid', stripe_payment_intent_id = COALESCE(${fact.paymentIntentId}, stripe_payment_intent_id), updated_at = ${at}
        WHERE id = ${rec.id} AND status <> 'cancelled' AND payment_status = 'unpaid' RETURNING id`,
    ]);
    if (!results) return 'duplicate';
    return applied(results) ? 'applied' : 'no_change';
  }
  return (await once(db, fact, [])) ? 'no_change' : 'duplicate';
}

/**
 * Money arrived for an order that was cancelled meanwhile (the customer cancelled, or the session expired, while
 * the payment was under way): the payment is recorded, never dropped, and refunded. If the refund fails here the
 * sweep retries it (cancelled + paid card orders).
 */
async function settleLatePayment(deps: SettleDeps, fact: Fact & { orderId: number; paymentIntentId: string | null }): Promise<SettleOutcome> {
  const { db, config } = deps;
  const results = await once(db, fact, [
    sql`UPDATE orders SET payment_status = 'paid', stripe_payment_intent_id = COALESCE(${fact.paymentIntentId}, stripe_payment_intent_id), updated_at = ${nowIso()}
      WHERE id = ${fact.orderId} AND status = 'cancelled' AND payment_status = 'unpaid' RETURNING id`,
  ]);
  if (!results) return 'duplicate';
  if (!applied(results)) return 'no_change';
  logEvent(config.logLevel, 'error', 'stripe_payment_for_cancelled_order', { order_id: fact.orderId, event_id: fact.eventId });
  await refundCancelledPaid(deps, fact.orderId).catch((err) =>
    logEvent(config.logLevel, 'error', 'late_payment_refund_failed', { order_id: fact.orderId, error: String(err?.message ?? err) }),
  );
  return 'applied';
}

/** Refunds a cancelled order that holds a payment, then marks it refunded (the sweep calls this too). */
export async function refundCancelledPaid(deps: SettleDeps, orderId: number): Promise<boolean> {
  const { db, env, config } = deps;
  const rec = await paymentRecord(db, orderId);
  if (!config.stripe || !rec || rec.status !== 'cancelled' || rec.paymentStatus !== 'paid') return false;
  await refundPayment(config.stripe, rec);
  const [row] = await db.all(sql`UPDATE orders SET payment_status = 'refunded', updated_at = ${nowIso()}
    WHERE id = ${orderId} AND status = 'cancelled' AND payment_status = 'paid' RETURNING id`);
  if (row) await publishRefundIssued(env, [orderId]);
  return Boolean(row);
}

/**
 * The checkout session expired unpaid: the order is cancelled and its stock restored, with the same guarded
 * batch as a customer cancel, only if it is still pending + unpaid on THIS session (an older, abandoned session
 * expiring does not cancel an order).
 */
export async function settleExpired(deps: SettleDeps, fact: Fact & { orderId: number; sessionId: string }): Promise<SettleOutcome> {
  const { db, env } = deps;
  const rec = await paymentRecord(db, fact.orderId);
  if (!isCardOrder(rec)) return unknown(deps, fact, fact.orderId);
  const at = nowIso();
  const effect =
    rec.status === 'pending' && rec.paymentStatus === 'unpaid'
      ? statusChangeStatements(db, {
          id: rec.id, from: 'pending', to: 'cancelled', byUserId: null, actor: 'stripe', at,
          guard: sql`payment_status = 'unpaid' AND (stripe_session_id IS NULL OR stripe_session_id = ${fact.sessionId})`,
        })
      : [];
  const results = await once(db, fact, effect);
  if (!results) return 'duplicate';
  if (!effect.length || !applied(results)) return 'no_change';
  await publishOrderStatusEvents(env, [{ orderId: rec.id, number: rec.number, userId: rec.userId, status: 'cancelled', at }]);
  return 'applied';
}

/** The charge was refunded (by a cancel here, or in Stripe's dashboard): paid → refunded; nothing else changes. */
export async function settleRefunded(deps: SettleDeps, fact: Fact & { rec: PaymentRecord | undefined }): Promise<SettleOutcome> {
  const { db, env } = deps;
  const rec = fact.rec;
  if (!isCardOrder(rec)) return unknown(deps, fact, (rec as PaymentRecord | undefined)?.id);
  const results = await once(db, fact, [
    sql`UPDATE orders SET payment_status = 'refunded', updated_at = ${nowIso()} WHERE id = ${rec.id} AND payment_status = 'paid' RETURNING id`,
  ]);
  if (!results) return 'duplicate';
  if (!applied(results)) return 'no_change';
  await publishRefundIssued(env, [rec.id]);
  return 'applied';
}

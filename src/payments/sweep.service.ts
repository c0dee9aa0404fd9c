/**
 * The Cron Trigger's payment sweep (every 5 minutes): webhooks get lost, stock must not stay reserved for them.
 * 1. Card orders still pending + unpaid past their session's expiry plus a grace period: Stripe is asked for
 *    the session, and the order is settled exactly as the webhook would have (same functions, a synthetic event
 *    id per session and outcome, so the sweep and a late webhook apply once between them).
 * 2. Card orders that never got a session and were left unpaid for an hour are cancelled (stock restored).
 * 3. Cancelled orders that still hold a payment (money that arrived after the cancel, refund failed) are refunded.
 */
import { and, asc, eq, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { orders } from '../db/schema';
import { describeError, logEvent } from '../http/logging';
import { writeBatch } from '../orders/d1-batch';
import { publishOrderStatusEvents } from '../orders/order-events';
import { applied, statusChangeStatements } from '../orders/orders.service';
import { nowIso } from '../lib/crypto';
import { selectPaymentRecords, type PaymentRecord } from './payment-records';
import { refundCancelledPaid, settleExpired, settlePaid, type SettleDeps } from './settle.service';
import { stripeClient, type StripeConfig } from './stripe-client';

/** Stripe sends `checkout.session.expired` within minutes of the expiry; the sweep waits that long first. */
export const SWEEP_GRACE_SECONDS = 5 * 60;
/** A card order with no checkout session is held this long for its buyer to start paying. */
export const UNSTARTED_CARD_ORDER_SECONDS = 60 * 60;
const BATCH = 50;

export interface SweepReport {
  settled: number;
  cancelledUnstarted: number;
  refunded: number;
  failed: number;
}

const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();
const pendingUnpaidCard = and(eq(orders.paymentMethod, 'card'), eq(orders.status, 'pending'), eq(orders.paymentStatus, 'unpaid'));

export async function runPaymentSweep(deps: SettleDeps): Promise<SweepReport> {
  const report: SweepReport = { settled: 0, cancelledUnstarted: 0, refunded: 0, failed: 0 };
  const { db, config } = deps;
  const stripe = config.stripe;
  if (!stripe) return report;
  const cutoff = ago(SWEEP_GRACE_SECONDS);
  const [expired, unstarted, paidCancelled] = await db.batch([
    selectPaymentRecords(db).where(and(pendingUnpaidCard, isNotNull(orders.stripeSessionId), lt(orders.stripeSessionExpiresAt, cutoff))).orderBy(asc(orders.id)).limit(BATCH),
    selectPaymentRecords(db)
      .where(and(pendingUnpaidCard, isNull(orders.stripeSessionId), lt(orders.createdAt, ago(UNSTARTED_CARD_ORDER_SECONDS)), or(isNull(orders.stripeSessionExpiresAt), lt(orders.stripeSessionExpiresAt, cutoff))))
      .orderBy(asc(orders.id))
      .limit(BATCH),
    selectPaymentRecords(db).where(and(eq(orders.paymentMethod, 'card'), eq(orders.status, 'cancelled'), eq(orders.paymentStatus, 'paid'))).orderBy(asc(orders.id)).limit(BATCH),
  ]);
  // One order at a time: a Stripe failure on one leaves the others to be settled, and the next run retries it.
  const attempt = async (rec: PaymentRecord, work: () => Promise<boolean>, counter: keyof SweepReport) => {
    try {
      if (await work()) report[counter]++;
    } catch (err) {
      report.failed++;
      logEvent(config.logLevel, 'error', 'payment_sweep_failed', { order_id: rec.id, error: describeError(err) });
    }
  };
  for (const rec of expired) await attempt(rec, () => settleFromStripe(deps, stripe, rec), 'settled');
  for (const rec of unstarted) await attempt(rec, () => cancelUnstarted(deps, rec), 'cancelledUnstarted');
  for (const rec of paidCancelled) await attempt(rec, () => refundCancelledPaid(deps, rec.id), 'refunded');
  logEvent(config.logLevel, 'info', 'payment_sweep', { ...report });
  return report;
}

/** Asks Stripe what became of the session and applies it through the webhook's own functions. */
async function settleFromStripe(deps: SettleDeps, stripe: StripeConfig, rec: PaymentRecord): Promise<boolean> {
  const client = stripeClient(stripe);
  const sessionId = rec.sessionId!;
  let session = await client.checkout.sessions.retrieve(sessionId);
  // Past its expiry but still open at Stripe (clock skew): close it so it can no longer be paid, then settle.
  if (session.status === 'open') session = await client.checkout.sessions.expire(sessionId);
  if (session.status === 'complete' && (session.payment_status === 'paid' || session.payment_status === 'no_payment_required')) {
    const intent = typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null);
    const outcome = await settlePaid(deps, { eventId: `sweep:${sessionId}:completed`, eventType: 'sweep.session.completed', orderId: rec.id, sessionId, paymentIntentId: intent });
    return outcome === 'applied';
  }
  if (session.status === 'expired') {
    const outcome = await settleExpired(deps, { eventId: `sweep:${sessionId}:expired`, eventType: 'sweep.session.expired', orderId: rec.id, sessionId });
    return outcome === 'applied';
  }
  return false;
}

/** A card order whose buyer never opened a checkout session: cancelled by `system` with the customer-cancel batch. */
async function cancelUnstarted(deps: SettleDeps, rec: PaymentRecord): Promise<boolean> {
  const at = nowIso();
  const results = await writeBatch(
    deps.db,
    statusChangeStatements(deps.db, {
      id: rec.id, from: 'pending', to: 'cancelled', byUserId: null, actor: 'system', at,
      // Not if a /pay/ just planned a session for it (that session will be settled like any other).
      guard: sql`payment_status = 'unpaid' AND stripe_session_id IS NULL AND (stripe_session_expires_at IS NULL OR stripe_session_expires_at < ${ago(SWEEP_GRACE_SECONDS)})`,
    }),
  );
  if (!applied(results)) return false;
  await publishOrderStatusEvents(deps.env, [{ orderId: rec.id, number: rec.number, userId: rec.userId, status: 'cancelled', at }]);
  return true;
}

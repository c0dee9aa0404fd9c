/**
 * `POST /orders/{id}/pay/`: one Stripe Checkout Session per order. The session's expiry is planned and stored
 * BEFORE Stripe is called and goes into the idempotency key, so a retry (stripe-client's own, the buyer's, or a
 * concurrent second call) sends identical parameters under an identical key and Stripe answers the same session
 * instead of creating a second one. Once stored, the open session is answered again without calling Stripe.
 */
import { and, eq, isNull, or, sql } from 'drizzle-orm';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { orders } from '../db/schema';
import { AppError } from '../errors';
import { getOrder } from '../orders/orders.service';
import { paymentRecord, type PaymentRecord } from './payment-records';
import { paymentError, stripeClient, type StripeConfig } from './stripe-client';

/**
 * Thirty minutes to pay. Stripe accepts 30 minutes to 24 hours after the session's creation, so 30 seconds more
 * absorb the request's own latency and let a retry within that window reuse the planned expiry (and key).
 */
export const SESSION_SECONDS = 30 * 60 + 30;
const STRIPE_MIN_SECONDS = 30 * 60;

export interface PayAnswer {
  checkout_url: string;
  session_id: string;
  expires_at: string;
}

const answerOf = (r: PaymentRecord): PayAnswer | null =>
  r.sessionId && r.sessionUrl && r.sessionExpiresAt ? { checkout_url: r.sessionUrl, session_id: r.sessionId, expires_at: r.sessionExpiresAt } : null;

function assertPayable(r: PaymentRecord): void {
  if (r.paymentMethod !== 'card') {
    throw new AppError('validation_error', 'Only card orders are paid online.', {
      errors: [{ field: 'payment_method', message: 'this order is paid cash on delivery' }],
    });
  }
  if (r.paymentStatus !== 'unpaid') throw new AppError('invalid_status_transition', `This order is already ${r.paymentStatus}.`);
  if (r.status !== 'pending') throw new AppError('invalid_status_transition', `An order that is ${r.status} cannot be paid.`);
}

/** The open Checkout Session of a pending, unpaid card order of `userId`, created at Stripe when there is none. */
export async function payOrder(db: Db, stripe: StripeConfig | undefined, checkout: Config['checkout'], orderId: number, userId: number): Promise<PayAnswer> {
  const order = await getOrder(db, orderId, userId);
  let record = (await paymentRecord(db, orderId))!;
  assertPayable(record);
  if (!stripe) throw new AppError('payment_error', 'Card payments are not configured on this server.');
  const now = Date.now();
  const open = answerOf(record);
  if (open) {
    if (Date.parse(open.expires_at) > now + 10_000) return open;
    throw new AppError('invalid_status_transition', 'The payment window of this order has closed; the order is being cancelled.');
  }

  // Plan the expiry (kept when a previous attempt planned one that Stripe would still accept).
  const fresh = new Date(now + SESSION_SECONDS * 1000).toISOString();
  const stillAcceptable = new Date(now + STRIPE_MIN_SECONDS * 1000).toISOString();
  const [planned] = await db
    .update(orders)
    .set({
      stripeSessionExpiresAt: sql`CASE WHEN stripe_session_expires_at > ${stillAcceptable} THEN stripe_session_expires_at ELSE ${fresh} END`,
    })
    .where(and(eq(orders.id, orderId), eq(orders.status, 'pending'), eq(orders.paymentStatus, 'unpaid'), isNull(orders.stripeSessionId)))
    .returning({ expiresAt: orders.stripeSessionExpiresAt });
  if (!planned?.expiresAt) return reread(db, orderId);
  const expiresAt = Math.floor(Date.parse(planned.expiresAt) / 1000);

  const lineItems = order.items.map((i) => ({
    price_data: { currency: order.currency, unit_amount: i.unitPriceCents, product_data: { name: i.productName, metadata: { sku: i.sku } } },
    quantity: i.quantity,
  }));
  if (order.shippingCents > 0) {
    lineItems.push({ price_data: { currency: order.currency, unit_amount: order.shippingCents, product_data: { name: 'Shipping', metadata: { sku: 'shipping' } } }, quantity: 1 });
  }
  const metadata = { order_id: String(order.id), order_number: order.number };
  let session;
  try {
    session = await stripeClient(stripe).checkout.sessions.create(
      {
        mode: 'payment',
        line_items: lineItems,
        client_reference_id: String(order.id),
        metadata,
        payment_intent_data: { metadata },
        ...(order.userEmail ? { customer_email: order.userEmail } : {}),
        success_url: checkout.successUrl,
        cancel_url: checkout.cancelUrl,
        expires_at: expiresAt,
      },
      { idempotencyKey: `checkout-${order.number}-${expiresAt}` },
    );
  } catch (err) {
    throw paymentError(err, 'Creating the checkout session');
  }
  if (!session.url) throw paymentError(new Error('no url'), 'Creating the checkout session');

  const stored = await db
    .update(orders)
    .set({ stripeSessionId: session.id, stripeSessionUrl: session.url })
    .where(and(eq(orders.id, orderId), or(isNull(orders.stripeSessionId), eq(orders.stripeSessionId, session.id))))
    .returning({ id: orders.id });
  if (!stored.length) return reread(db, orderId);
  record = { ...record, sessionId: session.id, sessionUrl: session.url, sessionExpiresAt: planned.expiresAt };
  return answerOf(record)!;
}

/** A concurrent call or a webhook changed the order meanwhile: answer from what is stored now. */
async function reread(db: Db, orderId: number): Promise<PayAnswer> {
  const record = (await paymentRecord(db, orderId))!;
  assertPayable(record);
  const open = answerOf(record);
  if (open) return open;
  throw new AppError('invalid_status_transition', 'The order changed while this request was processed; try again.');
}

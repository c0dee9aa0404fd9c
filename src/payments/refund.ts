/**
 * Refunds through Stripe, keyed by the order: `refund-<order number>` makes every repeat (a retried cancel, the
 * stripe-client's retry after a lost answer, the sweep) return the one refund Stripe already made.
 */
import type { Config } from '../config';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { describeError, logEvent } from '../http/logging';
import type { PaymentHooks } from '../orders/orders.service';
import { paymentRecord } from './payment-records';
import { paymentError, stripeClient, type StripeConfig } from './stripe-client';

export async function refundPayment(stripe: StripeConfig, order: { id: number; number: string; paymentIntentId: string | null }): Promise<void> {
  if (!order.paymentIntentId) throw new AppError('payment_error', 'The payment of this order is not known to the payment provider; refund it by hand.');
  try {
    await stripeClient(stripe).refunds.create(
      { payment_intent: order.paymentIntentId, metadata: { order_id: String(order.id), order_number: order.number } },
      { idempotencyKey: `refund-${order.number}` },
    );
  } catch (err) {
    // Refunded meanwhile (in the dashboard, or by an earlier attempt under another key): the goal is reached.
    if ((err as { code?: string }).code === 'charge_already_refunded') return;
    throw paymentError(err, 'Refunding the payment');
  }
}

/** The payment side of order status changes, or undefined when card payments are off. */
export function paymentHooks(db: Db, config: Config): PaymentHooks | undefined {
  const stripe = config.stripe;
  if (!stripe) return undefined;
  return {
    refund: async (order) => {
      const record = await paymentRecord(db, order.id);
      let paymentIntentId = record?.paymentIntentId ?? null;
      // An event without its payment intent (seen from test tools): Stripe's session knows it.
      if (!paymentIntentId && record?.sessionId) {
        try {
          const session = await stripeClient(stripe).checkout.sessions.retrieve(record.sessionId);
          paymentIntentId = typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null);
        } catch (err) {
          throw paymentError(err, 'Looking up the payment');
        }
      }
      await refundPayment(stripe, { id: order.id, number: order.number, paymentIntentId });
    },
    closeCheckout: async (order) => {
      const record = await paymentRecord(db, order.id);
      if (!record?.sessionId || !record.sessionExpiresAt || record.sessionExpiresAt <= new Date().toISOString()) return;
      try {
        await stripeClient(stripe).checkout.sessions.expire(record.sessionId);
      } catch (err) {
        // Already completed or expired, or Stripe unreachable: the cancel goes ahead; a payment that still lands
        // on the cancelled order is recorded and refunded (settle.service), never lost.
        logEvent(config.logLevel, 'error', 'checkout_session_expire_failed', { order_id: order.id, error: describeError(err) });
      }
    },
  };
}

/** Dispatches a verified Stripe event to its effect (settle.service). Unhandled types are logged and ignored. */
import type Stripe from 'stripe';
import { logEvent } from '../http/logging';
import { paymentRecord, paymentRecordByIntent } from './payment-records';
import { settleExpired, settlePaid, settleRefunded, type SettleDeps, type SettleOutcome } from './settle.service';

const idOf = (v: string | { id: string } | null | undefined) => (typeof v === 'string' ? v : (v?.id ?? null));

/** The order id a session carries (metadata first, client_reference_id as the fallback); NaN when none. */
function orderIdOf(session: Stripe.Checkout.Session): number {
  const raw = session.metadata?.order_id ?? session.client_reference_id ?? '';
  return /^[1-9][0-9]{0,15}$/.test(raw) ? Number(raw) : NaN;
}

export async function handleStripeEvent(deps: SettleDeps, event: Stripe.Event): Promise<SettleOutcome | 'ignored'> {
  const fact = { eventId: event.id, eventType: event.type };
  let outcome: SettleOutcome | 'ignored';
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const session = event.data.object;
      // A session completed with a delayed payment method is not paid yet: its async_payment_succeeded follows.
      if (session.payment_status !== 'paid' && session.payment_status !== 'no_payment_required') {
        outcome = 'ignored';
        break;
      }
      const orderId = orderIdOf(session);
      outcome = Number.isNaN(orderId)
        ? 'unknown_order'
        : await settlePaid(deps, { ...fact, orderId, sessionId: session.id, paymentIntentId: idOf(session.payment_intent) });
      break;
    }
    case 'checkout.session.expired': {
      const session = event.data.object;
      const orderId = orderIdOf(session);
      outcome = Number.isNaN(orderId) ? 'unknown_order' : await settleExpired(deps, { ...fact, orderId, sessionId: session.id });
      break;
    }
    case 'charge.refunded': {
      const charge = event.data.object;
      // A partial refund leaves the order paid; only a full refund makes it `refunded`.
      if (!charge.refunded) {
        outcome = 'ignored';
        break;
      }
      const intent = idOf(charge.payment_intent);
      const byMetadata = Number(charge.metadata?.order_id);
      const rec = (intent ? await paymentRecordByIntent(deps.db, intent) : undefined) ?? (byMetadata > 0 ? await paymentRecord(deps.db, byMetadata) : undefined);
      outcome = await settleRefunded(deps, { ...fact, rec });
      break;
    }
    default:
      outcome = 'ignored';
  }
  logEvent(deps.config.logLevel, 'info', 'stripe_event', { event_id: event.id, type: event.type, outcome });
  return outcome;
}

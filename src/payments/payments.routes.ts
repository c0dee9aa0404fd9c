/**
 * Payments routes (API.md "Payments" and "Orders"): paying a card order through a Stripe Checkout Session, and
 * the Stripe webhook. The webhook reads the raw body and verifies its signature before anything else is read.
 */
import * as z from 'zod/mini';
import { AppError } from '../errors';
import { currentUser } from '../http/auth';
import { defineRoute } from '../http/route';
import { OrderParams } from '../orders/orders.schemas';
import { payOrder } from './pay.service';
import { verifyStripeEvent } from './stripe-client';
import { handleStripeEvent } from './webhook.service';

const API = '/api/v1';

const PayAnswer = z.object({
  checkout_url: z.string().check(z.describe('Stripe-hosted payment page: send the buyer there')),
  session_id: z.string(),
  expires_at: z.string().check(z.describe('when the session expires; an order still unpaid then is cancelled and its stock restored')),
});

const WebhookHeaders = z.object({ 'Stripe-Signature': z.optional(z.string().check(z.maxLength(4096))).check(z.describe('set by Stripe')) });
const WebhookAnswer = z.object({ received: z.literal(true), outcome: z.string() });

const badSignature = () =>
  new AppError('validation_error', 'The Stripe-Signature header is missing, does not match the body, or is older than 300 seconds.', {
    errors: [{ field: 'Stripe-Signature', message: 'is missing, invalid or stale' }],
  });

export const paymentsRoutes = [
  defineRoute({
    method: 'post', path: `${API}/orders/:id{[0-9]+}/pay/`, auth: 'customer', tag: 'Orders', summary: 'Pay a card order (Stripe Checkout)',
    description:
      'For a `card` order that is `pending` and unpaid: creates a Stripe Checkout Session for the order total (expiring in about 30 minutes) and answers its URL. ' +
      'Calling it again while that session is open answers the same session. A `cod` order is a 400; a paid, cancelled, shipped or delivered order a 409. ' +
      'Stripe failing or unreachable: 502 `payment_error`, nothing changed. The order becomes `confirmed` + `paid` when Stripe reports the payment (webhook).',
    request: { params: OrderParams },
    responses: { 200: { description: 'The open checkout session', schema: PayAnswer } },
    errors: ['not_found', 'invalid_status_transition', 'payment_error'],
    handler: async (c, { params }) => {
      const config = c.get('config');
      const answer = await payOrder(c.get('db'), config.stripe, config.checkout, params.id, currentUser(c).id);
      return c.json(answer, 200, { 'Cache-Control': 'no-store' });
    },
  }),

  defineRoute({
    method: 'post', path: `${API}/payments/stripe/webhook/`, auth: 'public', tag: 'Payments', summary: 'Stripe webhook endpoint',
    description:
      'Verifies `Stripe-Signature` against `STRIPE_WEBHOOK_SECRET` (400 when missing, wrong or older than 300 s). Handles `checkout.session.completed` ' +
      '(order confirmed + paid), `checkout.session.expired` (unpaid order cancelled, stock restored) and `charge.refunded` (payment refunded). ' +
      'Each event id takes effect once: a replay answers 200 and changes nothing. Unknown orders and other event types: logged, 200.',
    request: { headers: WebhookHeaders },
    responses: { 200: { description: 'Event received (and applied, when it applies)', schema: WebhookAnswer } },
    errors: ['payload_too_large'],
    handler: async (c, { headers }) => {
      const config = c.get('config');
      const raw = await c.req.text();
      if (!config.stripeWebhookSecret) throw badSignature();
      const event = await verifyStripeEvent(raw, headers['Stripe-Signature'], config.stripeWebhookSecret);
      if (!event) throw badSignature();
      const outcome = await handleStripeEvent({ db: c.get('db'), env: c.env, config }, event);
      return c.json({ received: true as const, outcome });
    },
  }),
];

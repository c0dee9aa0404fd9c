/** Card order helpers for the payment tests. */
import { expect } from 'vitest';
import { makeProduct, makeUser, type TestUser } from './factories';
import { api, json } from './http';
import { addToCart, checkout, checkoutBody } from './shop';
import { stripeEvent } from './fake';

export async function cardOrder(opts: { stock?: number; quantity?: number; priceCents?: number; user?: TestUser } = {}) {
  const user = opts.user ?? (await makeUser());
  const product = await makeProduct({ stock: opts.stock ?? 5, priceCents: opts.priceCents ?? 1250 });
  await addToCart(user.token, product.id, opts.quantity ?? 2);
  const res = await checkout(user.token, checkoutBody({ payment_method: 'card' }));
  expect(res.status, await res.clone().text()).toBe(201);
  const order = await json(res);
  return { user, product, order };
}

export const pay = (token: string, orderId: number) => api('POST', `/api/v1/orders/${orderId}/pay/`, { token });

export async function paidSession(token: string, orderId: number): Promise<{ checkout_url: string; session_id: string; expires_at: string }> {
  const res = await pay(token, orderId);
  expect(res.status, await res.clone().text()).toBe(200);
  return json(res);
}

export const getOrderOf = async (token: string, orderId: number) => json(await api('GET', `/api/v1/orders/${orderId}/`, { token }));

export function completedEvent(sessionId: string, order: { id: number; number: string }, paymentIntent = `pi_${sessionId}`) {
  return stripeEvent('checkout.session.completed', {
    id: sessionId, object: 'checkout.session', status: 'complete', payment_status: 'paid', payment_intent: paymentIntent,
    client_reference_id: String(order.id), metadata: { order_id: String(order.id), order_number: order.number },
  });
}

export function expiredEvent(sessionId: string, order: { id: number; number: string }) {
  return stripeEvent('checkout.session.expired', {
    id: sessionId, object: 'checkout.session', status: 'expired', payment_status: 'unpaid', payment_intent: null,
    client_reference_id: String(order.id), metadata: { order_id: String(order.id), order_number: order.number },
  });
}

export function refundedEvent(paymentIntent: string, refunded = true) {
  return stripeEvent('charge.refunded', { id: `ch_${paymentIntent}`, object: 'charge', refunded, payment_intent: paymentIntent, metadata: {} });
}

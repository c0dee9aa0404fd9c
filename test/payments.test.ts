import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';

// Queue consumers and the fake provider run asynchronously; on a loaded machine deliveries take seconds.
vi.setConfig({ testTimeout: 90_000 });
import { api, expectProblem, json } from './helpers/http';
import { eventually, failNext, fakeEmails, fakeRequests, sendWebhook, stripeEvent } from './helpers/fake';
import { makeUser } from './helpers/factories';
import { addToCart, checkout, stockOf } from './helpers/shop';
import { makeProduct } from './helpers/factories';
import { cardOrder, completedEvent, expiredEvent, getOrderOf, pay, paidSession, refundedEvent } from './helpers/payments';

// The public view shows `by` per the status-history rules of API.md; the actor kind itself is stored per row.
async function lastActor(orderId: number) {
  return env.DB.prepare('SELECT status, actor, by_user_id FROM order_status_history WHERE order_id = ? ORDER BY id DESC LIMIT 1').bind(orderId).first();
}

describe('card checkout and /pay/', () => {
  it('accepts card at checkout (pending + unpaid, stock reserved) and creates ONE Checkout Session, answered again while open', async () => {
    const { user, product, order } = await cardOrder({ stock: 5, quantity: 2, priceCents: 1250 });
    expect(order).toMatchObject({ status: 'pending', payment_method: 'card', payment_status: 'unpaid', total: '25.00' });
    expect(await stockOf(product.id)).toBe(3);

    const first = await paidSession(user.token, order.id);
    expect(first.checkout_url).toMatch(/^https:\/\//);
    expect(first.session_id).toMatch(/^cs_test_/);
    const again = await Promise.all([paidSession(user.token, order.id), paidSession(user.token, order.id)]);
    expect(again.map((a) => a.session_id)).toEqual([first.session_id, first.session_id]);

    const calls = await fakeRequests('/v1/checkout/sessions', order.number);
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call.idempotencyKey).toContain(order.number);
    expect(call.authorization).toBe(`Bearer ${env.STRIPE_SECRET_KEY}`);
    expect(call.form).toMatchObject({
      mode: 'payment',
      client_reference_id: String(order.id),
      'metadata[order_id]': String(order.id),
      'metadata[order_number]': order.number,
      'line_items[0][price_data][currency]': 'usd',
      'line_items[0][price_data][unit_amount]': '1250',
      'line_items[0][quantity]': '2',
      success_url: 'https://shop.example/checkout/success?session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'https://shop.example/checkout/cancel',
    });
    const expiresIn = Number(call.form!.expires_at) - Date.now() / 1000;
    expect(expiresIn).toBeGreaterThanOrEqual(30 * 60);
    expect(expiresIn).toBeLessThan(31 * 60);
  });

  it('refuses cod orders (400), other users’ orders (404), and paid or cancelled orders (409)', async () => {
    const user = await makeUser();
    const product = await makeProduct({ stock: 5 });
    await addToCart(user.token, product.id, 1);
    const cod = await json(await checkout(user.token));
    await expectProblem(await pay(user.token, cod.id), 400, 'validation_error');

    const { user: owner, order } = await cardOrder();
    await expectProblem(await pay(user.token, order.id), 404, 'not_found');
    await expectProblem(await pay(owner.token, 999_999), 404, 'not_found');

    const s = await paidSession(owner.token, order.id);
    expect((await sendWebhook(completedEvent(s.session_id, order))).status).toBe(200);
    await expectProblem(await pay(owner.token, order.id), 409, 'invalid_status_transition');

    const { user: u2, order: o2 } = await cardOrder();
    expect((await api('POST', `/api/v1/orders/${o2.id}/cancel/`, { token: u2.token })).status).toBe(200);
    await expectProblem(await pay(u2.token, o2.id), 409, 'invalid_status_transition');
  });

  it('answers 502 payment_error when Stripe fails, changes nothing visible, and a retry creates the session', async () => {
    const { user, order } = await cardOrder();
    await failNext({ path: '/v1/checkout/sessions', match: order.number });
    await expectProblem(await pay(user.token, order.id), 502, 'payment_error');
    const after = await getOrderOf(user.token, order.id);
    expect(after).toEqual(order);

    const s = await paidSession(user.token, order.id);
    const calls = await fakeRequests('/v1/checkout/sessions', order.number);
    expect(calls).toHaveLength(2);
    // The retry was the same request under the same key: Stripe would never create two sessions for it.
    expect(calls[1].idempotencyKey).toBe(calls[0].idempotencyKey);
    expect(calls[1].raw).toBe(calls[0].raw);
    expect(s.session_id).toMatch(/^cs_test_/);
  });
});

describe('talking to Stripe', () => {
  it('retries what Stripe allows (a 500, a lost connection) under one key and body, and gets one session', async () => {
    const { user, order } = await cardOrder();
    await failNext({ path: '/v1/checkout/sessions', match: order.number, status: 500, shouldRetry: 'none' });
    await failNext({ path: '/v1/checkout/sessions', match: order.number, drop: true });
    const s = await paidSession(user.token, order.id);
    expect(s.session_id).toMatch(/^cs_test_/);
    const calls = await fakeRequests('/v1/checkout/sessions', order.number);
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => c.idempotencyKey))).toEqual(new Set([calls[0].idempotencyKey]));
    expect(new Set(calls.map((c) => c.raw))).toEqual(new Set([calls[0].raw]));
    expect((await paidSession(user.token, order.id)).session_id).toBe(s.session_id);
  });

  it('answers 502 payment_error with Stripe’s reason for a refusal (not retried) and for an unreachable Stripe (after retries)', async () => {
    const { user, order } = await cardOrder();
    await failNext({
      path: '/v1/checkout/sessions', match: order.number, status: 400, shouldRetry: 'none',
      error: { type: 'invalid_request_error', code: 'parameter_invalid_empty', message: 'You passed an empty string for line_items[0][price_data][product_data][name].' },
    });
    const refused = await expectProblem(await pay(user.token, order.id), 502, 'payment_error');
    expect(refused.detail).toContain('refused it (You passed an empty string for line_items[0][price_data][product_data][name].)');
    expect(await fakeRequests('/v1/checkout/sessions', order.number)).toHaveLength(1);

    await failNext({ path: '/v1/checkout/sessions', match: order.number, drop: true, times: 3 });
    const unreachable = await expectProblem(await pay(user.token, order.id), 502, 'payment_error');
    expect(unreachable.detail).toContain('could not be reached');
    expect(await fakeRequests('/v1/checkout/sessions', order.number)).toHaveLength(4);
    expect(await getOrderOf(user.token, order.id)).toEqual(order);

    // Stripe back: the same request under the same key creates the session.
    await paidSession(user.token, order.id);
    const calls = await fakeRequests('/v1/checkout/sessions', order.number);
    expect(calls).toHaveLength(5);
    expect(new Set(calls.map((c) => c.idempotencyKey)).size).toBe(1);
  });
});

describe('Stripe webhook', () => {
  it('completed → confirmed + paid, recorded by stripe, and the confirmation email is sent once', async () => {
    const { user, order } = await cardOrder();
    const s = await paidSession(user.token, order.id);
    const res = await sendWebhook(completedEvent(s.session_id, order));
    expect(res.status).toBe(200);
    const after = await getOrderOf(user.token, order.id);
    expect(after).toMatchObject({ status: 'confirmed', payment_status: 'paid' });
    expect(after.status_history.at(-1)).toMatchObject({ status: 'confirmed' });
    expect(await lastActor(order.id)).toEqual({ status: 'confirmed', actor: 'stripe', by_user_id: null });

    const mails = await eventually(async () => {
      const m = await fakeEmails(user.email);
      return m.some((e) => e.subject.includes('confirmed')) && m;
    });
    expect(mails.filter((e) => e.subject.includes('confirmed'))).toHaveLength(1);
    expect(mails.find((e) => e.subject.includes('confirmed'))!.text).toContain(order.number);
  });

  it('a replayed event and concurrent duplicates change the order once', async () => {
    const { user, order } = await cardOrder();
    const s = await paidSession(user.token, order.id);
    const event = completedEvent(s.session_id, order);
    const answers = await Promise.all(Array.from({ length: 6 }, () => sendWebhook(event)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect((await sendWebhook(event)).status).toBe(200);
    // The same fact under another event id (Stripe retries with the same id, but a resend is a new event) is also harmless.
    expect((await sendWebhook(completedEvent(s.session_id, order))).status).toBe(200);
    const after = await getOrderOf(user.token, order.id);
    expect(after.status_history.filter((h: { status: string }) => h.status === 'confirmed')).toHaveLength(1);
    expect(after).toMatchObject({ status: 'confirmed', payment_status: 'paid' });
    const { results } = await env.DB.prepare('SELECT COUNT(*) AS n FROM processed_webhook_events WHERE id = ?').bind(event.id).all<{ n: number }>();
    expect(results[0].n).toBe(1);
  });

  it('expired → cancelled by stripe with stock restored exactly once, also when it races a customer cancel', async () => {
    const { user, product, order } = await cardOrder({ stock: 5, quantity: 2 });
    const s = await paidSession(user.token, order.id);
    const event = expiredEvent(s.session_id, order);
    await Promise.all([sendWebhook(event), sendWebhook(event), sendWebhook(expiredEvent(s.session_id, order))]);
    expect(await stockOf(product.id)).toBe(5);
    const after = await getOrderOf(user.token, order.id);
    expect(after).toMatchObject({ status: 'cancelled', payment_status: 'unpaid' });
    expect(await lastActor(order.id)).toEqual({ status: 'cancelled', actor: 'stripe', by_user_id: null });

    for (let i = 0; i < 3; i++) {
      const r = await cardOrder({ stock: 4, quantity: 3 });
      const sess = await paidSession(r.user.token, r.order.id);
      const [hook, cancel] = await Promise.all([
        sendWebhook(expiredEvent(sess.session_id, r.order)),
        api('POST', `/api/v1/orders/${r.order.id}/cancel/`, { token: r.user.token }),
      ]);
      expect(hook.status).toBe(200);
      expect([200, 409]).toContain(cancel.status);
      expect(await stockOf(r.product.id)).toBe(4);
      const o = await getOrderOf(r.user.token, r.order.id);
      expect(o.status_history.filter((h: { status: string }) => h.status === 'cancelled')).toHaveLength(1);
    }
  });

  it('never undoes a payment: expired after completed leaves the order paid and the stock sold', async () => {
    const { user, product, order } = await cardOrder({ stock: 5, quantity: 2 });
    const s = await paidSession(user.token, order.id);
    expect((await sendWebhook(completedEvent(s.session_id, order))).status).toBe(200);
    expect((await sendWebhook(expiredEvent(s.session_id, order))).status).toBe(200);
    expect(await getOrderOf(user.token, order.id)).toMatchObject({ status: 'confirmed', payment_status: 'paid' });
    expect(await stockOf(product.id)).toBe(3);
  });

  it('charge.refunded (a dashboard refund) sets refunded and changes nothing else; partial refunds change nothing', async () => {
    const { user, order } = await cardOrder();
    const s = await paidSession(user.token, order.id);
    await sendWebhook(completedEvent(s.session_id, order, 'pi_dash_1'));
    expect((await sendWebhook(refundedEvent('pi_dash_1', false))).status).toBe(200);
    expect(await getOrderOf(user.token, order.id)).toMatchObject({ status: 'confirmed', payment_status: 'paid' });
    expect((await sendWebhook(refundedEvent('pi_dash_1'))).status).toBe(200);
    expect(await getOrderOf(user.token, order.id)).toMatchObject({ status: 'confirmed', payment_status: 'refunded' });
    await eventually(async () => (await fakeEmails(user.email)).some((e) => e.subject.includes('refunded')));
  });

  it('refuses missing, wrong, tampered and stale signatures with 400 and changes nothing', async () => {
    const { user, order } = await cardOrder();
    const s = await paidSession(user.token, order.id);
    const event = completedEvent(s.session_id, order);
    await expectProblem(await sendWebhook(event, { secret: 'whsec_wrong' }), 400, 'validation_error');
    await expectProblem(await sendWebhook(event, { timestamp: Math.floor(Date.now() / 1000) - 301 }), 400, 'validation_error');
    await expectProblem(await sendWebhook(event, { signature: 'garbage' }), 400, 'validation_error');
    await expectProblem(await api('POST', '/api/v1/payments/stripe/webhook/', { body: event }), 400, 'validation_error');
    const { default: Stripe } = await import('stripe');
    const header = await Stripe.webhooks.generateTestHeaderStringAsync({ payload: JSON.stringify(event), secret: env.STRIPE_WEBHOOK_SECRET! });
    const tampered = JSON.stringify({ ...event, data: { object: { ...event.data.object, metadata: { order_id: '1' } } } });
    await expectProblem(await api('POST', '/api/v1/payments/stripe/webhook/', { raw: tampered, headers: { 'Stripe-Signature': header } }), 400, 'validation_error');
    expect(await getOrderOf(user.token, order.id)).toMatchObject({ status: 'pending', payment_status: 'unpaid' });
  });

  it('answers 200 for unknown orders and unhandled event types', async () => {
    const unknownOrder = completedEvent('cs_test_nobody', { id: 987_654, number: 'ORD-NOBODY' });
    expect((await sendWebhook(unknownOrder)).status).toBe(200);
    expect((await sendWebhook(stripeEvent('customer.created', { id: 'cus_1', object: 'customer' }))).status).toBe(200);
    expect((await sendWebhook(refundedEvent('pi_unknown'))).status).toBe(200);
  });
});

describe('payment after a staff transition', () => {
  it('records the payment of a card order an admin already confirmed, without touching its status', async () => {
    const { makeAdmin } = await import('./helpers/factories');
    const admin = await makeAdmin();
    const { user, order } = await cardOrder();
    const s = await paidSession(user.token, order.id);
    expect((await api('PATCH', `/api/v1/admin/orders/${order.id}/`, { token: admin.token, body: { status: 'confirmed' } })).status).toBe(200);
    expect((await sendWebhook(completedEvent(s.session_id, order))).status).toBe(200);
    const after = await getOrderOf(user.token, order.id);
    expect(after).toMatchObject({ status: 'confirmed', payment_status: 'paid' });
    expect(after.status_history.filter((h: { status: string }) => h.status === 'confirmed')).toHaveLength(1);
  });
});

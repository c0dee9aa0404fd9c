import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';

// Queue consumers and the fake provider run asynchronously; on a loaded machine deliveries take seconds.
vi.setConfig({ testTimeout: 90_000 });
import worker from '../src/index';
import { api, expectProblem, json } from './helpers/http';
import { eventually, failNext, fakeEmails, fakeRequests, sendWebhook, setSession } from './helpers/fake';
import { makeAdmin } from './helpers/factories';
import { stockOf } from './helpers/shop';
import { cardOrder, completedEvent, getOrderOf, paidSession, refundedEvent } from './helpers/payments';

async function paidOrder(opts: { stock?: number; quantity?: number } = {}) {
  const r = await cardOrder(opts);
  const s = await paidSession(r.user.token, r.order.id);
  const pi = `pi_${s.session_id}`;
  expect((await sendWebhook(completedEvent(s.session_id, r.order, pi))).status).toBe(200);
  return { ...r, session: s, pi };
}

const cancel = (token: string, id: number) => api('POST', `/api/v1/orders/${id}/cancel/`, { token });

async function runCron() {
  const ctrl = createScheduledController({ scheduledTime: new Date(), cron: '*/5 * * * *' });
  const ctx = createExecutionContext();
  await worker.scheduled!(ctrl, env, ctx);
  await waitOnExecutionContext(ctx);
}

/** Moves the order's session expiry into the past, as if the session expired `minutes` ago. */
async function expireLocally(orderId: number, minutes: number) {
  const past = new Date(Date.now() - minutes * 60_000).toISOString();
  await env.DB.prepare('UPDATE orders SET stripe_session_expires_at = ? WHERE id = ?').bind(past, orderId).run();
}

describe('refund on cancel', () => {
  it('refunds a paid card order through Stripe before the cancel, keyed by the order, and answers refunded', async () => {
    const { user, product, order, pi } = await paidOrder({ stock: 5, quantity: 2 });
    expect(await stockOf(product.id)).toBe(3);
    const res = await cancel(user.token, order.id);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await json(res)).toMatchObject({ status: 'cancelled', payment_status: 'refunded' });
    expect(await stockOf(product.id)).toBe(5);
    const refunds = await fakeRequests('/v1/refunds', pi);
    expect(refunds).toHaveLength(1);
    expect(refunds[0].idempotencyKey).toBe(`refund-${order.number}`);
    expect(refunds[0].form).toMatchObject({ payment_intent: pi });

    // Stripe's charge.refunded for our own refund changes nothing more and sends no second email.
    expect((await sendWebhook(refundedEvent(pi))).status).toBe(200);
    const mails = await eventually(async () => {
      const m = await fakeEmails(user.email);
      return m.some((e) => e.subject.includes('refunded')) && m.some((e) => e.subject.includes('cancelled')) && m;
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await fakeEmails(user.email)).filter((e) => e.subject.includes('refunded'))).toHaveLength(1);
    expect(mails.length).toBeGreaterThan(0);
  });

  it('answers 502 payment_error and leaves the order unchanged when the refund fails; the retry refunds once', async () => {
    const { user, product, order, pi } = await paidOrder({ stock: 5, quantity: 2 });
    const before = await getOrderOf(user.token, order.id);
    await failNext({ path: '/v1/refunds', match: pi });
    await expectProblem(await cancel(user.token, order.id), 502, 'payment_error');
    expect(await getOrderOf(user.token, order.id)).toEqual(before);
    expect(await stockOf(product.id)).toBe(3);

    const retry = await cancel(user.token, order.id);
    expect(retry.status).toBe(200);
    expect(await json(retry)).toMatchObject({ status: 'cancelled', payment_status: 'refunded' });
    expect(await stockOf(product.id)).toBe(5);
    const refunds = await fakeRequests('/v1/refunds', pi);
    expect(refunds.map((r) => r.idempotencyKey)).toEqual([`refund-${order.number}`, `refund-${order.number}`]);
  });

  it('retries a refund Stripe answers 409 lock_timeout, then 429, under the same key, and the cancel goes through', async () => {
    const { user, order, pi } = await paidOrder();
    await failNext({ path: '/v1/refunds', match: pi, status: 409, shouldRetry: 'none', error: { type: 'invalid_request_error', code: 'lock_timeout', message: 'This object cannot be accessed right now because another API request or Stripe process is currently accessing it.' } });
    await failNext({ path: '/v1/refunds', match: pi, status: 429, shouldRetry: 'true', error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests.' } });
    const res = await cancel(user.token, order.id);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await json(res)).toMatchObject({ status: 'cancelled', payment_status: 'refunded' });
    const refunds = await fakeRequests('/v1/refunds', pi);
    expect(refunds.map((r) => r.idempotencyKey)).toEqual([`refund-${order.number}`, `refund-${order.number}`, `refund-${order.number}`]);
  });

  it('refunds when an admin cancels a paid confirmed order too', async () => {
    const admin = await makeAdmin();
    const { order, pi } = await paidOrder();
    const res = await api('PATCH', `/api/v1/admin/orders/${order.id}/`, { token: admin.token, body: { status: 'cancelled' } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await json(res)).toMatchObject({ status: 'cancelled', payment_status: 'refunded' });
    expect(await fakeRequests('/v1/refunds', pi)).toHaveLength(1);
  });
});

describe('payment sweep (Cron Trigger)', () => {
  it('settles orders whose webhooks were lost: a paid session confirms, an expired one cancels and restocks — once', async () => {
    const paid = await cardOrder({ stock: 5, quantity: 2 });
    const paidS = await paidSession(paid.user.token, paid.order.id);
    await setSession(paidS.session_id, { status: 'complete', payment_status: 'paid', payment_intent: 'pi_swept' });
    await expireLocally(paid.order.id, 10);

    const lost = await cardOrder({ stock: 5, quantity: 2 });
    const lostS = await paidSession(lost.user.token, lost.order.id);
    await setSession(lostS.session_id, { status: 'expired' });
    await expireLocally(lost.order.id, 10);

    // Within the grace period nothing is touched (the webhook may still come).
    const fresh = await cardOrder({ stock: 5, quantity: 1 });
    const freshS = await paidSession(fresh.user.token, fresh.order.id);
    await setSession(freshS.session_id, { status: 'expired' });
    await expireLocally(fresh.order.id, 1);

    await runCron();
    await runCron();

    expect(await getOrderOf(paid.user.token, paid.order.id)).toMatchObject({ status: 'confirmed', payment_status: 'paid' });
    expect(await getOrderOf(lost.user.token, lost.order.id)).toMatchObject({ status: 'cancelled', payment_status: 'unpaid' });
    expect(await stockOf(lost.product.id)).toBe(5);
    expect(await stockOf(paid.product.id)).toBe(3);
    expect(await getOrderOf(fresh.user.token, fresh.order.id)).toMatchObject({ status: 'pending' });

    // The late webhooks then change nothing.
    expect((await sendWebhook(completedEvent(paidS.session_id, paid.order, 'pi_swept'))).status).toBe(200);
    const history = (await getOrderOf(paid.user.token, paid.order.id)).status_history;
    expect(history.filter((h: { status: string }) => h.status === 'confirmed')).toHaveLength(1);
    expect(await stockOf(lost.product.id)).toBe(5);
  });

  it('cancels card orders whose buyer never started paying, after an hour', async () => {
    const { user, product, order } = await cardOrder({ stock: 5, quantity: 2 });
    await env.DB.prepare('UPDATE orders SET created_at = ? WHERE id = ?').bind(new Date(Date.now() - 61 * 60_000).toISOString(), order.id).run();
    await runCron();
    expect(await getOrderOf(user.token, order.id)).toMatchObject({ status: 'cancelled' });
    expect(await stockOf(product.id)).toBe(5);
  });

  it('closes the open session when a customer cancels an unpaid card order, and refunds a payment that lands anyway', async () => {
    const { user, order } = await cardOrder();
    const s = await paidSession(user.token, order.id);
    expect((await cancel(user.token, order.id)).status).toBe(200);
    expect(await fakeRequests(`/v1/checkout/sessions/${s.session_id}/expire`)).toHaveLength(1);
    // The buyer had already paid in another tab: the money is recorded and given back, never kept silently.
    expect((await sendWebhook(completedEvent(s.session_id, order, `pi_late_${order.id}`))).status).toBe(200);
    expect(await getOrderOf(user.token, order.id)).toMatchObject({ status: 'cancelled', payment_status: 'refunded' });
    expect(await fakeRequests('/v1/refunds', `pi_late_${order.id}`)).toHaveLength(1);
  });
});

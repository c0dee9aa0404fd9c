import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';

// Queue consumers and the fake provider run asynchronously; on a loaded machine deliveries take seconds.
vi.setConfig({ testTimeout: 90_000 });
import { eventually, failNext, fakeEmails } from './helpers/fake';
import { makeProduct, makeUser } from './helpers/factories';
import { json } from './helpers/http';
import { addToCart, checkout } from './helpers/shop';

const settle = () => new Promise((r) => setTimeout(r, 1500));

describe('transactional email through the queue', () => {
  it('sends order_placed on checkout: text and HTML, escaped, with the order lines', async () => {
    const user = await makeUser();
    const product = await makeProduct({ name: 'Mug <b>bold</b>', priceCents: 799, stock: 3 });
    await addToCart(user.token, product.id, 2);
    const order = await json(await checkout(user.token));
    const [mail] = await eventually(async () => {
      const m = await fakeEmails(user.email);
      return m.length > 0 && m;
    });
    expect(mail.subject).toContain(order.number);
    expect(mail.text).toContain('2 × Mug <b>bold</b> — 15.98 USD');
    expect(mail.html).toContain('Mug &lt;b&gt;bold&lt;/b&gt;');
    expect(mail.idempotencyKey).toBe(`order:${order.id}:placed`);
  });

  it('sends one email per dedupe key, however often the message is delivered', async () => {
    const user = await makeUser();
    const msg = { type: 'password_reset' as const, email: user.email, requestedAt: new Date().toISOString(), dedupeKey: `reset:dup-${user.id}` };
    await Promise.all([env.EMAIL_QUEUE.send(msg), env.EMAIL_QUEUE.send(msg)]);
    await env.EMAIL_QUEUE.send(msg);
    await eventually(async () => (await fakeEmails(user.email)).length > 0);
    await settle();
    expect(await fakeEmails(user.email)).toHaveLength(1);
  });

  it('retries with backoff when the provider fails, and then sends exactly once', async () => {
    const user = await makeUser();
    await failNext({ path: '/emails', match: user.email, times: 2, status: 503 });
    await env.EMAIL_QUEUE.send({ type: 'password_reset', email: user.email, requestedAt: new Date().toISOString(), dedupeKey: `reset:retry-${user.id}` });
    const mails = await eventually(async () => {
      const m = await fakeEmails(user.email);
      return m.length > 0 && m;
    }, 40_000);
    await settle();
    expect(await fakeEmails(user.email)).toHaveLength(1);
    expect(mails[0].subject).toContain('reset');
  });
});

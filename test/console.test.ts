/**
 * The admin console as a browser sees it, and as an attacker tries it: cookie flags, security headers, Origin
 * and CSRF refusals, customers and deactivated admins refused, and stored XSS rendered as text.
 */
import { env, SELF } from 'cloudflare:test';
import { api, json } from './helpers/http';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { consoleSessions, users } from '../src/db/schema';
import { ConsoleClient } from './helpers/console';
import { db, makeAdmin, makeProduct, makeUser, TEST_PASSWORD } from './helpers/factories';
import { stockOf } from './helpers/shop';

async function signedIn() {
  const admin = await makeAdmin();
  const client = new ConsoleClient();
  const { res } = await client.login(admin.email, TEST_PASSWORD);
  expect(res.status).toBe(303);
  await client.get('/admin/products');
  return { admin, client };
}

describe('console login', () => {
  it('sets an HttpOnly, Secure, SameSite=Strict session cookie scoped to /admin, and pages carry strict headers', async () => {
    const admin = await makeAdmin();
    const client = new ConsoleClient();
    const page = await client.get('/admin/login');
    expect(page.res.status).toBe(200);
    expect(page.res.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    expect(page.res.headers.get('Content-Security-Policy')).not.toContain('unsafe-inline');
    expect(page.res.headers.get('X-Frame-Options')).toBe('DENY');
    expect(page.res.headers.get('Referrer-Policy')).toBe('same-origin');
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);

    const { res } = await client.post('/admin/login', { email: admin.email, password: TEST_PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/admin/');
    const cookie = res.headers.getAll('Set-Cookie').find((c: string) => c.startsWith('console_session='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\/admin(;|$)/);
    // Only a hash of the token is stored.
    const token = client.cookies.get('console_session')!;
    const rows = await db().select().from(consoleSessions).where(eq(consoleSessions.userId, admin.id));
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).not.toBe(token);
    expect((await client.get('/admin/products')).res.status).toBe(200);
  });

  it('refuses a customer with the right password, clearly, and gives no session', async () => {
    const customer = await makeUser();
    const client = new ConsoleClient();
    const { res, text } = await client.login(customer.email, TEST_PASSWORD);
    expect(res.status).toBe(403);
    expect(text).toContain('The admin console is for shop staff only');
    expect(client.cookies.has('console_session')).toBe(false);
    expect((await client.get('/admin/products')).res.status).toBe(303);
  });

  it('refuses a wrong password and a login form posted from another origin', async () => {
    const admin = await makeAdmin();
    const client = new ConsoleClient();
    expect((await client.login(admin.email, 'wrong-password-1')).res.status).toBe(401);
    await client.get('/admin/login');
    const forged = await client.post('/admin/login', { email: admin.email, password: TEST_PASSWORD }, { origin: 'https://evil.example' });
    expect(forged.res.status).toBe(403);
    expect(client.cookies.has('console_session')).toBe(false);
    const noToken = await client.post('/admin/login', { email: admin.email, password: TEST_PASSWORD }, { csrf: null });
    expect(noToken.res.status).toBe(403);
  });

  it('locks the email after repeated failures, like POST /token/', async () => {
    const admin = await makeAdmin();
    const client = new ConsoleClient();
    for (let i = 0; i < 5; i++) await client.login(admin.email, `wrong-${i}-password`);
    const { res, text } = await client.login(admin.email, TEST_PASSWORD);
    expect(res.status).toBe(429);
    expect(text).toContain('Too many failed attempts');
  });

  it('logout ends the session on the server', async () => {
    const { client } = await signedIn();
    const token = client.cookies.get('console_session')!;
    const out = await client.post('/admin/logout', {});
    expect(out.res.status).toBe(303);
    // Even a stolen copy of the cookie is worthless now.
    client.cookies.set('console_session', token);
    expect((await client.get('/admin/products')).res.status).toBe(303);
  });
});

describe('console attacks', () => {
  it('refuses a state change with a foreign Origin, without Origin, or without the right CSRF token', async () => {
    const { client } = await signedIn();
    const product = await makeProduct({ stock: 10 });
    const path = `/admin/products/${product.id}/stock`;
    expect((await client.post(path, { delta: '-9' }, { origin: 'https://evil.example' })).res.status).toBe(403);
    expect((await client.post(path, { delta: '-9' }, { origin: null })).res.status).toBe(403);
    expect((await client.post(path, { delta: '-9' }, { csrf: null })).res.status).toBe(403);
    expect((await client.post(path, { delta: '-9' }, { csrf: 'x'.repeat(32) })).res.status).toBe(403);
    expect(await stockOf(product.id)).toBe(10);
    expect((await client.post(path, { delta: '-9' })).res.status).toBe(303);
    expect(await stockOf(product.id)).toBe(1);
  });

  it('a deactivated or demoted admin is refused on the next request, and the session is gone', async () => {
    const { admin, client } = await signedIn();
    await db().update(users).set({ isActive: false }).where(eq(users.id, admin.id));
    const page = await client.get('/admin/products');
    expect(page.res.status).toBe(303);
    expect(page.res.headers.get('Location')).toContain('/admin/login');
    expect(await db().select().from(consoleSessions).where(eq(consoleSessions.userId, admin.id))).toHaveLength(0);

    const other = await signedIn();
    await db().update(users).set({ role: 'customer' }).where(eq(users.id, other.admin.id));
    expect((await other.client.post('/admin/categories', { name: 'Sneaky' })).res.status).toBe(403);
  });

  it('renders a product name with <script> as text, in the list and on the edit page', async () => {
    const { client } = await signedIn();
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const product = await makeProduct({ name: evil, description: evil });
    for (const path of ['/admin/products', `/admin/products/${product.id}`]) {
      const { text } = await client.get(path);
      expect(text).not.toContain('<script>alert(1)');
      expect(text).not.toContain('<img src=x');
      expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });
});

describe('console products', () => {
  it('creates a product from the form, with messages next to the fields when it is wrong', async () => {
    const { client } = await signedIn();
    const bad = await client.post('/admin/products/new', { name: '', price: '12.345', stock: 'lots' });
    expect(bad.res.status).toBe(400);
    expect(bad.text).toMatch(/id="e-name"[^>]*>must not be blank/);
    expect(bad.text).toMatch(/id="e-price"[^>]*>must be a decimal amount/);
    expect(bad.text).toMatch(/id="e-stock"[^>]*>must be an integer/);

    const ok = await client.post('/admin/products/new', { name: 'Console Lamp', price: '19.90', stock: '4', is_active: 'on' });
    expect(ok.res.status).toBe(303);
    const page = await client.get(ok.res.headers.get('Location')!);
    expect(page.text).toContain('Console Lamp');
    expect(page.text).toContain('$19.90');
  });

  it('stock adjustments add to what is there now, and cannot go below zero', async () => {
    const { client } = await signedIn();
    const product = await makeProduct({ stock: 5 });
    const path = `/admin/products/${product.id}/stock`;
    // Two adjustments sent at once both count (an absolute "set stock" would lose one).
    const [a, b] = await Promise.all([client.post(path, { delta: '+5' }), client.post(path, { delta: '−3' })]);
    expect([a.res.status, b.res.status]).toEqual([303, 303]);
    expect(await stockOf(product.id)).toBe(7);
    const tooMany = await client.post(path, { delta: '-8' });
    expect(tooMany.res.status).toBe(400);
    expect(tooMany.text).toContain('only 7 in stock');
    expect(await stockOf(product.id)).toBe(7);
  });

  it('uploads an image, and refuses a file that is not one', async () => {
    const { client } = await signedIn();
    const product = await makeProduct();
    const png = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='), (ch) => ch.charCodeAt(0));
    const up = await client.post(`/admin/products/${product.id}/images`, { file: new File([png], 'dot.png', { type: 'image/png' }) });
    expect(up.res.status).toBe(303);
    const page = await client.get(`/admin/products/${product.id}`);
    expect(page.text).toMatch(/src="https:\/\/api\.test\/api\/v1\/media\/[0-9a-f-]+\.png"/);
    const text = await client.post(`/admin/products/${product.id}/images`, { file: new File(['hello'], 'x.png', { type: 'image/png' }) });
    expect(text.res.status).toBe(400);
    expect(text.text).toContain('not a JPEG, PNG, GIF or WebP');
    void env;
  });
});

describe('console users and messages', () => {
  it('deactivates a customer, refuses to let an admin deactivate themself, and ends a deactivated admin’s console session', async () => {
    const { admin, client } = await signedIn();
    const customer = await makeUser();
    const page = await client.get(`/admin/users?search=${encodeURIComponent(customer.email)}`);
    expect(page.text).toContain(customer.email);
    expect((await client.post(`/admin/users/${customer.id}`, { is_active: 'false' })).res.status).toBe(303);
    const [row] = await db().select().from(users).where(eq(users.id, customer.id));
    expect(row.isActive).toBe(false);
    const self = await client.post(`/admin/users/${admin.id}`, { is_active: 'false' });
    expect(self.res.status).toBe(409);
    expect(self.text).toContain('cannot deactivate your own account');

    const other = await signedIn();
    expect((await client.post(`/admin/users/${other.admin.id}`, { is_active: 'false' })).res.status).toBe(303);
    expect(await db().select().from(consoleSessions).where(eq(consoleSessions.userId, other.admin.id))).toHaveLength(0);
    expect((await other.client.get('/admin/products')).res.status).toBe(303);
  });

  it('renders a buyer message with <script> as text, and sends a reply the buyer can read', async () => {
    const { client } = await signedIn();
    const buyer = await makeUser();
    const product = await makeProduct();
    const evil = '<script>alert(1)</script>';
    const opened = await api('POST', '/api/v1/conversations/', { token: buyer.token, body: { product_id: product.id, message: evil } });
    expect(opened.status).toBe(201);
    const { id } = await json(opened);
    for (const path of ['/admin/conversations', `/admin/conversations/${id}`]) {
      const { text } = await client.get(path);
      expect(text).not.toContain(evil);
      expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
    expect((await client.post(`/admin/conversations/${id}`, { body: 'Thanks for asking!' })).res.status).toBe(303);
    const msgs = await json(await api('GET', `/api/v1/conversations/${id}/messages/`, { token: buyer.token }));
    expect(msgs.results.map((m: { body: string; sender: string }) => [m.sender, m.body])).toEqual([
      ['buyer', evil],
      ['staff', 'Thanks for asking!'],
    ]);
  });

  it('refuses the live socket from another origin', async () => {
    const { client } = await signedIn();
    const buyer = await makeUser();
    const product = await makeProduct();
    const { id } = await json(await api('POST', '/api/v1/conversations/', { token: buyer.token, body: { product_id: product.id, message: 'hi' } }));
    const res = await SELF.fetch(`https://api.test/admin/conversations/${id}/ws`, {
      headers: { Upgrade: 'websocket', Origin: 'https://evil.example', Cookie: client.cookieHeader() },
    });
    expect(res.status).toBe(403);
    const ok = await SELF.fetch(`https://api.test/admin/conversations/${id}/ws`, {
      headers: { Upgrade: 'websocket', Origin: 'https://api.test', Cookie: client.cookieHeader() },
    });
    expect(ok.status).toBe(101);
    ok.webSocket?.accept();
    ok.webSocket?.close();
  });
});

describe('console dashboard', () => {
  it('shows the stats with a 30-day revenue chart drawn as inline SVG', async () => {
    const { client } = await signedIn();
    const { res, text } = await client.get('/admin/');
    expect(res.status).toBe(200);
    expect(text).toContain('Revenue, last 30 days');
    expect(text.match(/<rect class="bar"/g)).toHaveLength(30);
    expect(text).toContain('Low stock');
  });
});

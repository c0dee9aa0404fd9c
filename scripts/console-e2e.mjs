#!/usr/bin/env node
/**
 * npm run test:console — the admin console in real Chromium (Debian's /usr/bin/chromium driven by playwright-core).
 * Starts the API the way a developer does (`npm run dev`: migrations, demo catalog, demo admin) on a FREE port with
 * throwaway state, then does a day's work in the browser: sign in, create a product with an image, adjust stock,
 * walk a customer's order (placed through the JSON API) through confirmed → shipped → delivered, answer a buyer's
 * message and see it arrive on the buyer's WebSocket, deactivate a user; and the attacks: a customer is refused.
 * Saves a screenshot of every page at phone and laptop width to docs/console/. Exits 1 on the first failure.
 *   --keep     leave the state directory and server log
 *   --headed   show the browser (needs a display)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { DEMO_ADMIN } from './lib/admin.mjs';
import { makePng } from './lib/png.mjs';
import { ROOT } from './lib/wrangler.mjs';
import { killTree, TREE_SPAWN_OPTIONS } from './lib/process-tree.mjs';

const keep = process.argv.includes('--keep');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'docs', 'console');
const VIEWPORTS = { laptop: { width: 1280, height: 820 }, phone: { width: 390, height: 844 } };
const t0 = Date.now();
const step = (text) => console.log(`▸ [${((Date.now() - t0) / 1000).toFixed(1)}s] ${text}`);

if (!existsSync(CHROMIUM)) {
  console.error(`✖ Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  process.exit(1);
}

const freePort = () =>
  new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

const dir = mkdtempSync(join(tmpdir(), 'console-e2e-'));
const port = await freePort();
const base = `http://localhost:${port}`;
const log = [];
step(`starting npm run dev on port ${port} (state in ${dir})`);
const server = spawn(process.execPath, ['scripts/dev.mjs', '--port', String(port), '--persist-to', join(dir, 'state')], {
  cwd: ROOT,
  ...TREE_SPAWN_OPTIONS,
  stdio: ['ignore', 'pipe', 'pipe'],
});
server.stdout.on('data', (d) => log.push(d));
server.stderr.on('data', (d) => log.push(d));

let browser;
async function finish(code, message) {
  await browser?.close().catch(() => {});
  killTree(server.pid);
  writeFileSync(join(dir, 'server.log'), Buffer.concat(log));
  if (message) console.error(`\n✖ ${message}`);
  if (keep || code) console.log(`  server log: ${join(dir, 'server.log')}`);
  else rmSync(dir, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGINT', () => finish(130, 'interrupted'));

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** The JSON API as a customer's app would call it. */
async function api(method, path, { token, body, expect } = {}) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (expect && res.status !== expect) throw new Error(`${method} ${path}: expected ${expect}, got ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function customer(email) {
  await api('POST', '/users/register/', { body: { email, password: 'Shopper-2026!', first_name: 'Casey', last_name: 'Buyer' }, expect: 201 });
  return (await api('POST', '/token/', { body: { email, password: 'Shopper-2026!' }, expect: 200 })).access;
}

const shots = [];
/** A screenshot of the current page at laptop width, and the same URL at phone width in a second page. */
async function shoot(page, phone, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}-laptop.png`), fullPage: true });
  await phone.goto(page.url());
  await phone.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  shots.push(name);
}

try {
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`npm run dev exited early:\n${Buffer.concat(log).toString().slice(-3000)}`);
    const ok = await fetch(`${base}/api/v1/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error('the API did not become healthy within 180 s');
    await new Promise((r) => setTimeout(r, 500));
  }
  step('API ready; launching Chromium');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: !process.argv.includes('--headed') });
  const laptopCtx = await browser.newContext({ viewport: VIEWPORTS.laptop, baseURL: base });
  // Generous: CI machines are shared, and a loaded one can take seconds per request.
  laptopCtx.setDefaultTimeout(90_000);
  const page = await laptopCtx.newPage();
  page.on('dialog', (d) => d.accept());
  const errors = [];
  // Script errors and CSP violations; a 4xx page (a refusal, a form with mistakes) is expected and not one.
  page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  // The console's own CSS/JS come from the Worker's static assets (filled by wrangler's build step): each must load.
  const assetsLoaded = new Set();
  page.on('response', (r) => {
    const name = new URL(r.url()).pathname.match(/^\/admin\/assets\/(.+)$/)?.[1];
    if (!name) return;
    if (r.status() === 200 || r.status() === 304) assetsLoaded.add(name);
    else errors.push(`${r.url()} answered ${r.status()}`);
  });

  // ---- a customer is refused
  const shopperEmail = `shopper-${Date.now()}@example.com`;
  const shopper = await customer(shopperEmail);
  await page.goto('/admin/');
  check(page.url().includes('/admin/login'), 'an anonymous visit should land on the login page');
  await page.fill('#f-email', shopperEmail);
  await page.fill('#f-password', 'Shopper-2026!');
  await page.click('button[type=submit]');
  await page.getByText('The admin console is for shop staff only').waitFor();
  step('customer refused at login');

  // ---- sign in as the demo admin (phone context shares the session cookie afterwards)
  const loginPhone = await (await browser.newContext({ viewport: VIEWPORTS.phone, isMobile: true, hasTouch: true, baseURL: base })).newPage();
  await loginPhone.goto('/admin/login');
  await page.goto('/admin/login');
  await page.screenshot({ path: join(SHOTS, 'login-laptop.png') });
  await loginPhone.screenshot({ path: join(SHOTS, 'login-phone.png') });
  await loginPhone.context().close();
  shots.push('login');
  await page.fill('#f-email', DEMO_ADMIN.email);
  await page.fill('#f-password', DEMO_ADMIN.password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/admin\/(products)?$/);
  step('admin signed in');
  const phoneCtx = await browser.newContext({ viewport: VIEWPORTS.phone, isMobile: true, hasTouch: true, baseURL: base, storageState: await laptopCtx.storageState() });
  phoneCtx.setDefaultTimeout(90_000);
  const phone = await phoneCtx.newPage();
  phone.on('dialog', (d) => d.accept());

  // ---- dashboard (when present) and products
  await page.goto('/admin/');
  if (new URL(page.url()).pathname === '/admin/') await shoot(page, phone, 'dashboard');
  await page.goto('/admin/products');
  await shoot(page, phone, 'products');

  // ---- create a product: first with mistakes (messages next to the fields), then right
  await page.click('text=+ New product');
  await page.fill('#f-name', '   ');
  await page.fill('#f-price', '12,50');
  await page.click('button:has-text("Create product")');
  await page.locator('#e-price').waitFor();
  // The messages are the answer to a post: the phone makes the same mistakes instead of reloading the URL.
  await page.screenshot({ path: join(SHOTS, 'product-new-errors-laptop.png'), fullPage: true });
  await phone.goto('/admin/products/new');
  await phone.fill('#f-name', '   ');
  await phone.fill('#f-price', '12,50');
  await phone.click('button:has-text("Create product")');
  await phone.locator('#e-price').waitFor();
  await phone.screenshot({ path: join(SHOTS, 'product-new-errors-phone.png'), fullPage: true });
  shots.push('product-new-errors');
  const productName = `Walnut desk lamp ${Date.now() % 10000}`;
  await page.fill('#f-name', productName);
  await page.fill('#f-price', '89.50');
  await page.fill('#f-stock', '3');
  await page.fill('#f-description', 'Warm light, solid walnut base. <b>Not bold</b> — typed text stays text.');
  await page.click('button:has-text("Create product")');
  await page.waitForURL(/\/admin\/products\/\d+/);
  const productId = Number(/\/products\/(\d+)/.exec(page.url())[1]);
  step(`product ${productId} created`);

  // ---- image with preview, then upload
  const png = makePng({ width: 320, height: 240, color: [201, 140, 70], bandColor: [90, 60, 30], bandStart: 150, bandEnd: 240 });
  await page.setInputFiles('#f-file', { name: 'lamp.png', mimeType: 'image/png', buffer: Buffer.from(png) });
  await page.locator('#upload-preview:not([hidden])').waitFor();
  await page.click('button:has-text("Upload image")');
  await page.getByText('Image uploaded.').waitFor();
  const imgOk = await page.locator('.images img').first().evaluate((img) => img.complete && img.naturalWidth > 0);
  check(imgOk, 'the uploaded image should display');
  step('image uploaded and displayed');

  // ---- stock adjustment: +5 after a concurrent sale stays correct
  await page.fill('#f-delta', '+5');
  await page.click('button:has-text("Apply adjustment")');
  await page.getByText('Stock updated.').waitFor();
  check((await page.locator('.stock-now').innerText()).trim() === '8', 'stock should be 3 + 5 = 8');
  await page.fill('#f-delta', '-20');
  await page.click('button:has-text("Apply adjustment")');
  await page.locator('#e-delta').waitFor();
  check((await page.locator('#e-delta').innerText()).includes('only 8 in stock'), 'an adjustment below zero is refused with the stock now');
  await page.goto(`/admin/products/${productId}`);
  await shoot(page, phone, 'product-edit');
  step('stock adjusted (+5; -20 refused)');

  // ---- categories
  await page.goto('/admin/categories');
  await shoot(page, phone, 'categories');

  // ---- an order placed by the customer through the API, walked through the status machine in the console
  await api('POST', '/cart/', { token: shopper, body: { product_id: productId, quantity: 2 }, expect: 201 });
  const order = await api('POST', '/orders/', {
    token: shopper,
    body: { payment_method: 'cod', shipping_address: { full_name: 'Casey Buyer', line1: '12 Harbour Street', city: 'Bristol', postal_code: 'BS1 4DJ', country: 'GB' }, note: 'Leave it with the neighbour, please.' },
    expect: 201,
  });
  step(`order ${order.number} placed through the API`);
  await page.goto(`/admin/orders?search=${order.number}`);
  await page.click(`text=${order.number}`);
  await page.waitForURL(/\/admin\/orders\/\d+/);
  for (const [button, label] of [['Confirm order', 'Confirmed'], ['Mark as shipped', 'Shipped'], ['Mark as delivered', 'Delivered']]) {
    check((await page.locator('button:has-text("Back to pending")').count()) === 0, 'no backwards move is offered');
    await page.click(`button:has-text("${button}")`);
    await page.getByText('Order status updated.').waitFor();
    check((await page.locator('h1 .badge').innerText()).trim() === label, `the order should now be ${label}`);
  }
  check((await page.locator('.head .actions button').count()) === 0, 'a delivered order offers no further move');
  const seen = await api('GET', `/orders/${order.id}/`, { token: shopper, expect: 200 });
  check(seen.status === 'delivered', 'the customer sees the order delivered');
  await shoot(page, phone, 'order-detail');
  await page.goto('/admin/orders');
  await shoot(page, phone, 'orders');
  step('order walked confirmed → shipped → delivered');

  // ---- a buyer's question, answered in the console; the answer arrives on the buyer's WebSocket
  const convo = await api('POST', '/conversations/', { token: shopper, body: { product_id: productId, message: 'Does the lamp come with a bulb? <script>alert(1)</script>' }, expect: 201 });
  const buyerPage = await (await browser.newContext()).newPage();
  // Any page of this origin whose CSP allows sockets to it (`connect-src 'self'`): the API's JSON answers carry
  // `default-src 'none'`, and Chromium's local-network checks refuse a socket to localhost from about:blank.
  await buyerPage.goto(`${base}/admin/login`);
  await buyerPage.evaluate(
    ([url]) =>
      new Promise((resolve, reject) => {
        window.received = [];
        const ws = new WebSocket(url);
        ws.onmessage = (e) => window.received.push(JSON.parse(e.data));
        ws.onopen = resolve;
        ws.onerror = reject;
      }),
    [`ws://localhost:${port}/api/v1/conversations/${convo.id}/ws/?token=${shopper}`],
  );
  await page.goto('/admin/conversations');
  check((await page.locator('.unread').first().innerText()).trim() === '1', 'the inbox shows one unread message');
  await shoot(page, phone, 'conversations');
  await page.click('.card table a');
  await page.waitForURL(/\/admin\/conversations\/\d+/);
  await page.locator('#thread[data-live="true"]').waitFor();
  check((await page.locator('.msg.buyer').first().innerText()).includes('<script>alert(1)</script>'), 'the buyer’s message renders as text');
  // A new buyer message arrives live, without a reload.
  await api('POST', `/conversations/${convo.id}/messages/`, { token: shopper, body: { body: 'Also: is the cable long?' }, expect: 201 });
  await page.locator('.msg.buyer', { hasText: 'Also: is the cable long?' }).waitFor({ timeout: 10_000 });
  await page.fill('#f-body', 'Yes: a 2700 K LED bulb is in the box, and the cable is 1.8 m.');
  await page.click('button:has-text("Send reply")');
  await page.getByText('Reply sent.').waitFor();
  await buyerPage.waitForFunction(() => window.received.some((m) => m.type === 'message' && m.sender === 'staff' && m.body.includes('2700 K')), null, { timeout: 10_000 });
  await buyerPage.context().close();
  await page.goto(page.url().split('?')[0]);
  await page.locator('#thread[data-live="true"]').waitFor();
  await shoot(page, phone, 'conversation');
  step('buyer question answered; reply arrived on the buyer’s WebSocket');

  // ---- deactivate the customer: their login is refused from then on
  await page.goto(`/admin/users?search=${encodeURIComponent(shopperEmail)}`);
  await page.click('button:has-text("Deactivate")');
  await page.getByText('User updated.').waitFor();
  check((await page.locator('td[data-label="State"]').first().innerText()).includes('Deactivated'), 'the user shows as deactivated');
  const refused = await fetch(`${base}/api/v1/token/`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: shopperEmail, password: 'Shopper-2026!' }) });
  check(refused.status === 403, `a deactivated customer cannot log in (got ${refused.status})`);
  await page.goto('/admin/users');
  await shoot(page, phone, 'users');
  step('customer deactivated');

  // The dashboard again, now that the day's order counts in it.
  await page.goto('/admin/');
  await shoot(page, phone, 'dashboard');

  check(errors.length === 0, `the pages logged errors: ${errors.join(' | ')}`);
  for (const name of ['console.css', 'console.js', 'thread.js']) check(assetsLoaded.has(name), `/admin/assets/${name} was never loaded`);
  // The stylesheet applied (the header's background), not just fetched.
  const headerBg = await page.evaluate(() => getComputedStyle(document.querySelector('header.top')).backgroundColor);
  check(headerBg === 'rgb(23, 32, 51)', `console.css should style the header (background ${headerBg})`);
  step(`done: ${shots.length} pages, screenshots in docs/console/`);
  await finish(0);
} catch (e) {
  await finish(1, e.stack ?? String(e));
}

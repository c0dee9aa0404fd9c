/**
 * Stored and reflected XSS through the console: every page that shows a user-written value (product and category
 * names, descriptions, image text, emails, names, order notes and addresses, messages, query and form values)
 * renders `<script>alert(1)</script>"'&` as escaped text, in element content and in attribute values alike.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { productImages, users } from '../src/db/schema';
import { ConsoleClient } from './helpers/console';
import { db, makeAdmin, makeCategory, makeProduct, makeUser, TEST_PASSWORD } from './helpers/factories';
import { api, json } from './helpers/http';
import { addToCart, address, checkout, checkoutBody } from './helpers/shop';

const EVIL = `<script>alert(1)</script>"'&`;
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;';
const q = encodeURIComponent(EVIL);

/** Nothing of the value is markup, and it appears escaped `times` times: once per place that shows it. */
function expectEscaped(page: { res: Response; text: string }, times: number) {
  expect(page.text).not.toContain('<script>alert');
  expect(page.text).not.toContain(`"'&`);
  expect(page.text.split(ESCAPED).length - 1).toBe(times);
}

async function shopWithEvilText() {
  const admin = await makeAdmin();
  const client = new ConsoleClient();
  expect((await client.login(admin.email, TEST_PASSWORD)).res.status).toBe(303);
  await client.get('/admin/');
  const category = await makeCategory({ name: EVIL, slug: 'evil', description: EVIL });
  const product = await makeProduct({ name: EVIL, description: EVIL, categoryId: category.id, stock: 5 });
  await db().insert(productImages).values({ productId: product.id, key: `products/${product.id}/a.png`, contentType: 'image/png', size: 1, alt: EVIL });
  const buyer = await makeUser({ email: `x${EVIL}@example.com` });
  await db().update(users).set({ firstName: EVIL }).where(eq(users.id, buyer.id));
  await addToCart(buyer.token, product.id, 1);
  const placed = await checkout(buyer.token, checkoutBody({ note: EVIL, shipping_address: address({ full_name: EVIL, line2: EVIL, city: EVIL }) }));
  expect(placed.status).toBe(201);
  const order = await json(placed);
  const opened = await api('POST', '/api/v1/conversations/', { token: buyer.token, body: { product_id: product.id, message: EVIL } });
  expect(opened.status).toBe(201);
  const conversation = await json(opened);
  return { client, product, order, conversation };
}
/** Built once for this file's tests (names and slugs are unique). */
let shop: ReturnType<typeof shopWithEvilText> | undefined;
const evilShop = () => (shop ??= shopWithEvilText());

describe('console escaping', () => {
  it('shows stored values as text on every page that shows them', async () => {
    const { client, product, order, conversation } = await evilShop();
    // Top products and low stock.
    expectEscaped(await client.get('/admin/'), 2);
    // Name and category in the list, the category filter's option; the search box echoes the query.
    expectEscaped(await client.get('/admin/products'), 3);
    expectEscaped(await client.get(`/admin/products?search=${q}`), 4);
    // Title, heading, name and description fields, category option, delete confirmation, image alt.
    expectEscaped(await client.get(`/admin/products/${product.id}`), 7);
    // Name field and delete confirmation.
    expectEscaped(await client.get('/admin/categories'), 2);
    // The customer's email; the search box echoes the query.
    expectEscaped(await client.get('/admin/orders'), 1);
    expectEscaped(await client.get(`/admin/orders?search=${q}`), 2);
    // Placed by (email), item name, note, and three address lines.
    expectEscaped(await client.get(`/admin/orders/${order.id}`), 6);
    // Name, email, and the email in the two confirmations (make staff, deactivate); the search box echoes the query.
    expectEscaped(await client.get('/admin/users'), 4);
    expectEscaped(await client.get(`/admin/users?search=${q}`), 5);
    // Buyer's email, product name, last message.
    expectEscaped(await client.get('/admin/conversations'), 3);
    // Title, heading and message sender (email), product, message body.
    expectEscaped(await client.get(`/admin/conversations/${conversation.id}`), 5);
  });

  it('shows posted values as text when a form comes back with messages', async () => {
    const { client, conversation } = await evilShop();
    const product = await client.post('/admin/products/new', { name: '', price: EVIL, stock: EVIL, sku: EVIL, description: EVIL });
    expect(product.res.status).toBe(400);
    // Price, stock, SKU and description fields, and the category option.
    expectEscaped(product, 5);
    const category = await client.post('/admin/categories', { name: '', slug: EVIL, description: EVIL });
    expect(category.res.status).toBe(400);
    // Slug and description fields, and the stored category's name field and delete confirmation.
    expectEscaped(category, 4);
    const reply = await client.post(`/admin/conversations/${conversation.id}`, { body: EVIL + 'y'.repeat(6000) });
    expect(reply.res.status).toBe(400);
    // The draft, and the thread as shown before (title, heading, sender, product, message).
    expectEscaped(reply, 6);
    const login = await new ConsoleClient().login(`a${EVIL}@x.example`, 'wrong-password-1');
    expect(login.res.status).toBe(401);
    expectEscaped(login, 1);
    const next = await new ConsoleClient().get(`/admin/login?next=${q}`);
    expectEscaped(next, 1);
  });
});

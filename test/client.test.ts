/**
 * The typed client (client/) against the real Worker: every request goes through SELF.fetch, so the client's
 * generated types, its token handling and the API's answers are checked together.
 */
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ApiProblem, createClient, type Tokens } from '../client/src';
import { makeProduct, TEST_PASSWORD, unique } from './helpers/factories';
import { address } from './helpers/shop';

const shopClient = (over: { tokens?: Tokens; onTokens?: (t: Tokens | null) => void } = {}) =>
  createClient({ baseUrl: 'https://api.test', fetch: (request) => SELF.fetch(request), ...over });

describe('typed client', () => {
  it('registers, logs in, browses, adds to the cart, checks out and cancels', async () => {
    const product = await makeProduct({ name: unique('Client lamp '), priceCents: 1250, stock: 5 });
    const shop = shopClient();
    const email = `${unique('client')}@example.com`;

    const user = await shop.call('post_users_register', { body: { email, password: TEST_PASSWORD, first_name: 'Ada' } });
    expect(user.email).toBe(email);
    await shop.login({ email, password: TEST_PASSWORD });
    expect((await shop.call('get_users_profile')).email).toBe(email);

    const page = await shop.call('get_products', { query: { search: product.name } });
    expect(page.results.map((p) => p.id)).toEqual([product.id]);
    const detail = await shop.call('get_products_id', { params: { id: product.id } });
    expect(detail.price).toBe('12.50');

    const line = await shop.call('post_cart', { body: { product_id: product.id, quantity: 2 } });
    expect(line.quantity).toBe(2);
    expect((await shop.call('get_cart')).total).toBe('25.00');

    const order = await shop.call('post_orders', { body: { shipping_address: address(), payment_method: 'cod' }, headers: { 'Idempotency-Key': unique('k') } });
    expect(order).toMatchObject({ status: 'pending', total: '25.00' });
    expect((await shop.call('get_orders')).results.map((o) => o.id)).toContain(order.id);

    const cancelled = await shop.call('post_orders_id_cancel', { params: { id: order.id } });
    expect(cancelled.status).toBe('cancelled');

    await shop.logout();
    expect(shop.session).toBeNull();
  });

  it('throws ApiProblem with the typed problem body', async () => {
    const shop = shopClient();
    const err = await shop.call('get_products_id', { params: { id: 999999999 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiProblem);
    expect((err as ApiProblem).status).toBe(404);
    expect((err as ApiProblem).problem).toMatchObject({ code: 'not_found', status: 404 });
    const login = await shop.login({ email: 'nobody@example.com', password: 'wrong-password-1' }).catch((e: unknown) => e);
    expect((login as ApiProblem).code).toBe('invalid_credentials');
  });

  it('rotates the refresh token when the access token is refused, once for concurrent calls, and retries', async () => {
    const email = `${unique('rot')}@example.com`;
    const first = shopClient();
    await first.call('post_users_register', { body: { email, password: TEST_PASSWORD } });
    const pair = await first.login({ email, password: TEST_PASSWORD });

    const seen: (Tokens | null)[] = [];
    const shop = shopClient({ tokens: { access: 'expired.access.token', refresh: pair.refresh }, onTokens: (t) => seen.push(t) });
    const [a, b, c] = await Promise.all([shop.call('get_cart'), shop.call('get_users_profile'), shop.call('get_orders')]);
    expect(a.items).toEqual([]);
    expect(b.email).toBe(email);
    expect(c.count).toBe(0);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.refresh).not.toBe(pair.refresh);

    // The old refresh token is spent: a client still holding it loses its session instead of looping.
    const stale = shopClient({ tokens: { access: 'expired.access.token', refresh: pair.refresh } });
    const err = await stale.call('get_cart').catch((e: unknown) => e);
    expect((err as ApiProblem).status).toBe(401);
    expect(stale.session).toBeNull();
  });
});

/**
 * Abuse limits (issue 11 item 5): each limit answers 429 `rate_limited` with `Retry-After`, counts per client
 * address (CF-Connecting-IP) or per user as documented, and leaves other clients alone; a customer holds at most
 * MAX_OPEN_COD_ORDERS open cash-on-delivery orders. The sign-up and password-route limits are the test values of
 * vitest.config.ts (60 a minute); the others are wrangler.toml's.
 */
import { describe, expect, it } from 'vitest';
import { api, expectProblem, json } from './helpers/http';
import { makeAdmin, makeProduct, makeUser, TEST_PASSWORD, unique } from './helpers/factories';
import { addToCart, checkout, stockOf } from './helpers/shop';

let addr = 0;
/** A client address of its own for each test, so counters do not leak between tests of this file. */
const address = () => ({ 'CF-Connecting-IP': `198.51.100.${++addr}` });

/**
 * Runs `burst` (which must use fresh keys each time) until it ran inside one window of the limiter: the binding
 * counts in windows aligned to the wall clock, so a burst that straddles a boundary is legitimately allowed more.
 */
async function inOneWindow<T>(period: number, burst: () => Promise<T>): Promise<T> {
  const epoch = () => Math.floor(Date.now() / (period * 1000));
  for (let attempt = 1; ; attempt++) {
    const start = epoch();
    const result = await burst();
    if (epoch() === start || attempt === 3) return result;
  }
}

async function expectLimited(res: Response, retryAfter: number) {
  const body = await expectProblem(res, 429, 'rate_limited');
  expect(res.headers.get('Retry-After')).toBe(String(retryAfter));
  return body;
}

describe('sign-ups per client address', () => {
  it('allows 60 a minute from one address (test value), then 429 with Retry-After; other addresses go on', async () => {
    const body = { email: `${unique('rl')}@example.com`, password: TEST_PASSWORD };
    const [spent, last] = await inOneWindow(60, async () => {
      const a = address();
      const spent = await Promise.all(Array.from({ length: 60 }, () => api('POST', '/api/v1/users/register/', { headers: a, body: {} })));
      return [spent, await api('POST', '/api/v1/users/register/', { headers: a, body })] as const;
    });
    for (const res of spent) await expectProblem(res, 400, 'validation_error'); // invalid sign-ups count too
    await expectLimited(last, 60);
    expect((await api('POST', '/api/v1/users/register/', { headers: address(), body })).status).toBe(201);
  });
});

describe('password changes per client address', () => {
  it('allow 60 a minute from one address (test value), then 429', async () => {
    const paths = ['/api/v1/users/password/change/'];
    const after = await inOneWindow(60, async () => {
      const a = address();
      await Promise.all(Array.from({ length: 60 }, () => api('POST', paths[0], { headers: a, body: {} })));
      return Promise.all(paths.map((path) => api('POST', path, { headers: a, body: {} })));
    });
    for (const res of after) await expectLimited(res, 60);
    expect((await api('POST', paths[0], { headers: address(), body: {} })).status).toBe(401);
  });
});

describe('failed password changes per user', () => {
  const change = (token: string, current: string, headers = address()) =>
    api('POST', '/api/v1/users/password/change/', { token, headers, body: { current_password: current, new_password: 'Another-Secret-77' } });

  it('allow 5 wrong current passwords a minute; then 429 even with the right one, from any address', async () => {
    const { user, wrong, sixth, right } = await inOneWindow(60, async () => {
      const user = await makeUser();
      const wrong = [];
      for (let i = 0; i < 5; i++) wrong.push(await change(user.token, 'wrong-password'));
      return { user, wrong, sixth: await change(user.token, 'wrong-password'), right: await change(user.token, TEST_PASSWORD) };
    });
    for (const res of wrong) await expectProblem(res, 400, 'validation_error');
    await expectLimited(sixth, 60);
    await expectLimited(right, 60);
    // The password did not change, and another user is not affected.
    expect((await api('POST', '/api/v1/token/', { headers: address(), body: { email: user.email, password: TEST_PASSWORD } })).status).toBe(200);
    const other = await makeUser();
    expect((await change(other.token, TEST_PASSWORD)).status).toBe(204);
  });

  it('do not count a weak new password or a success', async () => {
    const user = await makeUser();
    for (let i = 0; i < 6; i++) {
      const res = await api('POST', '/api/v1/users/password/change/', { token: user.token, headers: address(), body: { current_password: TEST_PASSWORD, new_password: '1234' } });
      await expectProblem(res, 400, 'validation_error');
    }
    expect((await change(user.token, TEST_PASSWORD)).status).toBe(204);
  });
});

describe('review writes per user', () => {
  it('allow 20 a minute per user, then 429; reads and other users go on', async () => {
    const product = await makeProduct();
    const put = (token: string, rating: number) => api('PUT', `/api/v1/products/${product.id}/review/`, { token, body: { rating } });
    const { statuses, over, del } = await inOneWindow(60, async () => {
      const user = await makeUser();
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await put(user.token, (i % 5) + 1)).status);
      return { statuses, over: await put(user.token, 5), del: await api('DELETE', `/api/v1/products/${product.id}/review/`, { token: user.token }) };
    });
    for (const status of statuses) expect(status).toBeLessThan(300);
    await expectLimited(over, 60);
    await expectLimited(del, 60);
    expect((await api('GET', `/api/v1/products/${product.id}/reviews/`)).status).toBe(200);
    expect((await put((await makeUser()).token, 4)).status).toBe(201);
  });
});

describe('searches per client address', () => {
  it('allow 30 per 10 s from one address, then 429 Retry-After 10; plain lists and other addresses go on', async () => {
    const { a, spent, over } = await inOneWindow(10, async () => {
      const a = address();
      const spent = await Promise.all(Array.from({ length: 30 }, (_, i) => api('GET', `/api/v1/products/?search=${unique('q')}${i}`, { headers: a })));
      return { a, spent, over: await api('GET', '/api/v1/products/?search=anything', { headers: a }) };
    });
    for (const res of spent) expect(res.status).toBe(200);
    await expectLimited(over, 10);
    expect((await api('GET', '/api/v1/products/', { headers: a })).status).toBe(200);
    expect((await api('GET', '/api/v1/products/?search=anything', { headers: address() })).status).toBe(200);
  });
});

describe('open cash-on-delivery orders per customer', () => {
  it('allows 10 open unpaid cod orders; the 11th checkout is 409 too_many_open_orders with nothing reserved', async () => {
    const user = await makeUser();
    const product = await makeProduct({ stock: 100 });
    const orders: number[] = [];
    for (let i = 0; i < 10; i++) {
      await addToCart(user.token, product.id, 1);
      const res = await checkout(user.token);
      expect(res.status, await res.clone().text()).toBe(201);
      orders.push((await json(res)).id);
    }
    expect(await stockOf(product.id)).toBe(90);
    await addToCart(user.token, product.id, 3);
    const body = await expectProblem(await checkout(user.token), 409, 'too_many_open_orders');
    expect(body.detail).toContain('10 open');
    expect(await stockOf(product.id)).toBe(90); // nothing reserved
    const cart = await json(await api('GET', '/api/v1/cart/', { token: user.token }));
    expect(cart.item_count).toBe(3); // the cart is kept

    // A cancelled or confirmed order no longer counts.
    expect((await api('POST', `/api/v1/orders/${orders[0]}/cancel/`, { token: user.token })).status).toBe(200);
    expect((await checkout(user.token)).status).toBe(201);
    await addToCart(user.token, product.id, 1);
    await expectProblem(await checkout(user.token), 409, 'too_many_open_orders');
    const admin = await makeAdmin();
    expect((await api('PATCH', `/api/v1/admin/orders/${orders[1]}/`, { token: admin.token, body: { status: 'confirmed' } })).status).toBe(200);
    expect((await checkout(user.token)).status).toBe(201);
    // Another customer is not affected.
    const other = await makeUser();
    await addToCart(other.token, product.id, 1);
    expect((await checkout(other.token)).status).toBe(201);
  });
});

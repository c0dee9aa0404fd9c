/** Admin users (issue 10 item 3): list, role/active changes, and guards that read the account as it is now. */
import { describe, expect, it } from 'vitest';
import { makeAdmin, makeProduct, makeUser, unique } from './helpers/factories';
import { api, d1Calls, expectProblem, json } from './helpers/http';
import { addToCart, checkout, checkoutBody, stockOf } from './helpers/shop';
import { openSocket } from './helpers/sockets';

const patch = (token: string, id: number, body: unknown) => api('PATCH', `/api/v1/admin/users/${id}/`, { token, body });
const list = async (token: string, qs = '') => {
  const res = await api('GET', `/api/v1/admin/users/?page_size=100&${qs}`, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return json(res);
};

describe('admin users: list', () => {
  it('pages newest first and filters by search (email and names), role and is_active', async () => {
    const admin = await makeAdmin();
    const tag = unique('zq');
    const ann = await makeUser({ email: `${tag}-ann@example.com` });
    const boss = await makeUser({ role: 'admin', email: `${tag}-boss@example.com` });
    const off = await makeUser({ email: `${tag}-off@example.com`, isActive: false });

    const page = await list(admin.token, `search=${tag.toUpperCase()}`);
    expect(page.count).toBe(3);
    expect(page.results.map((u: any) => u.id)).toEqual([off.id, boss.id, ann.id]);
    expect(Object.keys(page.results[0]).sort()).toEqual(['date_joined', 'email', 'first_name', 'id', 'is_active', 'last_name', 'phone', 'role']);
    expect((await list(admin.token, `search=${tag}&role=admin`)).results.map((u: any) => u.id)).toEqual([boss.id]);
    expect((await list(admin.token, `search=${tag}&is_active=false`)).results.map((u: any) => u.id)).toEqual([off.id]);
    expect((await list(admin.token, 'search=test user')).count).toBe(0); // names are matched one field at a time
    expect((await list(admin.token, `search=${tag}&role=customer&is_active=true`)).results.map((u: any) => u.id)).toEqual([ann.id]);

    const small = await json(await api('GET', `/api/v1/admin/users/?search=${tag}&page_size=2`, { token: admin.token }));
    expect(small.next).toContain('page=2');
    await expectProblem(await api('GET', '/api/v1/admin/users/?role=boss', { token: admin.token }), 400, 'validation_error');
    await expectProblem(await api('GET', '/api/v1/admin/users/?is_active=maybe', { token: admin.token }), 400, 'validation_error');
    await expectProblem(await api('GET', '/api/v1/admin/users/', { token: ann.token }), 403, 'permission_denied');
    await expectProblem(await api('GET', '/api/v1/admin/users/'), 401, 'not_authenticated');
  });
});

describe('admin users: changes', () => {
  it('promotes and demotes; refuses self-demotion and self-deactivation with 409', async () => {
    const admin = await makeAdmin();
    const user = await makeUser();
    const promoted = await json(await patch(admin.token, user.id, { role: 'admin' }));
    expect(promoted).toMatchObject({ id: user.id, role: 'admin', is_active: true });
    // The promotion counts at once, even with the old customer token: the guard reads the current role.
    expect((await api('GET', '/api/v1/admin/users/', { token: user.token })).status).toBe(200);

    const self = await expectProblem(await patch(admin.token, admin.id, { role: 'customer' }), 409, 'conflict');
    expect(self.detail).toMatch(/cannot demote your own account/);
    const selfOff = await expectProblem(await patch(admin.token, admin.id, { is_active: false }), 409, 'conflict');
    expect(selfOff.detail).toMatch(/cannot deactivate your own account/);
    expect((await patch(admin.token, admin.id, { role: 'admin', is_active: true })).status).toBe(200);

    await expectProblem(await patch(admin.token, 99999999, { role: 'admin' }), 404, 'not_found');
    await expectProblem(await patch(admin.token, user.id, { role: 'root' }), 400, 'validation_error');
    await expectProblem(await patch(admin.token, user.id, { email: 'x@example.com' }), 400, 'validation_error');
  });

  it('a demoted admin’s still-valid token no longer works on admin routes', async () => {
    const admin = await makeAdmin();
    const other = await makeAdmin();
    expect((await api('GET', '/api/v1/admin/orders/', { token: other.token })).status).toBe(200);
    expect((await json(await patch(admin.token, other.id, { role: 'customer' }))).role).toBe('customer');
    await expectProblem(await api('GET', '/api/v1/admin/orders/', { token: other.token }), 403, 'permission_denied');
    await expectProblem(await api('GET', '/api/v1/admin/stats/', { token: other.token }), 403, 'permission_denied');
    await expectProblem(await patch(other.token, admin.id, { role: 'customer' }), 403, 'permission_denied');
  });

  it('deactivation revokes refresh tokens, refuses the still-valid access token on writes, and closes the user’s sockets', async () => {
    const admin = await makeAdmin();
    const user = await makeUser();
    const login = await json(await api('POST', '/api/v1/token/', { body: { email: user.email, password: user.password } }));
    const socket = await openSocket('/api/v1/notifications/ws/', login.access);
    const product = await makeProduct({ stock: 5 });
    // A full cart and an open order from before the deactivation: checkout and cancel check the account inside
    // their own batch (no separate guard read), so they must refuse too and write nothing.
    await addToCart(login.access, product.id, 1);
    const open = await json(await checkout(login.access));
    expect(open.status).toBe('pending');
    const line = await addToCart(login.access, product.id, 2);

    const res = await patch(admin.token, user.id, { is_active: false });
    expect(res.status).toBe(200);
    expect((await json(res)).is_active).toBe(false);
    expect(await socket.closed()).toEqual({ code: 4003, reason: 'access_revoked' });

    await expectProblem(await api('POST', '/api/v1/token/refresh/', { body: { refresh: login.refresh } }), 401, 'token_invalid');
    await expectProblem(await api('POST', '/api/v1/cart/', { token: login.access, body: { product_id: product.id } }), 403, 'permission_denied');
    await expectProblem(await api('PATCH', `/api/v1/cart/${line.id}/`, { token: login.access, body: { quantity: 1 } }), 403, 'permission_denied');
    await expectProblem(await api('DELETE', `/api/v1/cart/${line.id}/`, { token: login.access }), 403, 'permission_denied');
    await expectProblem(await api('POST', '/api/v1/orders/', { token: login.access, body: checkoutBody() }), 403, 'permission_denied');
    await expectProblem(await api('POST', `/api/v1/orders/${open.id}/cancel/`, { token: login.access }), 403, 'permission_denied');
    expect(await stockOf(product.id)).toBe(5 - 1);
    const mine = await json(await api('GET', `/api/v1/admin/orders/?search=${encodeURIComponent(user.email)}`, { token: admin.token }));
    expect(mine.results.map((o: any) => [o.id, o.status])).toEqual([[open.id, 'pending']]);
    await expectProblem(await api('POST', '/api/v1/conversations/', { token: login.access, body: { product_id: product.id, message: 'hi' } }), 403, 'permission_denied');
    await expectProblem(await api('GET', '/api/v1/notifications/ws/', { token: login.access, headers: { Upgrade: 'websocket' } }), 403, 'permission_denied');

    // Reactivated: writes work again (a new login is needed for a refresh token).
    await patch(admin.token, user.id, { is_active: true });
    expect((await api('POST', '/api/v1/cart/', { token: login.access, body: { product_id: product.id } })).status).toBe(200); // the line was there
    expect((await checkout(login.access)).status).toBe(201);
  });

  it('re-reads the account in at most one extra D1 round trip', async () => {
    const admin = await makeAdmin();
    const res = await api('GET', '/api/v1/admin/users/?page_size=1', { token: admin.token });
    expect(d1Calls(res)).toBe(2); // the fresh account read + the page batch
    const user = await makeUser();
    const changed = await patch(admin.token, user.id, { is_active: true });
    expect(d1Calls(changed)).toBe(2); // the fresh account read + one batch (read, change)
  });
});

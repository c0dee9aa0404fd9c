/** Order notifications over real WebSockets (issue 10 items 1 and 5). */
import { describe, expect, it } from 'vitest';
import { makeAdmin, makeProduct, makeUser } from './helpers/factories';
import { api, expectProblem, json } from './helpers/http';
import { addToCart, checkout } from './helpers/shop';
import { openSocket, settle, shortLivedToken, upgrade } from './helpers/sockets';

const WS = '/api/v1/notifications/ws/';

async function placeOrder(token: string) {
  await addToCart(token, (await makeProduct({ stock: 50 })).id);
  const res = await checkout(token);
  expect(res.status).toBe(201);
  return json(res);
}

const setStatus = (adminToken: string, orderId: number, status: string) =>
  api('PATCH', `/api/v1/admin/orders/${orderId}/`, { token: adminToken, body: { status } });

describe('notifications socket: authentication before the upgrade', () => {
  it('refuses a missing, invalid or expired token with a 401 problem, never a 101', async () => {
    await expectProblem(await upgrade(WS), 401, 'not_authenticated');
    await expectProblem(await upgrade(WS, { token: 'not-a-jwt' }), 401, 'not_authenticated');
    await expectProblem(await upgrade(WS, { token: 'not-a-jwt', via: 'query' }), 401, 'not_authenticated');
    const user = await makeUser();
    await expectProblem(await upgrade(WS, { token: await shortLivedToken(user.id, 'customer', -5) }), 401, 'not_authenticated');
  });

  it('answers a request without Upgrade with 426, and a deactivated account with 403', async () => {
    const user = await makeUser();
    const res = await api('GET', WS, { token: user.token });
    await expectProblem(res, 426, 'upgrade_required');
    const gone = await makeUser({ isActive: false });
    await expectProblem(await upgrade(WS, { token: gone.token }), 403, 'permission_denied');
  });

  it('selects the bearer subprotocol, accepts ?token=, and answers ping with pong', async () => {
    const user = await makeUser();
    const a = await openSocket(WS, user.token);
    expect(a.res.headers.get('Sec-WebSocket-Protocol')).toBe('bearer');
    const b = await openSocket(WS, user.token, 'query');
    expect(b.res.headers.get('Sec-WebSocket-Protocol')).toBeNull();
    b.ws.send('ping');
    expect(await b.received(1)).toEqual(['pong']);
    a.ws.close(1000);
    b.ws.close(1000);
  });
});

describe('notifications socket: order events', () => {
  it('pushes a status change made by an admin to both sockets of the owner, and nothing to others', async () => {
    const owner = await makeUser();
    const other = await makeUser();
    const admin = await makeAdmin();
    const order = await placeOrder(owner.token);
    const [s1, s2, s3] = [await openSocket(WS, owner.token), await openSocket(WS, owner.token), await openSocket(WS, other.token)];
    expect((await setStatus(admin.token, order.id, 'confirmed')).status).toBe(200);
    const expected = { type: 'order.status_changed', seq: 2, order_id: order.id, number: order.number, status: 'confirmed' };
    for (const s of [s1, s2]) {
      const [event] = await s.received(1);
      expect(event).toMatchObject(expected);
      expect(Date.parse(event.at)).not.toBeNaN();
    }
    await settle();
    expect(s3.messages).toEqual([]);
    for (const s of [s1, s2, s3]) s.ws.close(1000);
  });

  it('replays exactly the missed events on ?since=, in order, then goes on live', async () => {
    const owner = await makeUser();
    const admin = await makeAdmin();
    const first = await openSocket(WS, owner.token);
    const order = await placeOrder(owner.token); // seq 1: pending
    const [created] = await first.received(1);
    expect(created).toMatchObject({ seq: 1, status: 'pending', order_id: order.id });
    first.ws.close(1000);

    // Missed while offline: seq 2 and 3, and an event of another order (seq 4).
    await setStatus(admin.token, order.id, 'confirmed');
    await setStatus(admin.token, order.id, 'shipped');
    const second = await placeOrder(owner.token);

    const again = await openSocket(`${WS}?since=1`, owner.token);
    const replay = await again.received(3);
    expect(replay.map((e) => [e.seq, e.order_id, e.status])).toEqual([
      [2, order.id, 'confirmed'],
      [3, order.id, 'shipped'],
      [4, second.id, 'pending'],
    ]);
    await api('POST', `/api/v1/orders/${second.id}/cancel/`, { token: owner.token });
    const [, , , live] = await again.received(4);
    expect(live).toMatchObject({ seq: 5, order_id: second.id, status: 'cancelled' });
    await settle();
    expect(again.messages).toHaveLength(4);

    // Nothing is replayed without `since`, or when the client is up to date.
    const fresh = await openSocket(WS, owner.token);
    const upToDate = await openSocket(`${WS}?since=5`, owner.token);
    await settle();
    expect([fresh.messages, upToDate.messages]).toEqual([[], []]);
    await expectProblem(await upgrade(`${WS}?since=-1`, { token: owner.token }), 400, 'validation_error');
    for (const s of [again, fresh, upToDate]) s.ws.close(1000);
  });
});

describe('notifications socket: limits', () => {
  it('keeps at most 10 sockets per user: the 11th closes the oldest with 4008', async () => {
    const user = await makeUser();
    const sockets = [];
    for (let i = 0; i < 11; i++) sockets.push(await openSocket(WS, user.token));
    expect(await sockets[0].closed()).toEqual({ code: 4008, reason: 'too_many_sockets' });
    await placeOrder(user.token);
    for (const s of sockets.slice(1)) expect((await s.received(1))[0]).toMatchObject({ seq: 1 });
    expect(sockets[0].messages).toEqual([]);
    for (const s of sockets.slice(1)) s.ws.close(1000);
  });

  it('closes a socket with 4001 when its access token expires', async () => {
    const user = await makeUser();
    const s = await openSocket(WS, await shortLivedToken(user.id, 'customer', 2));
    expect(await s.closed(8000)).toEqual({ code: 4001, reason: 'token_expired' });
  });
});

describe('notifications socket: documentation', () => {
  it('documents both socket routes as 101 with their authentication and close codes', async () => {
    const { paths } = await json(await api('GET', '/api/v1/openapi.json'));
    for (const path of ['/api/v1/notifications/ws/', '/api/v1/conversations/{id}/ws/']) {
      const op = paths[path].get;
      expect(op.responses['101'].description).toMatch(/Switching Protocols/);
      expect(op.responses['401']).toBeDefined();
      expect(op.responses['426']).toBeDefined();
      expect(op.description).toMatch(/Sec-WebSocket-Protocol: bearer, <token>/);
      for (const code of ['4001', '4003', '4008']) expect(op.description).toContain(code);
      expect(op.parameters.map((p: any) => p.name)).toContain('token');
    }
    expect(paths['/api/v1/notifications/ws/'].get.parameters.map((p: any) => p.name)).toContain('since');
    for (const path of ['/api/v1/admin/users/', '/api/v1/admin/users/{id}/', '/api/v1/admin/stats/', '/api/v1/conversations/', '/api/v1/conversations/{id}/messages/']) {
      expect(paths[path], path).toBeDefined();
    }
  });
});

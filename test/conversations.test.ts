/** Conversations between buyers and staff, with live sockets (issue 10 items 2 and 5). */
import { describe, expect, it } from 'vitest';
import { makeAdmin, makeProduct, makeUser } from './helpers/factories';
import { api, expectProblem, json } from './helpers/http';
import { openSocket, settle, upgrade } from './helpers/sockets';

const open = (token: string, productId: number, message: string) => api('POST', '/api/v1/conversations/', { token, body: { product_id: productId, message } });
const post = (token: string, id: number, body: unknown) => api('POST', `/api/v1/conversations/${id}/messages/`, { token, body: { body } });
const messages = async (token: string, id: number, qs = '') => {
  const res = await api('GET', `/api/v1/conversations/${id}/messages/${qs}`, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return json(res);
};
const conversations = async (token: string) => json(await api('GET', '/api/v1/conversations/?page_size=100', { token }));

describe('conversations: opening and listing', () => {
  it('opens a conversation about a product, reuses it for the same product, and lists it with the last message and unread count', async () => {
    const buyer = await makeUser();
    const admin = await makeAdmin();
    const product = await makeProduct({ name: 'Teapot' });
    const res = await open(buyer.token, product.id, '  Is it dishwasher safe?  ');
    expect(res.status, await res.clone().text()).toBe(201);
    const conv = await json(res);
    expect(conv).toMatchObject({
      buyer_id: buyer.id, product_id: product.id, product: { id: product.id, name: 'Teapot' }, unread_count: 0,
      last_message: { sender_id: buyer.id, sender: 'buyer', body: 'Is it dishwasher safe?' },
    });
    const again = await json(await open(buyer.token, product.id, 'And microwave safe?'));
    expect(again.id).toBe(conv.id);
    expect(again.last_message.body).toBe('And microwave safe?');

    // Staff see it with 2 unread; the buyer sees 0 (own messages are never unread).
    const forStaff = (await conversations(admin.token)).results.find((c: any) => c.id === conv.id);
    expect(forStaff.unread_count).toBe(2);
    expect((await conversations(buyer.token)).results.map((c: any) => [c.id, c.unread_count])).toEqual([[conv.id, 0]]);

    // Staff read the messages (oldest first): their unread count drops; the answer is unread for the buyer.
    const page = await messages(admin.token, conv.id);
    expect(page.results.map((m: any) => m.body)).toEqual(['Is it dishwasher safe?', 'And microwave safe?']);
    expect((await conversations(admin.token)).results.find((c: any) => c.id === conv.id).unread_count).toBe(0);
    expect((await post(admin.token, conv.id, 'Yes to both.')).status).toBe(201);
    const mine = (await conversations(buyer.token)).results[0];
    expect(mine).toMatchObject({ unread_count: 1, last_message: { body: 'Yes to both.', sender: 'staff', sender_id: admin.id } });
    await messages(buyer.token, conv.id);
    expect((await conversations(buyer.token)).results[0].unread_count).toBe(0);
  });

  it('lists by latest activity; buyers see only their own, admins see all', async () => {
    const alice = await makeUser();
    const bob = await makeUser();
    const admin = await makeAdmin();
    const a = await json(await open(alice.token, (await makeProduct()).id, 'first'));
    const b = await json(await open(bob.token, (await makeProduct()).id, 'second'));
    const a2 = await json(await open(alice.token, (await makeProduct()).id, 'third'));
    await post(alice.token, a.id, 'bump');
    expect((await conversations(alice.token)).results.map((c: any) => c.id)).toEqual([a.id, a2.id]);
    const all = (await conversations(admin.token)).results.map((c: any) => c.id);
    expect(all.filter((id: number) => [a.id, b.id, a2.id].includes(id))).toEqual([a.id, a2.id, b.id]);
  });

  it('paginates messages oldest first and marks only the pages read', async () => {
    const buyer = await makeUser();
    const admin = await makeAdmin();
    const conv = await json(await open(buyer.token, (await makeProduct()).id, 'm0'));
    for (let i = 1; i <= 4; i++) await post(admin.token, conv.id, `m${i}`);
    const first = await messages(buyer.token, conv.id, '?page_size=2');
    expect(first.count).toBe(5);
    expect(first.results.map((m: any) => m.body)).toEqual(['m0', 'm1']);
    expect(first.next).toContain('page=2');
    expect((await conversations(buyer.token)).results[0].unread_count).toBe(3);
    await messages(buyer.token, conv.id, '?page_size=2&page=3');
    expect((await conversations(buyer.token)).results[0].unread_count).toBe(0);
    await expectProblem(await api('GET', `/api/v1/conversations/${conv.id}/messages/?page=9`, { token: buyer.token }), 404, 'not_found');
  });
});

describe('conversations: rules', () => {
  it('refuses unknown or inactive products and blank or too long messages', async () => {
    const buyer = await makeUser();
    const product = await makeProduct();
    await expectProblem(await open(buyer.token, 99999999, 'hello'), 404, 'not_found');
    await expectProblem(await open(buyer.token, (await makeProduct({ isActive: false })).id, 'hello'), 404, 'not_found');
    await expectProblem(await open(buyer.token, product.id, '   '), 400, 'validation_error');
    const conv = await json(await open(buyer.token, product.id, 'x'.repeat(2000)));
    await expectProblem(await post(buyer.token, conv.id, 'x'.repeat(2001)), 400, 'validation_error');
    await expectProblem(await post(buyer.token, conv.id, ' \n '), 400, 'validation_error');
    expect((await post(buyer.token, conv.id, ` ${'y'.repeat(2000)} `)).status).toBe(201);
    await expectProblem(await api('POST', '/api/v1/conversations/', { body: { product_id: product.id, message: 'hi' } }), 401, 'not_authenticated');
  });

  it('answers 404 to anyone who is not a participant, on every route', async () => {
    const buyer = await makeUser();
    const stranger = await makeUser();
    const conv = await json(await open(buyer.token, (await makeProduct()).id, 'private'));
    await expectProblem(await api('GET', `/api/v1/conversations/${conv.id}/messages/`, { token: stranger.token }), 404, 'not_found');
    await expectProblem(await post(stranger.token, conv.id, 'let me in'), 404, 'not_found');
    await expectProblem(await upgrade(`/api/v1/conversations/${conv.id}/ws/`, { token: stranger.token }), 404, 'not_found');
    expect((await conversations(stranger.token)).count).toBe(0);
    expect((await messages(buyer.token, conv.id)).results.map((m: any) => m.body)).toEqual(['private']);
  });

  it('rate limits messages per user with 429 and Retry-After', async () => {
    const buyer = await makeUser();
    const other = await makeUser();
    const conv = await json(await open(buyer.token, (await makeProduct()).id, 'm1'));
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => post(buyer.token, conv.id, `m${i + 2}`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201).length).toBe(19); // 20 a minute, the first went with the opening
    const limited = results.find((r) => r.status === 429)!;
    await expectProblem(limited, 429, 'rate_limited');
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect((await messages(buyer.token, conv.id, '?page_size=100')).count).toBe(20);
    expect((await open(other.token, (await makeProduct()).id, 'someone else')).status).toBe(201);
  });
});

describe('conversations: live sockets', () => {
  it('delivers a posted message to the other side’s socket after storing it, and it is in the history', async () => {
    const buyer = await makeUser();
    const admin = await makeAdmin();
    const conv = await json(await open(buyer.token, (await makeProduct()).id, 'hello?'));
    const path = `/api/v1/conversations/${conv.id}/ws/`;
    const buyerSocket = await openSocket(path, buyer.token);
    expect(buyerSocket.res.headers.get('Sec-WebSocket-Protocol')).toBe('bearer');
    const staffSocket = await openSocket(path, admin.token, 'query');

    const sent = await json(await post(admin.token, conv.id, 'Hi! How can I help?'));
    const [live] = await buyerSocket.received(1);
    expect(live).toEqual({ type: 'message', id: sent.id, conversation_id: conv.id, sender_id: admin.id, sender: 'staff', body: 'Hi! How can I help?', at: sent.at });
    expect((await staffSocket.received(1))[0].id).toBe(sent.id);

    await post(buyer.token, conv.id, 'Is it in stock?');
    expect((await staffSocket.received(2))[1]).toMatchObject({ sender_id: buyer.id, sender: 'buyer', body: 'Is it in stock?' });
    const history = await messages(buyer.token, conv.id);
    expect(history.results.map((m: any) => m.body)).toEqual(['hello?', 'Hi! How can I help?', 'Is it in stock?']);

    // Another conversation's messages never reach these sockets.
    const other = await json(await open(buyer.token, (await makeProduct()).id, 'elsewhere'));
    await post(admin.token, other.id, 'other answer');
    await settle();
    expect(buyerSocket.messages).toHaveLength(2);
    buyerSocket.ws.close(1000);
    staffSocket.ws.close(1000);
  });

  it('refuses the upgrade without a valid token, and a plain GET with 426', async () => {
    const buyer = await makeUser();
    const conv = await json(await open(buyer.token, (await makeProduct()).id, 'hi'));
    const path = `/api/v1/conversations/${conv.id}/ws/`;
    await expectProblem(await upgrade(path), 401, 'not_authenticated');
    await expectProblem(await upgrade(path, { token: `${buyer.token}x` }), 401, 'not_authenticated');
    await expectProblem(await api('GET', path, { token: buyer.token }), 426, 'upgrade_required');
    await expectProblem(await upgrade('/api/v1/conversations/99999999/ws/', { token: buyer.token }), 404, 'not_found');
  });

  it('closes a demoted admin’s staff sockets and refuses their access to conversations they are not the buyer of', async () => {
    const buyer = await makeUser();
    const boss = await makeAdmin();
    const staff = await makeAdmin();
    const conv = await json(await open(buyer.token, (await makeProduct()).id, 'hi'));
    const socket = await openSocket(`/api/v1/conversations/${conv.id}/ws/`, staff.token);
    expect((await api('PATCH', `/api/v1/admin/users/${staff.id}/`, { token: boss.token, body: { role: 'customer' } })).status).toBe(200);
    expect(await socket.closed()).toEqual({ code: 4003, reason: 'access_revoked' });
    await expectProblem(await api('GET', `/api/v1/conversations/${conv.id}/messages/`, { token: staff.token }), 404, 'not_found');
  });
});

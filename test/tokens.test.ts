/** Tokens: login (POST /token) and its brute-force limits, refresh rotation and reuse detection, logout. */
import { eq } from 'drizzle-orm';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { refreshTokens, users } from '../src/db/schema';
import { db, makeAdmin, makeUser, unique } from './helpers/factories';
import { api, d1Calls, expectProblem, json } from './helpers/http';

// Each test logs in from its own address so the per-client limit (LOGIN_RL, 100 a minute) only bites where tested.
let ipSeq = 0;
const newIp = () => `198.51.100.${++ipSeq}`;

function login(body: unknown, ip = newIp()) {
  return api('POST', '/api/v1/token/', { body, headers: { 'CF-Connecting-IP': ip } });
}

async function tokensFor(email: string, password: string) {
  const res = await login({ email, password });
  expect(res.status).toBe(200);
  return json<{ access: string; refresh: string }>(res);
}

const refresh = (token: string) => api('POST', '/api/v1/token/refresh/', { body: { refresh: token } });
const profile = (access: string) => api('GET', '/api/v1/users/profile/', { token: access });

describe('POST /api/v1/token/', () => {
  it('issues a Bearer pair with one user read and one write', async () => {
    const user = await makeUser();
    const res = await login({ email: user.email, password: user.password });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
    expect(d1Calls(res)).toBe(2);
    const body = await json(res);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(typeof body.access).toBe('string');
    expect(typeof body.refresh).toBe('string');
    expect(body.refresh).not.toBe(body.access);

    expect(decodeProtectedHeader(body.access).alg).toBe('HS256');
    const claims = decodeJwt(body.access);
    expect(claims).toMatchObject({ iss: 'edge-shop-api', aud: 'edge-shop-clients', sub: String(user.id), role: 'customer' });
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(typeof claims.jti).toBe('string');
    expect((await profile(body.access)).status).toBe(200);
  });

  it('spends exactly one PBKDF2 derivation per login, right or wrong password', async () => {
    const user = await makeUser();
    const derive = vi.spyOn(crypto.subtle, 'deriveBits');
    try {
      await expectProblem(await login({ email: user.email, password: 'Wrong-password-1' }), 401, 'invalid_credentials');
      expect(derive).toHaveBeenCalledTimes(1);
      const res = await login({ email: user.email, password: user.password });
      expect(res.status).toBe(200);
      expect(derive).toHaveBeenCalledTimes(2);
      // After a failure the success also forgets the counters: still one write (a batch).
      expect(d1Calls(res)).toBe(2);
    } finally {
      derive.mockRestore();
    }
  });

  it('gives an admin an admin token that passes the admin guard', async () => {
    const admin = await makeAdmin();
    const { access } = await tokensFor(admin.email, admin.password);
    expect(decodeJwt(access).role).toBe('admin');
    const res = await api('GET', '/api/v1/admin/no-such-thing', { token: access });
    await expectProblem(res, 404, 'not_found');
  });

  it('only stores a hash of the refresh token', async () => {
    const user = await makeUser();
    const { refresh: token } = await tokensFor(user.email, user.password);
    const rows = await db().select().from(refreshTokens).where(eq(refreshTokens.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('normalizes the email like registration does', async () => {
    const user = await makeUser();
    const res = await login({ email: `  ${user.email.toUpperCase()} `, password: user.password });
    expect(res.status).toBe(200);
  });

  it('refuses a deactivated user with 403, but only with the right password', async () => {
    const user = await makeUser({ isActive: false });
    await expectProblem(await login({ email: user.email, password: user.password }), 403, 'permission_denied');
    await expectProblem(await login({ email: user.email, password: 'Wrong-password-1' }), 401, 'invalid_credentials');
  });

  it('validates the body', async () => {
    const body = await expectProblem(await login({}), 400, 'validation_error');
    expect(body.errors!.map((e) => e.field).sort()).toEqual(['email', 'password']);
  });

  it('blocks a client after 100 failed attempts a minute (LOGIN_RL), right password included', async () => {
    // The binding counts in wall-clock-aligned minutes: start well inside one so the 101 attempts share a window.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 25_000) await new Promise((r) => setTimeout(r, left + 50));
    const user = await makeUser();
    const ip = newIp();
    // Successful logins do not spend the budget.
    for (let i = 0; i < 3; i++) expect((await login({ email: user.email, password: user.password }, ip)).status).toBe(200);
    for (let i = 0; i < 100; i++) {
      await expectProblem(await login({ email: `${unique('nobody')}@example.com`, password: 'Whatever-123' }, ip), 401, 'invalid_credentials');
    }
    const over = await login({ email: `${unique('nobody')}@example.com`, password: 'Whatever-123' }, ip);
    await expectProblem(over, 429, 'rate_limited');
    expect(over.headers.get('Retry-After')).toBe('60');
    const blocked = await login({ email: user.email, password: user.password }, ip);
    await expectProblem(blocked, 429, 'rate_limited');
    expect(d1Calls(blocked)).toBe(0);
    expect(Number(blocked.headers.get('Retry-After'))).toBeGreaterThan(50);
    expect((await login({ email: user.email, password: user.password }, newIp())).status).toBe(200);
  }, 90_000); // 100+ sequential PBKDF2 logins: slow on a shared CI machine
});

describe('POST /api/v1/token/refresh/', () => {
  it('rotates: a new working pair, and the old refresh token stops working', async () => {
    const user = await makeUser();
    const first = await tokensFor(user.email, user.password);
    const res = await refresh(first.refresh);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
    const second = await json(res);
    expect(second).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(second.refresh).not.toBe(first.refresh);
    expect((await profile(second.access)).status).toBe(200);
    await expectProblem(await refresh(first.refresh), 401, 'token_invalid');
  });

  it('treats reuse of a rotated token as theft: the whole family is revoked, other logins are not', async () => {
    const user = await makeUser();
    const stolen = await tokensFor(user.email, user.password);
    const otherDevice = await tokensFor(user.email, user.password);
    const rotated = await json((await refresh(stolen.refresh)));
    const newer = await json((await refresh(rotated.refresh)));

    const res = await refresh(stolen.refresh);
    await expectProblem(res, 401, 'token_invalid');
    expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
    await expectProblem(await refresh(newer.refresh), 401, 'token_invalid');
    expect((await refresh(otherDevice.refresh)).status).toBe(200);
  });

  it('lets only one of two concurrent rotations of the same token succeed, and then no token of the family works', async () => {
    const user = await makeUser();
    const families = await Promise.all(Array.from({ length: 15 }, () => tokensFor(user.email, user.password)));
    // Each family's token presented twice at once: one rotation wins, the other is a reuse that revokes the family.
    const answers = await Promise.all(families.map((f) => Promise.all([refresh(f.refresh), refresh(f.refresh)])));
    const issued: string[] = [];
    for (const pair of answers) {
      expect(pair.map((r) => r.status).sort()).toEqual([200, 401]);
      for (const res of pair) if (res.status === 200) issued.push((await json(res)).refresh);
    }
    const rows = await db().select().from(refreshTokens).where(eq(refreshTokens.userId, user.id));
    expect(rows).toHaveLength(30); // 15 logins + 15 replacements
    expect(rows.filter((r) => r.revokedAt === null)).toEqual([]);
    for (const token of issued) await expectProblem(await refresh(token), 401, 'token_invalid');
  });

  it('a thief replaying a rotated token while the owner rotates its successor leaves nothing usable', async () => {
    const user = await makeUser();
    const families = await Promise.all(Array.from({ length: 15 }, () => tokensFor(user.email, user.password)));
    const successors = await Promise.all(families.map(async (f) => (await json(await refresh(f.refresh))).refresh as string));
    const answers = await Promise.all(families.map((f, i) => Promise.all([refresh(f.refresh), refresh(successors[i])])));
    const issued: string[] = [];
    for (const [replay, rotation] of answers) {
      await expectProblem(replay, 401, 'token_invalid');
      if (rotation.status === 200) issued.push((await json(rotation)).refresh);
      else await expectProblem(rotation, 401, 'token_invalid');
    }
    const rows = await db().select().from(refreshTokens).where(eq(refreshTokens.userId, user.id));
    expect(rows.filter((r) => r.revokedAt === null)).toEqual([]);
    for (const token of issued) await expectProblem(await refresh(token), 401, 'token_invalid');
  });

  it('refuses unknown, expired and deactivated users’ tokens', async () => {
    await expectProblem(await refresh('not-a-real-token'), 401, 'token_invalid');
    const user = await makeUser();
    const expired = await tokensFor(user.email, user.password);
    await db().update(refreshTokens).set({ expiresAt: new Date(Date.now() - 1000).toISOString() }).where(eq(refreshTokens.userId, user.id));
    await expectProblem(await refresh(expired.refresh), 401, 'token_invalid');

    const later = await makeUser();
    const pair = await tokensFor(later.email, later.password);
    await db().update(users).set({ isActive: false }).where(eq(users.id, later.id));
    await expectProblem(await refresh(pair.refresh), 401, 'token_invalid');
  });

  it('validates the body', async () => {
    const body = await expectProblem(await api('POST', '/api/v1/token/refresh/', { body: {} }), 400, 'validation_error');
    expect(body.errors!.map((e) => e.field)).toEqual(['refresh']);
  });
});

describe('POST /api/v1/users/logout/', () => {
  it('revokes the presented token’s family and nothing else', async () => {
    const user = await makeUser();
    const session = await tokensFor(user.email, user.password);
    const other = await tokensFor(user.email, user.password);
    const rotated = await json(await refresh(session.refresh));

    const res = await api('POST', '/api/v1/users/logout/', { token: rotated.access, body: { refresh: rotated.refresh } });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    await expectProblem(await refresh(rotated.refresh), 401, 'token_invalid');
    expect((await refresh(other.refresh)).status).toBe(200);
  });

  it('needs a bearer token and the caller’s own refresh token', async () => {
    const alice = await makeUser();
    const bob = await makeUser();
    const bobs = await tokensFor(bob.email, bob.password);
    const res = await api('POST', '/api/v1/users/logout/', { body: { refresh: bobs.refresh } });
    await expectProblem(res, 401, 'not_authenticated');
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="api"');
    await expectProblem(await api('POST', '/api/v1/users/logout/', { token: alice.token, body: { refresh: bobs.refresh } }), 401, 'token_invalid');
    await expectProblem(await api('POST', '/api/v1/users/logout/', { token: alice.token, body: { refresh: 'unknown' } }), 401, 'token_invalid');
    expect((await refresh(bobs.refresh)).status).toBe(200);
  });
});

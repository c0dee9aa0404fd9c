/** Access token verification (algorithm pinned, key, exp, iss, aud) and the admin guard on /api/v1/admin/*. */
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { config, makeAdmin, makeUser } from './helpers/factories';
import { api, expectProblem } from './helpers/http';

const profile = (access: string) => api('GET', '/api/v1/users/profile/', { token: access });

describe('access token verification', () => {
  const sign = async (opts: { secret?: string; alg?: string; iss?: string; aud?: string; exp?: number | string; sub?: string } = {}) => {
    const cfg = config().jwt;
    const jwt = new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: opts.alg ?? 'HS256' })
      .setSubject(opts.sub ?? '1')
      .setIssuer(opts.iss ?? cfg.issuer)
      .setAudience(opts.aud ?? cfg.audience)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(opts.exp ?? '15m')
      .setJti(crypto.randomUUID());
    return jwt.sign(new TextEncoder().encode(opts.secret ?? cfg.secret));
  };

  async function expectRefused(token: string) {
    const res = await profile(token);
    await expectProblem(res, 401, 'not_authenticated');
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="api", error="invalid_token"');
  }

  it('accepts a well-formed token (the control case)', async () => {
    const user = await makeUser();
    expect((await profile(user.token)).status).toBe(200);
    // Built here with the real key: proves the refusals below are about the one thing each changes.
    expect((await api('GET', '/api/v1/users/profile/', { token: await sign({ sub: String(user.id) }) })).status).toBe(200);
  });

  it('refuses a token signed with another key', async () => {
    await expectRefused(await sign({ secret: 'another-secret-0123456789-0123456789-xyz' }));
  });

  it('refuses alg "none" and algorithms other than HS256', async () => {
    const cfg = config().jwt;
    const none = new UnsecuredJWT({ role: 'admin' }).setSubject('1').setIssuer(cfg.issuer).setAudience(cfg.audience).setIssuedAt().setExpirationTime('15m').encode();
    await expectRefused(none);
    await expectRefused(await sign({ alg: 'HS512' }));
  });

  it('refuses an expired token', async () => {
    await expectRefused(await sign({ exp: Math.floor(Date.now() / 1000) - 60 }));
  });

  it('refuses a wrong issuer or audience', async () => {
    await expectRefused(await sign({ iss: 'someone-else' }));
    await expectRefused(await sign({ aud: 'other-clients' }));
  });

  it('refuses garbage, a bad subject and other schemes', async () => {
    await expectRefused('not.a.jwt');
    await expectRefused(await sign({ sub: 'admin' }));
    const user = await makeUser();
    const res = await api('GET', '/api/v1/users/profile/', { headers: { Authorization: `Token ${user.token}` } });
    await expectProblem(res, 401, 'not_authenticated');
  });
});

describe('admin guard (/api/v1/admin/*)', () => {
  it('answers 401 without a token and 403 for a customer, on any admin path', async () => {
    const customer = await makeUser();
    for (const path of ['/api/v1/admin/categories/', '/api/v1/admin/no-such-thing']) {
      const anon = await api('GET', path);
      await expectProblem(anon, 401, 'not_authenticated');
      expect(anon.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
      await expectProblem(await api('GET', path, { token: customer.token }), 403, 'permission_denied');
    }
  });

  it('lets an admin through', async () => {
    const admin = await makeAdmin();
    const res = await api('GET', '/api/v1/admin/no-such-thing', { token: admin.token });
    await expectProblem(res, 404, 'not_found');
  });
});

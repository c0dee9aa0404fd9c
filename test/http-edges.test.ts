/**
 * Issue 14 items 4–7 seen from a client: no internal ids in public answers, routing edges, cache directives on
 * answers that depend on who asks, and problem types that resolve to this API's own docs.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { ERROR_CODES } from '../src/errors';
import { PROBLEM_DOCS } from '../src/system/problem-docs';
import { makeAdmin, makeProduct, makeUser } from './helpers/factories';
import { BASE, api, expectProblem, json } from './helpers/http';

describe('no internal ids in public answers', () => {
  it('regression: public reviews show a display name, never the reviewer’s user id or email', async () => {
    const user = await makeUser();
    const product = await makeProduct();
    expect((await api('PUT', `/api/v1/products/${product.id}/review/`, { token: user.token, body: { rating: 5, comment: 'Nice' } })).status).toBe(201);
    const page = await json(await api('GET', `/api/v1/products/${product.id}/reviews/`));
    expect(page.results[0].user).toEqual({ name: 'Test U.' });
    const text = JSON.stringify(page);
    expect(text).not.toContain(user.email);
    expect(text).not.toMatch(/"user_id"|"user":\{"id"/);
  });
});

describe('routing edges', () => {
  it('regression: /api/v1/products// is 404, never a self-contradicting 405', async () => {
    for (const path of ['/api/v1/products//', '/api/v1//products/', '/api/v1/products//1/', '//api/v1/products/']) {
      const res = await api('GET', path);
      await expectProblem(res, 404, 'not_found');
      expect(res.headers.get('Allow')).toBeNull();
    }
    const user = await makeUser();
    await expectProblem(await api('DELETE', '/api/v1/users//profile/', { token: user.token }), 404, 'not_found');
  });

  it('an unknown or unsupported method on a known route is a 405 problem whose Allow omits it', async () => {
    for (const method of ['DELETE', 'PATCH', 'PURGE']) {
      const res = await api(method, '/api/v1/products/');
      await expectProblem(res, 405, 'method_not_allowed');
      const allow = res.headers.get('Allow')!.split(', ');
      expect(allow).toContain('GET');
      expect(allow).not.toContain(method);
    }
  });
});

describe('cache directives', () => {
  it('regression: authenticated answers carry Cache-Control: private, no-store (profile, orders, cart, admin)', async () => {
    const user = await makeUser();
    const admin = await makeAdmin();
    for (const [path, token] of [['/api/v1/users/profile/', user.token], ['/api/v1/orders/', user.token], ['/api/v1/cart/', user.token], ['/api/v1/admin/products/', admin.token]]) {
      const res = await api('GET', path, { token });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('Cache-Control'), path).toBe('private, no-store');
    }
    // Their refusals too: a 401 depends on who asks as much as a 200.
    expect((await api('GET', '/api/v1/orders/')).headers.get('Cache-Control')).toBe('private, no-store');
    const pair = await api('POST', '/api/v1/token/', { body: { email: user.email, password: user.password }, headers: { 'CF-Connecting-IP': '192.0.2.201' } });
    expect(pair.headers.get('Cache-Control')).toBe('private, no-store');
  });

  it('public catalog answers keep their own directive', async () => {
    await makeProduct();
    const res = await api('GET', '/api/v1/products/');
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control') ?? '').not.toContain('private');
  });
});

describe('problem types resolve to this API’s docs', () => {
  it('regression: type is an absolute URL to /api/v1/docs#problem-<code> on the request’s origin', async () => {
    const body = await expectProblem(await api('GET', '/api/v1/nope/'), 404, 'not_found');
    expect(body.type).toBe(`${BASE}/api/v1/docs#problem-not-found`);
    const user = await makeUser();
    const product = await makeProduct({ stock: 1 });
    const short = await expectProblem(await api('POST', '/api/v1/cart/', { token: user.token, body: { product_id: product.id, quantity: 5 } }), 409, 'insufficient_stock');
    expect(short.type).toBe(`${BASE}/api/v1/docs#problem-insufficient-stock`);
    expect(JSON.stringify(body)).not.toContain('edge-shop.dev');
  });

  it('uses PUBLIC_BASE_URL when configured', async () => {
    const ctx = createExecutionContext();
    const fakeEnv = { ...env, PUBLIC_BASE_URL: 'https://api.shop.example' } as unknown as typeof env;
    const res = await buildApp().fetch(new Request(`${BASE}/api/v1/nope/`), fakeEnv, ctx);
    await waitOnExecutionContext(ctx);
    expect((await res.json<{ type: string }>()).type).toBe('https://api.shop.example/api/v1/docs#problem-not-found');
  });

  it('the docs page has a server-rendered section per code, explaining it and what to do', async () => {
    const html = await (await api('GET', '/api/v1/docs')).text();
    for (const code of Object.keys(ERROR_CODES)) {
      expect(PROBLEM_DOCS[code], code).toBeDefined();
      const id = `problem-${code.replace(/_/g, '-')}`;
      const section = new RegExp(`<section id="${id}">[\\s\\S]*?</section>`).exec(html)?.[0];
      expect(section, id).toBeDefined();
      expect(section).toContain('What to do:');
    }
  });
});

/** System routes (API.md "System"): root, health, OpenAPI document and docs page. */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { openApiPath } from '../src/http/openapi';
import { makeUser } from './helpers/factories';
import { api, BASE, expectProblem, json } from './helpers/http';

describe('GET /api/v1/', () => {
  it('answers name, version and absolute links', async () => {
    const res = await api('GET', '/api/v1/');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ name: 'Edge Shop API', version: '1.0.0' });
    expect(body.links).toMatchObject({
      self: `${BASE}/api/v1/`,
      health: `${BASE}/api/v1/health/`,
      openapi: `${BASE}/api/v1/openapi.json`,
      docs: `${BASE}/api/v1/docs/`,
      register: `${BASE}/api/v1/users/register/`,
      token: `${BASE}/api/v1/token/`,
      products: `${BASE}/api/v1/products/`,
      categories: `${BASE}/api/v1/categories/`,
    });
    expect((await api('GET', '/api/v1')).status).toBe(200);
  });

  it('links only to routes that exist', async () => {
    const { links } = await json(await api('GET', '/api/v1/'));
    const user = await makeUser();
    for (const url of Object.values<string>(links)) {
      const res = await api('GET', url.slice(BASE.length), { token: user.token });
      expect([200, 405], url).toContain(res.status);
    }
  });
});

describe('GET /api/v1/health', () => {
  it('answers ok with the D1 check, never cached', async () => {
    const res = await api('GET', '/api/v1/health');
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ status: 'ok', db: 'ok' });
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });

  it('answers 503 when D1 does not answer', async () => {
    const deadD1 = {
      prepare() {
        throw new Error('D1_ERROR: Network connection lost.');
      },
      withSession() {
        return deadD1;
      },
      getBookmark: () => null,
    };
    const ctx = createExecutionContext();
    const res = await buildApp().fetch(new Request(`${BASE}/api/v1/health`), { ...env, DB: deadD1, LOG_LEVEL: 'silent' } as unknown as typeof env, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    expect(await json(res)).toEqual({ status: 'error', db: 'error' });
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const res = await api('DELETE', '/api/v1/health/');
    const body = await expectProblem(res, 405, 'method_not_allowed');
    expect(body.detail).toContain('DELETE');
    expect(res.headers.get('Allow')).toContain('GET');
  });

  it('answers OPTIONS (plain or CORS preflight) with the route’s methods in Allow', async () => {
    const allowOf = async (path: string, headers: Record<string, string> = {}) => {
      const res = await api('OPTIONS', path, { headers });
      expect(res.status, path).toBe(204);
      return res.headers.get('Allow')?.split(', ').sort();
    };
    expect(await allowOf('/api/v1/health/')).toEqual(['GET', 'HEAD', 'OPTIONS']);
    expect(await allowOf('/api/v1/users/register')).toEqual(['OPTIONS', 'POST']);
    expect(await allowOf('/api/v1/products/1/review/')).toEqual(['DELETE', 'OPTIONS', 'PUT']);
    const preflight = { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'PATCH' };
    expect(await allowOf('/api/v1/users/profile/', preflight)).toEqual(['GET', 'HEAD', 'OPTIONS', 'PATCH', 'PUT']);
  });
});

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document', async () => {
    const res = await api('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toContain('application/json');
    const doc = await json(res);
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: 'Edge Shop API', version: '1.0.0' });
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.schemas.Problem.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'code', 'request_id']));
  });

  it('describes every users and tokens route with its request schema', async () => {
    const { paths } = await json(await api('GET', '/api/v1/openapi.json'));
    const body = (path: string, method: string) => paths[path]?.[method]?.requestBody?.content?.['application/json']?.schema;

    const register = body('/api/v1/users/register/', 'post');
    expect(register.properties).toHaveProperty('email');
    expect(register.properties).toHaveProperty('password');
    expect(register.properties.password).toMatchObject({ minLength: 8, maxLength: 128 });
    expect(register.required).toEqual(expect.arrayContaining(['email', 'password']));
    expect(register.properties).not.toHaveProperty('role');
    expect(paths['/api/v1/users/register/'].post.responses['201'].content['application/json'].schema.properties).toHaveProperty('date_joined');

    expect(body('/api/v1/token/', 'post').required).toEqual(expect.arrayContaining(['email', 'password']));
    expect(paths['/api/v1/token/'].post.responses).toHaveProperty('429');
    expect(body('/api/v1/token/refresh/', 'post').required).toEqual(['refresh']);
    expect(body('/api/v1/users/logout/', 'post').required).toEqual(['refresh']);
    expect(paths['/api/v1/users/logout/'].post.security).toEqual([{ bearer: [] }]);
    expect(paths['/api/v1/users/profile/'].get.responses['401']).toBeDefined();
    for (const method of ['patch', 'put']) expect(Object.keys(body('/api/v1/users/profile/', method).properties).sort()).toEqual(['first_name', 'last_name', 'phone']);
    expect(body('/api/v1/users/password/change/', 'post').required).toEqual(expect.arrayContaining(['current_password', 'new_password']));
  });

  it('gives every operation a unique operationId', async () => {
    const { paths } = await json(await api('GET', '/api/v1/openapi.json'));
    const ids = Object.values<Record<string, { operationId?: string }>>(paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(ids.every((id) => typeof id === 'string' && /^[a-z]+(_[A-Za-z0-9]+)+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(paths['/api/v1/products/{id}/reviews/'].get.operationId).toBe('get_products_id_reviews');
    expect(paths['/api/v1/'].get.operationId).toBe('get_root');
  });

  it('describes every route the app serves, and nothing it does not serve', async () => {
    const { paths } = await json(await api('GET', '/api/v1/openapi.json'));
    const documented = new Set(
      Object.entries<Record<string, unknown>>(paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\/+$/, '')}`)),
    );
    const served = new Set(
      buildApp()
        // The admin console's HTML pages (/admin) are for people, not part of the JSON API or its document.
        .routes.filter((r) => r.method !== 'ALL' && !r.path.startsWith('/admin'))
        .map((r) => `${r.method} ${openApiPath(r.path).replace(/\/+$/, '') || '/'}`),
    );
    expect([...served].filter((r) => !documented.has(r)), 'served but not documented').toEqual([]);
    expect([...documented].filter((r) => !served.has(r)), 'documented but not served').toEqual([]);
  });

  it('declares every path parameter and leaks no router syntax', async () => {
    const { paths } = await json(await api('GET', '/api/v1/openapi.json'));
    for (const [path, ops] of Object.entries<Record<string, { parameters: { name: string; in: string }[] }>>(paths)) {
      expect(path).not.toMatch(/[:[\]*]/);
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(ops)) {
        const declared = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
        expect(declared.sort(), path).toEqual([...names].sort());
      }
    }
  });
});

describe('GET /api/v1/docs', () => {
  it('answers an HTML page pointing at the OpenAPI document', async () => {
    for (const path of ['/api/v1/docs', '/api/v1/docs/']) {
      const res = await api('GET', path);
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toContain('text/html');
      const html = await res.text();
      expect(html).toMatch(/^<!doctype html>/i);
      expect(html).toContain('/api/v1/openapi.json');
      expect(html).toContain('<title>Edge Shop API');
    }
  });

  it('escapes the configured app name', async () => {
    const ctx = createExecutionContext();
    const fakeEnv = { ...env, APP_NAME: '<script>alert(1)</script>' } as unknown as typeof env;
    const res = await buildApp().fetch(new Request(`${BASE}/api/v1/docs`), fakeEnv, ctx);
    await waitOnExecutionContext(ctx);
    const html = await res.text();
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&#60;script&#62;alert(1)');
  });
});

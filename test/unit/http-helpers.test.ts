/** Pure HTTP helpers: OpenAPI path conversion, 405 method lookup, zod field errors and pagination envelopes. */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { AppError } from '../../src/errors';
import { allowedMethods } from '../../src/http/method-not-allowed';
import { openApiPath } from '../../src/http/openapi';
import { paginate } from '../../src/http/pagination';
import { fieldErrors } from '../../src/http/validate';

describe('openApiPath', () => {
  it('turns Hono params (with or without a pattern) into OpenAPI templates', () => {
    expect(openApiPath('/api/v1/products/:id{[0-9]+}/')).toBe('/api/v1/products/{id}/');
    expect(openApiPath('/api/v1/products/:id/images/:image_id/')).toBe('/api/v1/products/{id}/images/{image_id}/');
    expect(openApiPath('/api/v1/media/:key{.+\\.(?:png|jpe?g)}')).toBe('/api/v1/media/{key}');
    expect(openApiPath('/api/v1/x/:n{\\d{1,3}}')).toBe('/api/v1/x/{n}');
  });
});

describe('allowedMethods', () => {
  const routes = [
    { method: 'GET', path: '/api/v1/products/:id{[0-9]+}', handler: () => undefined },
    { method: 'PATCH', path: '/api/v1/products/:id{[0-9]+}', handler: () => undefined },
    { method: 'POST', path: '/api/v1/token', handler: () => undefined },
    { method: 'ALL', path: '/api/v1/admin/*', handler: () => undefined },
  ] as never[];

  it('lists the methods of the matching routes, with HEAD and OPTIONS', () => {
    expect(allowedMethods(routes, '/api/v1/products/12').sort()).toEqual(['GET', 'HEAD', 'OPTIONS', 'PATCH']);
    expect(allowedMethods(routes, '/api/v1/products/12/')).toContain('PATCH');
    expect(allowedMethods(routes, '/api/v1/token/').sort()).toEqual(['OPTIONS', 'POST']);
  });

  it('is empty when no route matches (pattern, unknown path or middleware only)', () => {
    expect(allowedMethods(routes, '/api/v1/products/abc')).toEqual([]);
    expect(allowedMethods(routes, '/api/v1/nope')).toEqual([]);
    expect(allowedMethods(routes, '/api/v1/admin/anything')).toEqual([]);
  });
});

describe('fieldErrors', () => {
  it('names nested and indexed fields', () => {
    const schema = z.object({ a: z.object({ b: z.string() }), items: z.array(z.object({ q: z.number() })) });
    const result = schema.safeParse({ a: { b: 1 }, items: [{ q: 1 }, { q: 'x' }] });
    expect(fieldErrors(result.error!).map((e) => e.field)).toEqual(['a.b', 'items[1].q']);
    expect(fieldErrors(z.object({}).safeParse([]).error!)[0].field).toBe('body');
  });
});

describe('paginate', () => {
  const url = 'https://api.test/api/v1/products/?search=x&page=2&page_size=10';

  it('builds absolute next/previous links that keep the other query parameters', () => {
    const page = paginate(url, { page: 2, page_size: 10 }, 35, ['r']);
    expect(page).toEqual({
      count: 35,
      next: 'https://api.test/api/v1/products/?search=x&page=3&page_size=10',
      previous: 'https://api.test/api/v1/products/?search=x&page_size=10',
      results: ['r'],
    });
  });

  it('has no links for a single page, and page 1 of nothing is valid', () => {
    expect(paginate(url, { page: 1, page_size: 10 }, 10, [])).toMatchObject({ next: null, previous: null });
    expect(paginate(url, { page: 1, page_size: 10 }, 0, [])).toMatchObject({ count: 0, next: null, previous: null });
  });

  it('refuses a page past the end with not_found', () => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e instanceof AppError ? e.code : 'not an AppError';
      }
      return 'no error';
    };
    expect(codeOf(() => paginate(url, { page: 5, page_size: 10 }, 35, []))).toBe('not_found');
    expect(codeOf(() => paginate(url, { page: 2, page_size: 10 }, 0, []))).toBe('not_found');
    expect(codeOf(() => paginate(url, { page: 4, page_size: 10 }, 35, []))).toBe('no error');
  });
});

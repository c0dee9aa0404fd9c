/**
 * 405 support: Hono answers an unmatched method as "not found", so the not-found handler asks which registered
 * routes match the path with other methods and, if any do, answers 405 with an `Allow` header.
 */
import type { MiddlewareHandler } from 'hono';
import type { RouterRoute } from 'hono/types';

interface Compiled {
  method: string;
  re: RegExp;
}

// Routes are fixed once an app is built, so they are compiled once per route table (per app, per isolate).
const compiledByRoutes = new WeakMap<RouterRoute[], Compiled[]>();

function compile(path: string): RegExp {
  let re = '';
  const src = path.replace(/\/+$/, '');
  for (const segment of src.split('/').slice(1)) {
    const param = /^:([A-Za-z_][A-Za-z0-9_]*)(?:\{(.+)\})?$/.exec(segment);
    if (param) re += `/(${param[2] ?? '[^/]+'})`;
    else if (segment === '*') re += '(?:/.*)?';
    else re += '/' + segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}/?$`);
}

/** Methods (upper case) that some route accepts for `path`; empty when the path matches no route at all. */
export function allowedMethods(routes: RouterRoute[], path: string): string[] {
  let compiled = compiledByRoutes.get(routes);
  if (!compiled) {
    compiled = routes.filter((r) => r.method !== 'ALL').map((r) => ({ method: r.method.toUpperCase(), re: compile(r.path) }));
    compiledByRoutes.set(routes, compiled);
  }
  const methods = new Set<string>();
  for (const r of compiled) if (r.re.test(path)) methods.add(r.method);
  if (methods.has('GET')) methods.add('HEAD');
  if (methods.size) methods.add('OPTIONS');
  return [...methods];
}

/**
 * OPTIONS answers (CORS preflights included) name the route's methods in `Allow` (RFC 9110 §9.3.7), as DRF
 * does: clients discover what a resource accepts without trying each method.
 */
export const optionsAllow =
  (routes: () => RouterRoute[]): MiddlewareHandler =>
  async (c, next) => {
    await next();
    if (c.req.method !== 'OPTIONS' || c.res.status >= 300) return;
    const allow = allowedMethods(routes(), c.req.path);
    if (!allow.length) return;
    try {
      c.res.headers.set('Allow', allow.join(', '));
    } catch {
      // Immutable headers (a response built elsewhere): copy once.
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set('Allow', allow.join(', '));
    }
  };

/**
 * A path with an empty segment (`/api/v1/products//`) names no resource: 404 before any routing, so neither
 * the trailing-slash tolerance nor the 405 lookup can read it as a known route.
 */
export const hasEmptySegment = (path: string) => path.includes('//');

/**
 * The methods a 405 may list for this request, or none when the answer must be 404: an `Allow` that contains
 * the very method refused would contradict itself, so such a request is simply not a route.
 */
export function allowFor(routes: RouterRoute[], path: string, method: string): string[] {
  if (hasEmptySegment(path)) return [];
  const allow = allowedMethods(routes, path);
  return allow.includes(method.toUpperCase()) ? [] : allow;
}

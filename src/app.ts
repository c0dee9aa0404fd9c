/**
 * Builds the Hono app: request context and logging, configuration, CORS, body limits, the route table, and
 * the single problem+json funnel for errors, unknown routes (404) and wrong methods (405).
 */
import type { MiddlewareHandler } from 'hono';
import { HonoBase } from 'hono/hono-base';
import { TrieRouter } from 'hono/router/trie-router';
import { limitBody } from './http/body-limit';
import { cors } from 'hono/cors';
import { loadConfig, type Config } from './config';
import { createDb } from './db/client';
import { BOOKMARK_HEADER, returnsBookmark, sessionStart } from './db/session';
import type { AppEnv } from './env';
import { AppError } from './errors';
import { requestContext } from './http/logging';
import { allowFor, hasEmptySegment, optionsAllow } from './http/method-not-allowed';
import { securityHeaders } from './http/secure-headers';
import { abuseLimits } from './http/abuse-limits';
import { onError, problemResponse } from './http/problem';
import { PRIVATE_NO_STORE, registerRoutes } from './http/route';
import { requireAdmin } from './http/auth';
import { routeTable } from './routes';
import { CONSOLE_UPLOAD_PATH_RE, registerConsole } from './console/routes';

export const JSON_BODY_LIMIT = 1024 * 1024;
const UPLOAD_PATH_RE = /^\/api\/v1\/admin\/products\/[^/]+\/images\/?$/;
const ADMIN_AREA_RE = /^\/api\/v1\/admin(\/|$)/;

const tooLarge = (limit: number) => () => {
  throw new AppError('payload_too_large', `The request body exceeds ${limit / (1024 * 1024)} MiB.`);
};
const jsonLimit = limitBody({ maxSize: JSON_BODY_LIMIT, onError: tooLarge(JSON_BODY_LIMIT) });

const corsByConfig = new WeakMap<Config, MiddlewareHandler>();

/** The CORS middleware for the configured origins, built once per configuration. */
function corsFor(config: Config): MiddlewareHandler {
  let mw = corsByConfig.get(config);
  if (!mw) {
    const origins = config.corsOrigins;
    mw = cors({
      origin: origins === '*' ? '*' : (origin) => (origins.includes(origin) ? origin : null),
      allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'If-None-Match', 'X-Request-Id', BOOKMARK_HEADER],
      exposeHeaders: ['X-Request-Id', 'ETag', 'Idempotent-Replayed', 'Retry-After', 'Allow', 'Server-Timing', BOOKMARK_HEADER],
      maxAge: 86400,
    });
    corsByConfig.set(config, mw);
  }
  return mw;
}

export function buildApp() {
  // strict: false makes every route answer with and without its trailing slash, as the Django clients expect.
  // HonoBase + TrieRouter: `Hono` from 'hono' brings SmartRouter with RegExpRouter AND TrieRouter, and falls
  // back to the trie anyway for our table (RegExpRouter refuses `/admin/products/:id{[0-9]+}` beside
  // `/admin/products/new`). One router in the bundle, no regex compilation on an isolate's first request;
  // matching costs microseconds against the milliseconds of a D1 round trip.
  const app = new HonoBase<AppEnv>({ strict: false, router: new TrieRouter() });

  app.use('*', requestContext);
  app.use('*', securityHeaders);
  app.use('*', async (c, next) => {
    const config = loadConfig(c.env);
    c.set('config', config);
    const session = c.env.DB.withSession(sessionStart(c.req.method, c.req.path, c.req.header(BOOKMARK_HEADER)));
    c.set('db', createDb(session, c.get('dbCalls')));
    await next();
    const bookmark = returnsBookmark(c.req.path) ? session.getBookmark() : null;
    if (bookmark) c.header(BOOKMARK_HEADER, bookmark);
  });
  app.use('*', async (c, next) => (hasEmptySegment(c.req.path) ? problemResponse(c, 'not_found', `No route matches ${c.req.path}.`) : next()));
  app.use('*', optionsAllow(() => app.routes));
  app.use('*', (c, next) => corsFor(c.get('config'))(c, next));
  // JSON bodies are capped at 1 MiB; image uploads get their own 5 MiB limit on their route.
  app.use('*', (c, next) => (UPLOAD_PATH_RE.test(c.req.path) || CONSOLE_UPLOAD_PATH_RE.test(c.req.path) ? next() : jsonLimit(c, next)));

  app.use('*', abuseLimits);
  registerRoutes(app, routeTable);
  // The admin console (HTML pages at /admin), outside the JSON API and its route table.
  registerConsole(app);

  app.notFound(async (c) => {
    // A path under /api/v1/admin that no route serves (or a method it does not accept) is guarded like the
    // admin routes (401/403) before it is answered 404/405, so only admins learn which admin paths exist.
    const adminArea = ADMIN_AREA_RE.test(c.req.path);
    if (adminArea) {
      try {
        await requireAdmin(c, async () => {});
      } catch (err) {
        return onError(err as Error, c);
      }
    }
    const headers: Record<string, string> = adminArea ? { 'Cache-Control': PRIVATE_NO_STORE } : {};
    const allow = allowFor(app.routes, c.req.path, c.req.method);
    if (allow.length) {
      return problemResponse(c, 'method_not_allowed', `Method ${c.req.method} is not allowed on this resource.`, {
        headers: { ...headers, Allow: allow.join(', ') },
      });
    }
    return problemResponse(c, 'not_found', `No route matches ${c.req.path}.`, { headers });
  });
  app.onError(onError);
  return app;
}

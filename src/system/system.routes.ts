/** System routes: API root, health (checks D1), the OpenAPI document and the interactive docs page. */
import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import * as z from 'zod';
import type { AppEnv } from '../env';
import { API_VERSION, describe, openApiDocument } from '../http/openapi';
import { routeTable } from '../routes';

export const systemRoutes = new Hono<AppEnv>({ strict: false });

const API = '/api/v1';

/** Link name → path below /api/v1, for the root document (clients discover the API from it). */
const LINKS: Record<string, string> = {
  self: '/',
  health: '/health/',
  docs: '/docs/',
  openapi: '/openapi.json',
  register: '/users/register/',
  token: '/token/',
  token_refresh: '/token/refresh/',
  logout: '/users/logout/',
  profile: '/users/profile/',
  password_change: '/users/password/change/',
  categories: '/categories/',
  products: '/products/',
  cart: '/cart/',
  orders: '/orders/',
};

const Root = z.object({ name: z.string(), version: z.string(), links: z.record(z.string(), z.url()) });
describe({ method: 'get', path: `${API}/`, tag: 'System', summary: 'API root: name, version and links', responses: { 200: { description: 'Root', schema: Root } } });
systemRoutes.get(API, (c) => {
  const base = new URL(c.req.url).origin + API;
  const links = Object.fromEntries(Object.entries(LINKS).map(([name, path]) => [name, base + path]));
  return c.json({ name: c.get('config').appName, version: API_VERSION, links });
});

const Health = z.object({ status: z.enum(['ok', 'error']), db: z.enum(['ok', 'error']) });
describe({
  method: 'get',
  path: `${API}/health`,
  tag: 'System',
  summary: 'Liveness and D1 check',
  responses: { 200: { description: 'Healthy', schema: Health }, 503: { description: 'D1 does not answer', schema: Health } },
});
systemRoutes.get(`${API}/health`, async (c) => {
  try {
    await c.get('db').run(sql`select 1`);
    return c.json({ status: 'ok', db: 'ok' }, 200, { 'Cache-Control': 'no-store' });
  } catch {
    return c.json({ status: 'error', db: 'error' }, 503, { 'Cache-Control': 'no-store' });
  }
});

describe({ method: 'get', path: `${API}/openapi.json`, tag: 'System', summary: 'OpenAPI 3.1 document', responses: { 200: { description: 'The document' } } });
systemRoutes.get(`${API}/openapi.json`, (c) => c.json(openApiDocument(c.get('config').appName, routeTable)));

/** APP_NAME is configuration, not code: it is escaped before it goes into the page. */
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

describe({ method: 'get', path: `${API}/docs`, tag: 'System', summary: 'Interactive API documentation', responses: { 200: { description: 'HTML page' } } });
systemRoutes.get(`${API}/docs`, (c) =>
  c.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(c.get('config').appName)} — API docs</title></head>
<body><script id="api-reference" data-url="${API}/openapi.json"></script>
<script src="https://cdn.jsdelivr.net/npm/@scalar/api-reference"></script>
<noscript>The interactive docs need JavaScript. The raw document is at <a href="${API}/openapi.json">${API}/openapi.json</a>.</noscript>
</body></html>`),
);

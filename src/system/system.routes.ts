/**
 * System routes: API root, health (checks D1) and the OpenAPI document. The document describes the whole route
 * table, these routes included; it is generated at build time and served from the static assets, so nothing here
 * imports the table or the generator.
 */
import { sql } from 'drizzle-orm';
import * as z from 'zod/mini';
import { API_VERSION } from '../http/api-version';
import { defineRoute } from '../http/route';
import { openApiText } from './openapi-asset';

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
  conversations: '/conversations/',
};

const Root = z.object({ name: z.string(), version: z.string(), links: z.record(z.string(), z.url()) });
const Health = z.object({ status: z.enum(['ok', 'error']), db: z.enum(['ok', 'error']) });


export const systemRoutes = [
  defineRoute({
    method: 'get', path: `${API}/`, auth: 'public', tag: 'System', summary: 'API root: name, version and links',
    responses: { 200: { description: 'Root', schema: Root } },
    handler: (c) => {
      const base = new URL(c.req.url).origin + API;
      const links = Object.fromEntries(Object.entries(LINKS).map(([name, path]) => [name, base + path]));
      return c.json({ name: c.get('config').appName, version: API_VERSION, links });
    },
  }),

  defineRoute({
    method: 'get', path: `${API}/health`, auth: 'public', tag: 'System', summary: 'Liveness and D1 check',
    responses: { 200: { description: 'Healthy', schema: Health }, 503: { description: 'D1 does not answer', schema: Health } },
    handler: async (c) => {
      try {
        await c.get('db').run(sql`select 1`);
        return c.json({ status: 'ok', db: 'ok' }, 200, { 'Cache-Control': 'no-store' });
      } catch {
        return c.json({ status: 'error', db: 'error' }, 503, { 'Cache-Control': 'no-store' });
      }
    },
  }),

  defineRoute({
    method: 'get', path: `${API}/openapi.json`, auth: 'public', tag: 'System', summary: 'OpenAPI 3.1 document',
    responses: { 200: { description: 'The document' } },
    // Built from the route table at build time (src/system/openapi-asset.ts), served as is: no schema work here.
    handler: async (c) => c.body(await openApiText(c.env.ASSETS, c.get('config').appName), 200, { 'Content-Type': 'application/json' }),
  }),
];

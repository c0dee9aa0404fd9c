/**
 * THE console route table: every /admin page and form action, in one list. These are HTML routes for people, not
 * part of the JSON route table (src/routes.ts) or the OpenAPI document. `public` pages need no session (login,
 * assets); every other route goes through requireConsoleSession (live admin session; Origin + CSRF on posts).
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { AppError } from '../errors';
import { logError } from '../http/logging';
import { limitBody } from '../http/body-limit';
import { requireConsoleSession, securityHeaders } from './guard';
import { errorPage } from './layout';
import { CONSOLE_BASE } from './paths';
import { dashboardPage } from './pages/dashboard';
import { inboxPage, replySubmit, threadPage, threadSocket } from './pages/conversations';
import { updateUserSubmit, usersPage } from './pages/users';
import { categoriesPage, createCategorySubmit, deleteCategorySubmit, renameCategorySubmit } from './pages/categories';
import { logout, showLogin, submitLogin } from './pages/login';
import { deleteOrderSubmit, orderPage, ordersPage, orderStatusSubmit } from './pages/orders';
import { archiveSubmit, createProductSubmit, deleteSubmit, editProductPage, newProductPage, saveProduct, stockSubmit } from './pages/product';
import { deleteImageSubmit, moveImageSubmit, uploadImage } from './pages/product-images';
import { productsPage } from './pages/products';

type Handler = (c: Context<AppEnv>) => Response | Promise<Response>;
interface ConsoleRoute {
  method: 'get' | 'post';
  path: string;
  handler: Handler;
  public?: boolean;
}

const ID = ':id{[0-9]+}';
/**
 * The console's stylesheet and scripts: src/console/assets/*, copied by scripts/static-assets.mjs into the static
 * assets under /console/ (not into the Worker bundle) and served here, same origin, so the strict CSP allows them.
 */
const ASSET_TYPES: Record<string, string> = {
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'thread.js': 'text/javascript; charset=utf-8',
};
/** Short-lived cache: the names are not content-hashed, and a deploy must reach open consoles soon. */
const ASSET_CACHE = 'public, max-age=300';

export const consoleRoutes: readonly ConsoleRoute[] = [
  { method: 'get', path: '/assets/:name', public: true, handler: asset },
  { method: 'get', path: '/login', public: true, handler: showLogin },
  { method: 'post', path: '/login', public: true, handler: submitLogin },
  { method: 'post', path: '/logout', handler: logout },
  { method: 'get', path: '/', handler: dashboardPage },
  { method: 'get', path: '/products', handler: productsPage },
  { method: 'get', path: '/products/new', handler: (c) => newProductPage(c) },
  { method: 'post', path: '/products/new', handler: createProductSubmit },
  { method: 'get', path: `/products/${ID}`, handler: (c) => editProductPage(c) },
  { method: 'post', path: `/products/${ID}`, handler: saveProduct },
  { method: 'post', path: `/products/${ID}/stock`, handler: stockSubmit },
  { method: 'post', path: `/products/${ID}/archive`, handler: archiveSubmit },
  { method: 'post', path: `/products/${ID}/delete`, handler: deleteSubmit },
  { method: 'post', path: `/products/${ID}/images`, handler: uploadImage },
  { method: 'post', path: `/products/${ID}/images/:imageId{[0-9]+}/move`, handler: moveImageSubmit },
  { method: 'post', path: `/products/${ID}/images/:imageId{[0-9]+}/delete`, handler: deleteImageSubmit },
  { method: 'get', path: '/categories', handler: (c) => categoriesPage(c) },
  { method: 'post', path: '/categories', handler: createCategorySubmit },
  { method: 'post', path: `/categories/${ID}`, handler: renameCategorySubmit },
  { method: 'post', path: `/categories/${ID}/delete`, handler: deleteCategorySubmit },
  { method: 'get', path: '/orders', handler: ordersPage },
  { method: 'get', path: `/orders/${ID}`, handler: (c) => orderPage(c) },
  { method: 'post', path: `/orders/${ID}/status`, handler: orderStatusSubmit },
  { method: 'post', path: `/orders/${ID}/delete`, handler: deleteOrderSubmit },
  { method: 'get', path: '/users', handler: (c) => usersPage(c) },
  { method: 'post', path: `/users/${ID}`, handler: updateUserSubmit },
  { method: 'get', path: '/conversations', handler: inboxPage },
  { method: 'get', path: `/conversations/${ID}`, handler: (c) => threadPage(c) },
  { method: 'post', path: `/conversations/${ID}`, handler: replySubmit },
  { method: 'get', path: `/conversations/${ID}/ws`, handler: threadSocket },
];

/** Image uploads may be 5 MiB plus multipart framing; app.ts exempts this path from the 1 MiB JSON limit. */
export const CONSOLE_UPLOAD_PATH_RE = /^\/admin\/products\/[0-9]+\/images\/?$/;
const uploadLimit = limitBody({
  maxSize: 5 * 1024 * 1024 + 64 * 1024,
  onError: () => {
    throw new AppError('payload_too_large', 'The image exceeds 5 MiB.');
  },
});

async function asset(c: Context<AppEnv>) {
  const name = c.req.param('name') ?? '';
  const type = Object.hasOwn(ASSET_TYPES, name) ? ASSET_TYPES[name] : undefined;
  if (!type || !c.env.ASSETS) return c.notFound();
  // Only the revalidation header is passed on: the asset server answers 304 to a matching If-None-Match.
  const inm = c.req.header('If-None-Match');
  const res = await c.env.ASSETS.fetch(new URL(`/console/${name}`, c.req.url), inm ? { headers: { 'If-None-Match': inm } } : undefined);
  const etag = res.headers.get('ETag');
  const headers: Record<string, string> = { 'Cache-Control': ASSET_CACHE, ...(etag ? { ETag: etag } : {}) };
  if (res.status === 304) return new Response(null, { status: 304, headers });
  if (!res.ok) {
    await res.body?.cancel();
    return c.notFound();
  }
  // Our own content type and caching, not the asset server's; the console's security headers are added after.
  return new Response(res.body, { status: 200, headers: { ...headers, 'Content-Type': type } });
}

/** Service refusals and failures as pages a person can act on, never problem+json. */
async function asPage(c: Context<AppEnv>, handler: Handler): Promise<Response> {
  try {
    return await handler(c);
  } catch (e) {
    if (e instanceof AppError) {
      const status = e.status as 400 | 404 | 409 | 413 | 415 | 429;
      const title = e.code === 'not_found' ? 'Not found' : 'Request refused';
      return c.html(errorPage(title, e.message), status);
    }
    logError(c, 'console_error', e);
    return c.html(errorPage('Something went wrong', 'The request failed on our side. Try again; if it keeps failing, check the logs.'), 500);
  }
}

export function registerConsole(app: Hono<AppEnv>) {
  app.use(`${CONSOLE_BASE}/*`, securityHeaders);
  app.use(CONSOLE_BASE, securityHeaders);
  for (const r of consoleRoutes) {
    const path = r.path === '/' ? CONSOLE_BASE : `${CONSOLE_BASE}${r.path}`;
    const chain: MiddlewareHandler<AppEnv>[] = [];
    if (r.method === 'post' && CONSOLE_UPLOAD_PATH_RE.test(path.replace(ID, '1'))) chain.push(uploadLimit);
    if (!r.public) chain.push(requireConsoleSession);
    chain.push((c) => asPage(c, r.handler));
    app.on(r.method.toUpperCase(), path, ...(chain as [MiddlewareHandler<AppEnv>]));
  }
  // Unknown console paths: a page, not problem+json.
  app.get(`${CONSOLE_BASE}/*`, (c) => c.html(errorPage('Not found', 'There is no such page in the console.'), 404));
}

/**
 * The timed scenarios. Each one names the server it loads (`ceiling`, `on` = the API with its edge cache,
 * `off` = the same API started with CATALOG_CACHE=off), prepares what it needs outside the timed part, and
 * returns one table row. A route that does not exist yet makes its row "n/a (route missing)".
 */
import { PASSWORD, PRODUCT_COUNT, USER_COUNT, codeWord, stockedProducts, userEmail } from './dataset.mjs';
import { mapLimit, must, requireRoute } from './client.mjs';
import { runLoad } from './load.mjs';

const PAGES = 10;
const DETAIL_IDS = 200;
const PRICE_BANDS = [
  ['0.00', '100.00'],
  ['100.00', '300.00'],
  ['300.00', '600.00'],
  ['50.00', '500.00'],
  ['600.00', '1000.00'],
];
export const SHIPPING_ADDRESS = { full_name: 'Bench Buyer', line1: '1 Benchmark Way', city: 'Lisbon', postal_code: '1000-001', country: 'PT' };

const listPath = (i) => ({ path: `/api/v1/products/?page=${(i % PAGES) + 1}` });
const detailPath = (i) => ({ path: `/api/v1/products/${(i % DETAIL_IDS) + 1}/` });
const filteredPath = (i) => {
  const cat = String((i % 10) + 1).padStart(2, '0');
  const [min, max] = PRICE_BANDS[Math.floor(i / 10) % PRICE_BANDS.length];
  return { path: `/api/v1/products/?category=category-${cat}&min_price=${min}&max_price=${max}&in_stock=true` };
};
const bearer = (token) => ({ authorization: `Bearer ${token}` });
export const warmupSeconds = (opts) => (opts.quick ? 0.75 : 2);

/** Cached scenarios first request each of their `keys` distinct URLs once: the timed part starts with a full cache. */
async function fillCache(ctx, label, baseUrl, make, keys) {
  await runLoad({ label: `${label} (filling the cache)`, baseUrl, make, connections: ctx.opts.connections, amount: keys });
}

function loadScenario({ key, label, server, note, make, warm = true, keys = 0, routes = [], prepare }) {
  return {
    key,
    label,
    server,
    kind: 'load',
    async run(ctx) {
      const baseUrl = ctx.urls[server];
      for (const [method, path] of routes) await requireRoute(baseUrl, method, path);
      const prep = prepare ? await prepare(ctx, baseUrl) : {};
      const build = (i) => make(i, prep);
      if (keys) await fillCache(ctx, label, baseUrl, build, keys);
      const res = await runLoad({
        label,
        baseUrl,
        make: build,
        connections: ctx.opts.connections,
        duration: ctx.opts.duration,
        // JIT, connections and isolates warm up in the first seconds of the same closed loop, outside the window.
        warmup: warm ? warmupSeconds(ctx.opts) : 0,
        amount: prep.amount,
      });
      return { key, label, server, kind: 'load', note: typeof note === 'function' ? note(prep) : note, ...res };
    },
  };
}

const ceiling = (key, label) =>
  loadScenario({ key, label, server: 'ceiling', note: 'bench-only Hono Worker, `GET /` → tiny JSON', make: () => ({ path: '/' }) });

export const ceilingStart = ceiling('ceiling', 'ceiling (start)');
export const ceilingEnd = ceiling('ceiling', 'ceiling (end)');

export const measured = [
  loadScenario({
    key: 'pbkdf2',
    label: 'PBKDF2 alone',
    server: 'ceiling',
    note: 'bench-only route: one PBKDF2-SHA256 100k hash, the floor of a login',
    make: () => ({ method: 'POST', path: '/pbkdf2', body: { password: PASSWORD } }),
  }),
  loadScenario({
    key: 'list-cached',
    label: 'product list, cache warm',
    server: 'on',
    note: `pages 1–${PAGES} of 20, default ordering`,
    make: listPath,
    keys: PAGES,
    routes: [['GET', '/api/v1/products/']],
  }),
  loadScenario({
    key: 'detail-cached',
    label: 'product detail, cache warm',
    server: 'on',
    note: `products 1–${DETAIL_IDS}`,
    make: detailPath,
    keys: DETAIL_IDS,
    routes: [['GET', '/api/v1/products/1/']],
  }),
  loadScenario({ key: 'list-uncached', label: 'product list, cache off', server: 'off', note: `pages 1–${PAGES} of 20, default ordering`, make: listPath, routes: [['GET', '/api/v1/products/']] }),
  loadScenario({ key: 'detail-uncached', label: 'product detail, cache off', server: 'off', note: `products 1–${DETAIL_IDS}`, make: detailPath, routes: [['GET', '/api/v1/products/1/']] }),
  loadScenario({
    key: 'filtered',
    label: 'filtered list, cache off',
    server: 'off',
    note: 'category + min/max price + in_stock=true, 50 combinations',
    make: filteredPath,
    routes: [['GET', '/api/v1/products/']],
  }),
  loadScenario({
    key: 'search',
    label: 'search, cache off',
    server: 'off',
    // Each term is in exactly one product: the cost must stay flat however large the catalog (--products).
    note: () => `search=<a word of one product>, 200 terms, ${PRODUCT_COUNT.toLocaleString('en')} products, relevance order`,
    make: (i) => ({ path: `/api/v1/products/?search=${codeWord((i % 200) + 1)}` }),
    routes: [['GET', '/api/v1/products/']],
  }),
  loadScenario({
    key: 'token',
    label: 'token (login)',
    server: 'on',
    note: `POST /token/, ${USER_COUNT} users in turn`,
    routes: [['POST', '/api/v1/token/']],
    make: (i) => ({ method: 'POST', path: '/api/v1/token/', body: { email: userEmail(i % USER_COUNT), password: PASSWORD } }),
  }),
  loadScenario({
    key: 'checkout',
    label: 'checkout (COD)',
    server: 'on',
    warm: false,
    note: (prep) => `${prep.amount} distinct users, 2-line carts prepared beforehand`,
    routes: [
      ['POST', '/api/v1/orders/'],
      ['POST', '/api/v1/cart/'],
      ['DELETE', '/api/v1/cart/'],
    ],
    // One checkout per prepared cart, so the run is bounded by count, not time (half the users with --quick).
    prepare: async (ctx, base) => {
      const tokens = (await ctx.tokens()).slice(0, ctx.opts.quick ? USER_COUNT / 2 : USER_COUNT);
      const stocked = stockedProducts();
      // Carts start empty in a fresh state; only a scenario that ran before this one makes emptying them necessary.
      const dirty = ctx.cartsTouched;
      ctx.cartsTouched = true;
      await mapLimit(tokens, 32, async (token, u) => {
        if (dirty) await must('empty cart', base, 'DELETE', '/api/v1/cart/', { token });
        for (const k of [0, 1]) {
          const product_id = stocked[(2 * u + k) % stocked.length];
          await must('fill cart', base, 'POST', '/api/v1/cart/', { token, body: { product_id, quantity: 1 } });
        }
      });
      return { amount: tokens.length, tokens };
    },
    make: (i, prep) => ({
      method: 'POST',
      path: '/api/v1/orders/',
      headers: bearer(prep.tokens[i % prep.tokens.length]),
      body: { shipping_address: SHIPPING_ADDRESS, payment_method: 'cod' },
    }),
  }),
  loadScenario({
    key: 'cart-add',
    label: 'cart add',
    server: 'on',
    note: `POST /cart/, ${USER_COUNT} users in turn`,
    routes: [['POST', '/api/v1/cart/']],
    prepare: async (ctx) => {
      ctx.cartsTouched = true;
      return { tokens: await ctx.tokens(), stocked: stockedProducts() };
    },
    // Consecutive requests belong to different users; each user cycles through 10 products of its own.
    make: (i, prep) => {
      const u = i % USER_COUNT;
      const k = Math.floor(i / USER_COUNT) % 10;
      const product_id = prep.stocked[(u * 10 + k) % prep.stocked.length];
      return { method: 'POST', path: '/api/v1/cart/', headers: bearer(prep.tokens[u]), body: { product_id, quantity: 1 } };
    },
  }),
];

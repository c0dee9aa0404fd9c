/**
 * The two correctness scenarios, reported as counts: `oversell` (200 buyers of a product with 10 in stock
 * check out at the same instant) and `lost_update` (one user, 100 concurrent "add 1"). Final stock and order
 * counts are read from D1 itself after the servers stop (`groundTruthSql`), not inferred from status codes.
 */
import { FLASH_BUYERS, FLASH_ID, FLASH_STOCK, OVERSELL_ID, OVERSELL_STOCK, USER_COUNT, stockedProducts } from './dataset.mjs';
import { api, benchTokens, mapLimit, must, requireRoute } from './client.mjs';
import { SHIPPING_ADDRESS } from './scenarios.mjs';

const LOST_UPDATE_ADDS = 100;

/** `api` that reports a request that failed or timed out as a status instead of throwing. */
const attempt = (...args) => api(...args).catch((e) => ({ status: /no answer within/.test(e.message) ? 'no answer' : 'socket error' }));

/** Answers by status; an error answer with a problem `code` other than the expected 409 counts as "503 service_unavailable". */
const tally = (responses) => {
  const byStatus = {};
  for (const r of responses) {
    const code = r.status >= 400 && r.json?.code && r.json.code !== 'insufficient_stock' ? ` ${r.json.code}` : '';
    byStatus[`${r.status}${code}`] = (byStatus[`${r.status}${code}`] ?? 0) + 1;
  }
  return byStatus;
};
const statusText = (byStatus) =>
  Object.entries(byStatus)
    .map(([s, n]) => `${n}× ${s}`)
    .join(', ');

export const oversell = {
  key: 'oversell',
  label: 'oversell',
  server: 'on',
  kind: 'count',
  async run(ctx) {
    const base = ctx.urls.on;
    for (const [m, p] of [
      ['POST', '/api/v1/orders/'],
      ['POST', '/api/v1/cart/'],
      ['DELETE', '/api/v1/cart/'],
    ])
      await requireRoute(base, m, p);
    const tokens = await ctx.tokens();
    ctx.cartsTouched = true;
    // Every buyer's cart holds exactly one unit of the scarce product.
    await mapLimit(tokens, 32, async (token) => {
      await must('empty cart', base, 'DELETE', '/api/v1/cart/', { token });
      await must('fill cart', base, 'POST', '/api/v1/cart/', { token, body: { product_id: OVERSELL_ID, quantity: 1 } });
    });
    // All checkouts at once: one connection per buyer, released together.
    const responses = await Promise.all(
      tokens.map((token) => attempt(base, 'POST', '/api/v1/orders/', { token, body: { shipping_address: SHIPPING_ADDRESS, payment_method: 'cod' } })),
    );
    const byStatus = tally(responses);
    return {
      key: 'oversell',
      label: 'oversell',
      server: 'on',
      kind: 'count',
      created: byStatus[201] ?? 0,
      statuses: byStatus,
      expected: `${OVERSELL_STOCK} orders, final stock 0`,
      // Completed from D1 by `applyGroundTruth` once the servers have stopped.
      summary: `${tokens.length} buyers, stock ${OVERSELL_STOCK}: ${statusText(byStatus)}`,
    };
  },
};

/**
 * `flash-sale`: 1,000 buyers (users of their own, carts filled beforehand with one unit each) check out the one
 * product that has 100 units, all at the same instant. Exactly 100 orders, stock 0, and every other buyer a clean
 * 409 `insufficient_stock`; the rate is buyers answered per second from the first request to the last answer.
 */
export const flashSale = {
  key: 'flash-sale',
  label: 'flash_sale',
  server: 'on',
  kind: 'count',
  async run(ctx) {
    const base = ctx.urls.on;
    for (const [m, p] of [
      ['POST', '/api/v1/orders/'],
      ['POST', '/api/v1/cart/'],
    ])
      await requireRoute(base, m, p);
    const tokens = await benchTokens(base, ctx.jwt, { from: USER_COUNT, count: FLASH_BUYERS });
    await mapLimit(tokens, 32, (token) => must('fill cart', base, 'POST', '/api/v1/cart/', { token, body: { product_id: FLASH_ID, quantity: 1 } }));
    const started = performance.now();
    const responses = await Promise.all(
      tokens.map((token) => attempt(base, 'POST', '/api/v1/orders/', { token, body: { shipping_address: SHIPPING_ADDRESS, payment_method: 'cod' } })),
    );
    const seconds = (performance.now() - started) / 1000;
    const byStatus = tally(responses);
    const clean409 = responses.filter((r) => r.status === 409 && r.json?.code === 'insufficient_stock').length;
    return {
      key: 'flash-sale',
      label: 'flash_sale',
      server: 'on',
      kind: 'count',
      created: byStatus[201] ?? 0,
      clean409,
      statuses: byStatus,
      seconds,
      rate: FLASH_BUYERS / seconds,
      expected: `${FLASH_STOCK} orders, final stock 0, ${FLASH_BUYERS - FLASH_STOCK} × 409`,
      summary: `${FLASH_BUYERS} buyers at once, stock ${FLASH_STOCK}: ${statusText(byStatus)} (${clean409} × 409 insufficient_stock) in ${seconds.toFixed(1)} s = ${(FLASH_BUYERS / seconds).toFixed(0)} checkouts/s`,
    };
  },
};

export const lostUpdate = {
  key: 'lost-update',
  label: 'lost_update',
  server: 'on',
  kind: 'count',
  async run(ctx) {
    const base = ctx.urls.on;
    for (const [m, p] of [
      ['POST', '/api/v1/cart/'],
      ['GET', '/api/v1/cart/'],
      ['DELETE', '/api/v1/cart/'],
    ])
      await requireRoute(base, m, p);
    const token = (await ctx.tokens())[USER_COUNT - 1];
    ctx.cartsTouched = true;
    const productId = stockedProducts()[500];
    await must('empty cart', base, 'DELETE', '/api/v1/cart/', { token });
    const responses = await Promise.all(
      Array.from({ length: LOST_UPDATE_ADDS }, () => attempt(base, 'POST', '/api/v1/cart/', { token, body: { product_id: productId, quantity: 1 } })),
    );
    const cart = await must('read cart', base, 'GET', '/api/v1/cart/', { token });
    const line = (cart.json?.items ?? []).find((it) => it.product?.id === productId);
    const quantity = line?.quantity ?? 0;
    const byStatus = tally(responses);
    return {
      key: 'lost-update',
      label: 'lost_update',
      server: 'on',
      kind: 'count',
      statuses: byStatus,
      expected: `quantity ${LOST_UPDATE_ADDS}`,
      result: `quantity ${quantity}`,
      pass: quantity === LOST_UPDATE_ADDS,
      summary: `1 user, ${LOST_UPDATE_ADDS} concurrent adds of 1: ${statusText(byStatus)}; final quantity ${quantity}`,
    };
  },
};

/** One read of D1 after the run: the oversold product's stock and orders, and all orders written. */
export const groundTruthSql = `SELECT (SELECT stock FROM products WHERE id = ${OVERSELL_ID}) AS oversell_stock, (SELECT count(DISTINCT order_id) FROM order_items WHERE product_id = ${OVERSELL_ID}) AS oversell_orders, (SELECT stock FROM products WHERE id = ${FLASH_ID}) AS flash_stock, (SELECT count(DISTINCT order_id) FROM order_items WHERE product_id = ${FLASH_ID}) AS flash_orders, (SELECT count(*) FROM orders) AS orders_total`;

export function applyGroundTruth(truth, rows) {
  const over = rows.find((r) => r.key === 'oversell' && r.kind === 'count');
  if (over && truth) {
    over.result = `${truth.oversell_orders} orders, final stock ${truth.oversell_stock}`;
    over.pass = truth.oversell_orders === OVERSELL_STOCK && truth.oversell_stock === 0 && over.created === OVERSELL_STOCK;
    over.summary += `; in D1: ${over.result}`;
  } else if (over) {
    over.result = `${over.created} × 201 (D1 not readable)`;
    over.pass = false;
  }
  const flash = rows.find((r) => r.key === 'flash-sale' && !r.na);
  if (flash && truth) {
    flash.result = `${truth.flash_orders} orders, final stock ${truth.flash_stock}, ${flash.clean409} × 409`;
    flash.pass =
      truth.flash_orders === FLASH_STOCK && truth.flash_stock === 0 && flash.created === FLASH_STOCK && flash.clean409 === FLASH_BUYERS - FLASH_STOCK;
    flash.summary += `; in D1: ${truth.flash_orders} orders, final stock ${truth.flash_stock}`;
  } else if (flash) {
    flash.result = `${flash.created} × 201 (D1 not readable)`;
    flash.pass = false;
  }
  const checkout = rows.find((r) => r.key === 'checkout' && r.kind === 'load');
  if (checkout && truth) {
    // Every 201 of the checkout, oversell and flash-sale scenarios must be exactly one order row in D1.
    const answered = (checkout.statuses?.[201] ?? 0) + (over?.created ?? 0) + (flash?.created ?? 0);
    checkout.note += `; D1 holds ${truth.orders_total} orders for ${answered} × 201`;
    checkout.ordersMatch = truth.orders_total === answered;
  }
}

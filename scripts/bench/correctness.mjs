/**
 * The two correctness scenarios, reported as counts: `oversell` (200 buyers of a product with 10 in stock
 * check out at the same instant) and `lost_update` (one user, 100 concurrent "add 1"). Final stock and order
 * counts are read from D1 itself after the servers stop (`groundTruthSql`), not inferred from status codes.
 */
import { OVERSELL_ID, OVERSELL_STOCK, USER_COUNT, stockedProducts } from './dataset.mjs';
import { api, mapLimit, must, requireRoute } from './client.mjs';
import { SHIPPING_ADDRESS } from './scenarios.mjs';

const LOST_UPDATE_ADDS = 100;

/** `api` that reports a request that failed or timed out as a status instead of throwing. */
const attempt = (...args) => api(...args).catch((e) => ({ status: /no answer within/.test(e.message) ? 'no answer' : 'socket error' }));

const tally = (responses) => {
  const byStatus = {};
  for (const r of responses) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
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
export const groundTruthSql = `SELECT (SELECT stock FROM products WHERE id = ${OVERSELL_ID}) AS oversell_stock, (SELECT count(DISTINCT order_id) FROM order_items WHERE product_id = ${OVERSELL_ID}) AS oversell_orders, (SELECT count(*) FROM orders) AS orders_total`;

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
  const checkout = rows.find((r) => r.key === 'checkout' && r.kind === 'load');
  if (checkout && truth) {
    // Every 201 of the checkout and oversell scenarios must be exactly one order row in D1.
    const answered = (checkout.statuses?.[201] ?? 0) + (over?.created ?? 0);
    checkout.note += `; D1 holds ${truth.orders_total} orders for ${answered} × 201`;
    checkout.ordersMatch = truth.orders_total === answered;
  }
}

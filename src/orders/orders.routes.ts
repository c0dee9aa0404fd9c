/**
 * Orders routes (API.md "Orders"): checkout (delegated to the caller's cart Durable Object), own orders, and
 * cancellation through the status machine.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../env';
import { cartOf, settle } from '../cart/cart.routes';
import { currentUser, requireUser } from '../http/auth';
import { describe } from '../http/openapi';
import { pageOf, paginate } from '../http/pagination';
import { jsonBody, params, query } from '../http/validate';
import { assertPaymentMethodAvailable, bodyFingerprint, idempotencyKey } from './checkout-request';
import { changeStatus, getOrder, listOrders } from './orders.service';
import { CheckoutBody, OrderParams, OrderView, OrdersQuery, orderView } from './orders.schemas';

export const ordersRoutes = new Hono<AppEnv>({ strict: false });
const API = '/api/v1';
const ORDER = `${API}/orders/:id{[0-9]+}`;

const orderUrl = (c: Context<AppEnv>, id: number) => `${new URL(c.req.url).origin}${API}/orders/${id}/`;

describe({
  method: 'post', path: `${API}/orders/`, tag: 'Orders', summary: 'Check out the cart', auth: 'bearer', body: CheckoutBody,
  description:
    'Places an order for the whole cart at current prices in ONE all-or-nothing D1 batch (order, items, stock decrements, history), then empties the cart. ' +
    'Every short line is listed in a 409 `insufficient_stock` (archived products count as 0 available) and nothing is written. ' +
    'An `Idempotency-Key` is remembered for 24 h: the same body answers the same order with `Idempotent-Replayed: true`; another body is a 422. Shipping is free (`shipping_total` "0.00").',
  headers: { 'Idempotency-Key': '1..255 printable ASCII characters; makes retries safe' },
  responses: { 201: { description: 'The order (also for a replay)', schema: OrderView } },
  errors: ['cart_empty', 'insufficient_stock', 'idempotency_key_reused', 'malformed_json', 'internal_error', 'service_unavailable'],
});
ordersRoutes.post(`${API}/orders`, requireUser, jsonBody(CheckoutBody), async (c) => {
  const body = c.req.valid('json');
  assertPaymentMethodAvailable(body.payment_method, Boolean(c.get('config').stripe));
  const key = idempotencyKey(c.req.header('Idempotency-Key'));
  const user = currentUser(c);
  const idempotency = key ? { key, fingerprint: await bodyFingerprint(body) } : undefined;
  const r = settle(c, await cartOf(c).checkout({ userId: user.id, body, idempotency, requestId: c.get('requestId') }));
  const order = r.replayed ? await getOrder(c.get('db'), r.orderId, user.id) : r.order;
  const headers: Record<string, string> = { Location: orderUrl(c, order.id) };
  if (r.replayed) headers['Idempotent-Replayed'] = 'true';
  return c.json(orderView(order), 201, headers);
});

describe({
  method: 'get', path: `${API}/orders/`, tag: 'Orders', summary: 'The caller’s orders, newest first', auth: 'bearer', query: OrdersQuery,
  responses: { 200: { description: 'Page of orders', schema: pageOf(OrderView) } },
});
ordersRoutes.get(`${API}/orders`, requireUser, query(OrdersQuery), async (c) => {
  const { page, page_size, status } = c.req.valid('query');
  const { count, records } = await listOrders(c.get('db'), { userId: currentUser(c).id, status }, { page, page_size });
  return c.json(paginate(c.req.url, { page, page_size }, count, records.map(orderView)));
});

describe({
  method: 'get', path: `${API}/orders/:id/`, tag: 'Orders', summary: 'One of the caller’s orders', auth: 'bearer', params: OrderParams,
  responses: { 200: { description: 'Order', schema: OrderView } }, errors: ['not_found'],
});
ordersRoutes.get(ORDER, requireUser, params(OrderParams), async (c) =>
  c.json(orderView(await getOrder(c.get('db'), c.req.valid('param').id, currentUser(c).id))),
);

describe({
  method: 'post', path: `${API}/orders/:id/cancel/`, tag: 'Orders', summary: 'Cancel an order (pending or confirmed)', auth: 'bearer', params: OrderParams,
  description: 'The status change, its history row and the stock given back are one D1 batch.',
  responses: { 200: { description: 'The cancelled order', schema: OrderView } }, errors: ['not_found', 'invalid_status_transition'],
});
ordersRoutes.post(`${ORDER}/cancel`, requireUser, params(OrderParams), async (c) => {
  const user = currentUser(c);
  const order = await changeStatus(c.get('db'), c.req.valid('param').id, 'cancelled', { userId: user.id, role: 'customer' }, user.id);
  return c.json(orderView(order));
});

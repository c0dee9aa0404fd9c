/**
 * Orders routes (API.md "Orders"): checkout (delegated to the caller's cart Durable Object), own orders, and
 * cancellation through the status machine.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { currentUser } from '../http/auth';
import { callerCart } from '../http/cart-object';
import { pageOf, paginate } from '../http/pagination';
import { defineRoute } from '../http/route';
import { unwrapRpcResult } from '../http/rpc-result';
import { assertPaymentMethodAvailable, bodyFingerprint, IdempotencyHeaders } from './checkout-request';
import { paymentHooks } from '../payments/refund';
import { publishOrderStatusEvents, publishRefundIssued, statusEventOf } from './order-events';
import { cancelOwnOrder, getOrder, listOrders } from './orders.service';
import { CheckoutBody, OrderParams, OrderView, OrdersQuery, orderView } from './orders.schemas';

const API = '/api/v1';
const ORDER = `${API}/orders/:id{[0-9]+}`;

const orderUrl = (c: Context<AppEnv>, id: number) => `${new URL(c.req.url).origin}${API}/orders/${id}/`;

export const ordersRoutes = [
  defineRoute({
    // The account's existence and active flag are checked inside the checkout batch itself (ONE round trip).
    method: 'post', path: `${API}/orders/`, auth: 'customer', check: 'token', tag: 'Orders', summary: 'Check out the cart',
    description:
      'Places an order for the whole cart at current prices in ONE all-or-nothing D1 batch (order, items, stock decrements, history), then empties the cart. ' +
      'Every short line is listed in a 409 `insufficient_stock` (archived products count as 0 available) and nothing is written. ' +
      'An `Idempotency-Key` is remembered for 24 h: the same body answers the same order with `Idempotent-Replayed: true`; another body is a 422. Shipping is free (`shipping_total` "0.00").',
    request: { body: CheckoutBody, headers: IdempotencyHeaders },
    responses: { 201: { description: 'The order (also for a replay)', schema: OrderView } },
    errors: ['cart_empty', 'insufficient_stock', 'too_many_open_orders', 'idempotency_key_reused', 'malformed_json', 'internal_error', 'service_unavailable'],
    handler: async (c, { body, headers }) => {
      assertPaymentMethodAvailable(body.payment_method, Boolean(c.get('config').stripe));
      const key = headers['Idempotency-Key'];
      const user = currentUser(c);
      const idempotency = key ? { key, fingerprint: await bodyFingerprint(body) } : undefined;
      const r = unwrapRpcResult(c, await callerCart(c).checkout({ userId: user.id, body, idempotency, requestId: c.get('requestId'), maxOpenCodOrders: c.get('config').maxOpenCodOrders }));
      const order = r.replayed ? await getOrder(c.get('db'), r.orderId, user.id) : r.order;
      const responseHeaders: Record<string, string> = { Location: orderUrl(c, order.id) };
      if (r.replayed) responseHeaders['Idempotent-Replayed'] = 'true';
      else await publishOrderStatusEvents(c.env, [statusEventOf(order)]);
      return c.json(orderView(order), 201, responseHeaders);
    },
  }),

  defineRoute({
    method: 'get', path: `${API}/orders/`, auth: 'customer', tag: 'Orders', summary: 'The caller’s orders, newest first',
    request: { query: OrdersQuery },
    responses: { 200: { description: 'Page of orders', schema: pageOf(OrderView) } },
    handler: async (c, { query }) => {
      const { page, page_size, status } = query;
      const { count, records } = await listOrders(c.get('db'), { userId: currentUser(c).id, status }, { page, page_size });
      return c.json(paginate(c.req.url, { page, page_size }, count, records.map(orderView)));
    },
  }),

  defineRoute({
    method: 'get', path: `${ORDER}/`, auth: 'customer', tag: 'Orders', summary: 'One of the caller’s orders',
    request: { params: OrderParams },
    responses: { 200: { description: 'Order', schema: OrderView } },
    errors: ['not_found'],
    handler: async (c, { params }) => c.json(orderView(await getOrder(c.get('db'), params.id, currentUser(c).id))),
  }),

  defineRoute({
    // The account is checked inside the cancel batch (ONE round trip for an unpaid cod order).
    method: 'post', path: `${ORDER}/cancel/`, auth: 'customer', check: 'token', tag: 'Orders', summary: 'Cancel an order (pending or confirmed)',
    description:
      'The status change, its history row and the stock given back are one D1 batch. A paid card order is refunded through Stripe BEFORE that batch ' +
      '(the answer shows `payment_status: "refunded"`); if Stripe fails the answer is 502 `payment_error`, the order is unchanged and a retry is safe.',
    request: { params: OrderParams },
    responses: { 200: { description: 'The cancelled order', schema: OrderView } },
    errors: ['not_found', 'invalid_status_transition', 'payment_error'],
    handler: async (c, { params }) => {
      const db = c.get('db');
      const order = await cancelOwnOrder(db, params.id, currentUser(c).id, paymentHooks(db, c.get('config')));
      await publishOrderStatusEvents(c.env, [statusEventOf(order)]);
      if (order.paymentStatus === 'refunded') await publishRefundIssued(c.env, [order.id]);
      return c.json(orderView(order));
    },
  }),
];

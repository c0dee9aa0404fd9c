/**
 * Admin order routes (API.md "Admin", mounted under /api/v1/admin where `requireAdmin` already guards them):
 * every order with filters, detail, status changes through the status machine, and deleting cancelled orders.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { currentUser } from '../http/auth';
import { describe } from '../http/openapi';
import { pageOf, paginate } from '../http/pagination';
import { jsonBody, params, query } from '../http/validate';
import { publishOrderStatusEvents, statusEventOf } from './order-events';
import { changeStatus, deleteOrder, getOrder, listOrders } from './orders.service';
import { AdminOrderView, AdminOrdersQuery, OrderParams, StatusPatchBody, adminOrderView } from './orders.schemas';

export const adminOrdersRoutes = new Hono<AppEnv>({ strict: false });
const ADMIN = '/api/v1/admin';
const ORDER = `${ADMIN}/orders/:id{[0-9]+}`;

describe({
  method: 'get', path: `${ADMIN}/orders/`, tag: 'Admin', summary: 'All orders, newest first', auth: 'admin', query: AdminOrdersQuery,
  description: '`search` matches part of the order number or of the customer email; date bounds are inclusive.',
  responses: { 200: { description: 'Page of orders', schema: pageOf(AdminOrderView) } },
});
adminOrdersRoutes.get(`${ADMIN}/orders`, query(AdminOrdersQuery), async (c) => {
  const q = c.req.valid('query');
  const page = { page: q.page, page_size: q.page_size };
  const filters = { status: q.status, userId: q.user_id, createdAfter: q.created_after, createdBefore: q.created_before, search: q.search || undefined };
  const { count, records } = await listOrders(c.get('db'), filters, page);
  return c.json(paginate(c.req.url, page, count, records.map(adminOrderView)));
});

describe({
  method: 'get', path: `${ADMIN}/orders/:id/`, tag: 'Admin', summary: 'One order', auth: 'admin', params: OrderParams,
  responses: { 200: { description: 'Order', schema: AdminOrderView } }, errors: ['not_found'],
});
adminOrdersRoutes.get(ORDER, params(OrderParams), async (c) => c.json(adminOrderView(await getOrder(c.get('db'), c.req.valid('param').id))));

describe({
  method: 'patch', path: `${ADMIN}/orders/:id/`, tag: 'Admin', summary: 'Change the status', auth: 'admin', params: OrderParams, body: StatusPatchBody,
  description: 'pending → confirmed → shipped → delivered; pending | confirmed → cancelled (stock restored in the same batch). Anything else: 409.',
  responses: { 200: { description: 'Order', schema: AdminOrderView } }, errors: ['not_found', 'invalid_status_transition', 'malformed_json'],
});
adminOrdersRoutes.patch(ORDER, params(OrderParams), jsonBody(StatusPatchBody), async (c) => {
  const admin = currentUser(c);
  const order = await changeStatus(c.get('db'), c.req.valid('param').id, c.req.valid('json').status, { userId: admin.id, role: 'admin' });
  await publishOrderStatusEvents(c.env, [statusEventOf(order)]);
  return c.json(adminOrderView(order));
});

describe({
  method: 'delete', path: `${ADMIN}/orders/:id/`, tag: 'Admin', summary: 'Delete a cancelled order', auth: 'admin', params: OrderParams,
  responses: { 204: { description: 'Deleted' } }, errors: ['not_found', 'invalid_status_transition'],
});
adminOrdersRoutes.delete(ORDER, params(OrderParams), async (c) => {
  await deleteOrder(c.get('db'), c.req.valid('param').id);
  return c.body(null, 204);
});

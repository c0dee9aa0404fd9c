/**
 * Admin order routes (API.md "Admin"): every order with filters, detail, status changes through the status
 * machine, and deleting cancelled orders.
 */
import { currentUser } from '../http/auth';
import { pageOf, paginate } from '../http/pagination';
import { defineRoute } from '../http/route';
import { paymentHooks } from '../payments/refund';
import { publishOrderStatusEvents, publishRefundIssued, statusEventOf } from './order-events';
import { changeStatus, deleteOrder, getOrder, listOrders } from './orders.service';
import { AdminOrderView, AdminOrdersQuery, OrderParams, StatusPatchBody, adminOrderView } from './orders.schemas';

const ADMIN = '/api/v1/admin';
const ORDER = `${ADMIN}/orders/:id{[0-9]+}/`;
const admin = { auth: 'admin' as const, tag: 'Admin' };

export const adminOrdersRoutes = [
  defineRoute({
    ...admin, method: 'get', path: `${ADMIN}/orders/`, summary: 'All orders, newest first',
    description: '`search` matches part of the order number or of the customer email; date bounds are inclusive.',
    request: { query: AdminOrdersQuery },
    responses: { 200: { description: 'Page of orders', schema: pageOf(AdminOrderView) } },
    handler: async (c, { query: q }) => {
      const page = { page: q.page, page_size: q.page_size };
      const filters = { status: q.status, userId: q.user_id, createdAfter: q.created_after, createdBefore: q.created_before, search: q.search || undefined };
      const { count, records } = await listOrders(c.get('db'), filters, page);
      return c.json(paginate(c.req.url, page, count, records.map(adminOrderView)));
    },
  }),

  defineRoute({
    ...admin, method: 'get', path: ORDER, summary: 'One order',
    request: { params: OrderParams },
    responses: { 200: { description: 'Order', schema: AdminOrderView } },
    errors: ['not_found'],
    handler: async (c, { params }) => c.json(adminOrderView(await getOrder(c.get('db'), params.id))),
  }),

  defineRoute({
    ...admin, method: 'patch', path: ORDER, summary: 'Change the status',
    description:
      'pending → confirmed → shipped → delivered; pending | confirmed → cancelled (stock restored in the same batch). Anything else: 409. ' +
      'Cancelling a paid card order refunds it through Stripe first (502 `payment_error` and nothing changed when Stripe fails).',
    request: { params: OrderParams, body: StatusPatchBody },
    responses: { 200: { description: 'Order', schema: AdminOrderView } },
    errors: ['not_found', 'invalid_status_transition', 'malformed_json', 'payment_error'],
    handler: async (c, { params, body }) => {
      const db = c.get('db');
      const order = await changeStatus(db, params.id, body.status, { userId: currentUser(c).id, role: 'admin' }, undefined, paymentHooks(db, c.get('config')));
      await publishOrderStatusEvents(c.env, [statusEventOf(order)]);
      if (order.status === 'cancelled' && order.paymentStatus === 'refunded') await publishRefundIssued(c.env, [order.id]);
      return c.json(adminOrderView(order));
    },
  }),

  defineRoute({
    ...admin, method: 'delete', path: ORDER, summary: 'Delete a cancelled order',
    request: { params: OrderParams },
    responses: { 204: { description: 'Deleted' } },
    errors: ['not_found', 'invalid_status_transition'],
    handler: async (c, { params }) => {
      await deleteOrder(c.get('db'), params.id);
      return c.body(null, 204);
    },
  }),
];

/** The order notifications socket (API.md "Real time"): one Durable Object per user holds the user's sockets. */
import * as z from 'zod/mini';
import { defineRoute } from '../http/route';
import { connectRequest } from './sockets';
import { assertUpgrade, connectInfoOf, SOCKET_CLOSE_CODES, socketAuthDoc, switchProtocols, tokenParam } from './upgrade';

const NON_NEGATIVE = 'must be a non-negative integer';

export const NotificationsSocketQuery = z.object({
  since: z
    .optional(
      z.coerce
        .number({ error: NON_NEGATIVE })
        .check(z.int(NON_NEGATIVE), z.gte(0, NON_NEGATIVE), z.lte(Number.MAX_SAFE_INTEGER, NON_NEGATIVE)),
    )
    .check(z.describe('Last `seq` the client saw: the missed events (of the last 100, kept 7 days) are sent first, in order')),
  token: tokenParam,
});

export const notificationsRoutes = [
  defineRoute({
    method: 'get', path: '/api/v1/notifications/ws/', auth: 'customer', socket: true, check: 'fresh',
    tag: 'Real time', summary: 'Order notifications (WebSocket)',
    description:
      `${socketAuthDoc} Every status change of the caller's orders (checkout, admin action, payment, cancellation, expiry) is pushed, after it ` +
      'committed, to all of the caller\'s open sockets as `{ "type": "order.status_changed", "seq", "order_id", "number", "status", "at" }`; ' +
      '`seq` increases per user. At most 10 sockets per user. ' + SOCKET_CLOSE_CODES,
    request: { query: NotificationsSocketQuery },
    responses: { 101: { description: 'Switching Protocols: the socket is open (replayed events first when `since` was given)' } },
    errors: ['upgrade_required', 'permission_denied'],
    handler: async (c, { query }) => {
      assertUpgrade(c);
      const info = connectInfoOf(c);
      const stub = c.env.NOTIFICATIONS.get(c.env.NOTIFICATIONS.idFromName(String(info.userId)));
      const since = query.since === undefined ? undefined : String(query.since);
      return switchProtocols(c, await stub.fetch(connectRequest(info, { since })));
    },
  }),
];

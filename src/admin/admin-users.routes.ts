/** Admin users and the admin dashboard stats (API.md "Admin": `/admin/users/`, `/admin/stats/`). */
import { currentUser } from '../http/auth';
import { pageOf, paginate } from '../http/pagination';
import { defineRoute } from '../http/route';
import { closeSocketsOf } from '../realtime/access';
import { UserView, userView } from '../users/users.schemas';
import { StatsQuery, StatsView } from './admin.schemas';
import { adminStats } from './stats.service';
import { AdminUserPatchBody, AdminUsersQuery, UserIdParams } from './users-admin.schemas';
import { listUsers, updateUser } from './users-admin.service';

const ADMIN = '/api/v1/admin';

export const adminUsersRoutes = [
  defineRoute({
    method: 'get', path: `${ADMIN}/users/`, auth: 'admin', tag: 'Admin', summary: 'All users, newest first',
    description: '`search` matches part of the email, first name or last name (case-insensitive); `role` and `is_active` filter.',
    request: { query: AdminUsersQuery },
    responses: { 200: { description: 'Page of users', schema: pageOf(UserView) } },
    handler: async (c, { query }) => {
      const page = { page: query.page, page_size: query.page_size };
      const { count, rows } = await listUsers(c.get('db'), query, page);
      return c.json(paginate(c.req.url, page, count, rows.map(userView)), 200, { 'Cache-Control': 'no-store' });
    },
  }),

  defineRoute({
    method: 'patch', path: `${ADMIN}/users/:id{[0-9]+}/`, auth: 'admin', tag: 'Admin', summary: 'Change a user’s role or active flag',
    description:
      'Deactivating revokes every refresh token of the user (same batch) and then closes the user’s open sockets (close code 4003); ' +
      'the user’s still-valid access tokens stop working on every write and admin route at once. Demoting an admin closes the ' +
      'conversation sockets they opened as staff. An admin cannot demote or deactivate themself: 409 `conflict`.',
    request: { params: UserIdParams, body: AdminUserPatchBody },
    responses: { 200: { description: 'The user', schema: UserView } },
    errors: ['not_found', 'conflict', 'malformed_json'],
    handler: async (c, { params, body }) => {
      const change = await updateUser(c.get('db'), currentUser(c).id, params.id, body);
      if (change.deactivated) await closeSocketsOf(c.env, change.user.id, 'all');
      else if (change.demoted) await closeSocketsOf(c.env, change.user.id, 'conversations');
      return c.json(userView(change.user), 200, { 'Cache-Control': 'no-store' });
    },
  }),

  defineRoute({
    method: 'get', path: `${ADMIN}/stats/`, auth: 'admin', tag: 'Admin', summary: 'Dashboard numbers',
    description:
      'Computed in ONE D1 batch of index-backed queries. Revenue counts orders that are not cancelled, card orders only once paid, by the UTC day ' +
      'the order was placed: `today`, `last_7_days` (today and the 6 days before), `last_30_days` (today and the 29 before). `revenue_by_day` has ' +
      'one point per UTC day of those 30, oldest first, zero-filled, with the revenue and the number of orders counted. `orders_by_status` lists ' +
      'every status. `low_stock`: active products with stock ≤ `low_stock_threshold`, lowest first, at most 20. `top_products`: the 10 products ' +
      'with the most units in the last 30 days (same counting rule). `customers`: accounts with the customer role, and those who joined in the last 30 days.',
    request: { query: StatsQuery },
    responses: { 200: { description: 'Stats', schema: StatsView } },
    handler: async (c, { query }) => {
      return c.json(await adminStats(c.get('db').$client, query.low_stock_threshold), 200, { 'Cache-Control': 'no-store' });
    },
  }),
];

/**
 * Customers and staff: search and filter, promote/demote, deactivate/reactivate, through the same service as
 * PATCH /admin/users/{id}/ (an admin cannot demote or deactivate themself). A deactivated or demoted user's
 * console sessions end at once and their live sockets are closed, as the API does.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { AppError } from '../../errors';
import { listUsers, updateUser } from '../../admin/users-admin.service';
import { closeSocketsOf } from '../../realtime/access';
import { consoleSession } from '../guard';
import { when } from '../format';
import { formFields, pageOf, pathId, queryOf, searchOf } from '../form';
import { badge, empty, filters, flash, frame, head, href, html, pager, postForm } from '../layout';
import { endSessionsOf } from '../session.service';
import { FLASH } from './flash';

type C = Context<AppEnv>;
const PAGE_SIZE = 25;

const ROLE_OPTIONS = [
  ['', 'Everyone'],
  ['customer', 'Customers'],
  ['admin', 'Staff (admins)'],
] as const;
const STATE_OPTIONS = [
  ['', 'Any'],
  ['active', 'Active'],
  ['inactive', 'Deactivated'],
] as const;

export async function usersPage(c: C, error?: string) {
  const s = consoleSession(c);
  const q = queryOf(c);
  const search = searchOf(q);
  const role = q.role === 'admin' || q.role === 'customer' ? q.role : undefined;
  const state = q.state === 'active' || q.state === 'inactive' ? q.state : undefined;
  const page = pageOf(q);
  const { count, rows } = await listUsers(
    c.get('db'),
    { search, role, is_active: state === undefined ? undefined : state === 'active', page, page_size: PAGE_SIZE },
    { page, page_size: PAGE_SIZE },
  );
  const filtered = Boolean(search || role || state);
  const body = html`${head('Customers & staff', 'Promote a trusted person to staff, or deactivate an account to lock it out everywhere.')}
${flash(error ?? FLASH[q.flash ?? ''], error ? 'bad' : 'ok')}
${filters('/users', { label: 'Name or email', value: search }, [
  { name: 'role', label: 'Role', options: ROLE_OPTIONS, value: role },
  { name: 'state', label: 'State', options: STATE_OPTIONS, value: state },
], filtered)}
<div class="card">${
    rows.length === 0
      ? empty(filtered ? 'Nobody matches these filters.' : 'No accounts yet.', filtered ? html`<a href="${href('/users')}">Show everyone</a>` : 'Accounts appear here when customers register.')
      : html`<table class="responsive"><thead><tr><th>Account</th><th>Joined</th><th>Role</th><th>State</th><th></th></tr></thead><tbody>
${rows.map((u) => {
  const name = `${u.firstName} ${u.lastName}`.trim();
  const form = (field: string, value: string, text: string, cls: string, confirm?: string) =>
    postForm(href(`/users/${u.id}`), s.csrf, html`<input type="hidden" name="${field}" value="${value}"><button type="submit" class="${cls}">${text}</button>`, { confirm });
  return html`<tr><td data-label="Account"><div>${name || html`<span class="muted">(no name)</span>`}<div class="muted">${u.email}</div></div></td>
<td data-label="Joined">${when(u.dateJoined)}</td>
<td data-label="Role">${u.role === 'admin' ? badge('Staff', 'confirmed') : badge('Customer')}</td>
<td data-label="State">${u.isActive ? badge('Active', 'ok') : badge('Deactivated', 'bad')}</td>
<td data-label="">${
    u.id === s.userId
      ? html`<span class="muted">That’s you</span>`
      : html`<div class="actions">${
          u.role === 'admin'
            ? form('role', 'customer', 'Demote', 'secondary small', `Remove staff access from ${u.email}?`)
            : form('role', 'admin', 'Make staff', 'secondary small', `Give ${u.email} full staff access?`)
        }${
          u.isActive
            ? form('is_active', 'false', 'Deactivate', 'danger small', `Deactivate ${u.email}? They are signed out everywhere.`)
            : form('is_active', 'true', 'Reactivate', 'secondary small')
        }</div>`
  }</td></tr>`;
})}
</tbody></table>${pager('/users', { search, role, state }, page, PAGE_SIZE, count)}`
  }</div>`;
  return c.html(frame({ title: 'Customers & staff', section: 'users', user: s }, body), error ? 409 : 200);
}

export async function updateUserSubmit(c: C) {
  const id = pathId(c, 'User');
  const f = await formFields(c);
  const role: 'admin' | 'customer' | undefined = f.role === 'admin' ? 'admin' : f.role === 'customer' ? 'customer' : undefined;
  const body = {
    ...(role ? { role } : {}),
    ...(f.is_active === 'true' || f.is_active === 'false' ? { is_active: f.is_active === 'true' } : {}),
  };
  const db = c.get('db');
  try {
    const change = await updateUser(db, consoleSession(c).userId, id, body);
    // The console session of a user who may no longer use it ends now; their sockets close as with the API.
    if (change.deactivated || change.demoted) await endSessionsOf(db, id);
    if (change.deactivated) await closeSocketsOf(c.env, id, 'all');
    else if (change.demoted) await closeSocketsOf(c.env, id, 'conversations');
  } catch (e) {
    if (e instanceof AppError && e.code === 'conflict') return usersPage(c, e.message);
    throw e;
  }
  const back = new URL(c.req.header('Referer') ?? '', new URL(c.req.url).origin);
  const q = back.pathname === href('/users') ? back.searchParams : new URLSearchParams();
  q.set('flash', 'user_saved');
  return c.redirect(`${href('/users')}?${q}`, 303);
}

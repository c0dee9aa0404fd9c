/**
 * Customers and staff: search and filter, promote/demote, deactivate/reactivate, through the same service as
 * PATCH /admin/users/{id}/ (an admin cannot demote or deactivate themself). A deactivated or demoted user's
 * console sessions end at once and their live sockets are closed, as the API does.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { AppError, notFound } from '../../errors';
import { listUsers, updateUser } from '../../admin/users-admin.service';
import { closeSocketsOf } from '../../realtime/access';
import { consoleSession } from '../guard';
import { when } from '../format';
import { formFields, queryOf } from '../form';
import { Badge, Empty, Flash, href, Page, Pager, PostForm } from '../layout';
import { endSessionsOf } from '../session.service';
import { FLASH } from './flash';

type C = Context<AppEnv>;
const PAGE_SIZE = 25;

export async function usersPage(c: C, error?: string) {
  const s = consoleSession(c);
  const q = queryOf(c);
  const search = q.search?.trim().slice(0, 200) || undefined;
  const role = q.role === 'admin' || q.role === 'customer' ? q.role : undefined;
  const state = q.state === 'active' || q.state === 'inactive' ? q.state : undefined;
  const page = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
  const { count, rows } = await listUsers(
    c.get('db'),
    { search, role, is_active: state === undefined ? undefined : state === 'active', page, page_size: PAGE_SIZE },
    { page, page_size: PAGE_SIZE },
  );
  const filtered = Boolean(search || role || state);
  return c.html(
    <Page title="Customers & staff" section="users" user={s}>
      <div class="head">
        <div>
          <h1>Customers &amp; staff</h1>
          <p class="sub">Promote a trusted person to staff, or deactivate an account to lock it out everywhere.</p>
        </div>
      </div>
      <Flash message={error ?? FLASH[q.flash ?? '']} kind={error ? 'bad' : 'ok'} />
      <form class="filters card" method="get" action={href('/users')} role="search">
        <div>
          <label for="q-search">Name or email</label>
          <input id="q-search" type="search" name="search" value={search ?? ''} />
        </div>
        <div>
          <label for="q-role">Role</label>
          <select id="q-role" name="role">
            <option value="">Everyone</option>
            <option value="customer" selected={role === 'customer'}>
              Customers
            </option>
            <option value="admin" selected={role === 'admin'}>
              Staff (admins)
            </option>
          </select>
        </div>
        <div>
          <label for="q-state">State</label>
          <select id="q-state" name="state">
            <option value="">Any</option>
            <option value="active" selected={state === 'active'}>
              Active
            </option>
            <option value="inactive" selected={state === 'inactive'}>
              Deactivated
            </option>
          </select>
        </div>
        <button type="submit" class="secondary">
          Apply
        </button>
        {filtered && (
          <a class="btn secondary" href={href('/users')}>
            Clear
          </a>
        )}
      </form>
      <div class="card">
        {rows.length === 0 ? (
          <Empty title={filtered ? 'Nobody matches these filters.' : 'No accounts yet.'}>
            <p>{filtered ? <a href={href('/users')}>Show everyone</a> : 'Accounts appear here when customers register.'}</p>
          </Empty>
        ) : (
          <>
            <table class="responsive">
              <thead>
                <tr>
                  <th>Account</th>
                  <th>Joined</th>
                  <th>Role</th>
                  <th>State</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                {rows.map((u) => {
                  const self = u.id === s.userId;
                  const name = `${u.firstName} ${u.lastName}`.trim();
                  return (
                    <tr>
                      <td data-label="Account">
                        <div>
                          {name || <span class="muted">(no name)</span>}
                          <div class="muted">{u.email}</div>
                        </div>
                      </td>
                      <td data-label="Joined">{when(u.dateJoined)}</td>
                      <td data-label="Role">{u.role === 'admin' ? <Badge kind="confirmed">Staff</Badge> : <Badge>Customer</Badge>}</td>
                      <td data-label="State">{u.isActive ? <Badge kind="ok">Active</Badge> : <Badge kind="bad">Deactivated</Badge>}</td>
                      <td data-label="">
                        {self ? (
                          <span class="muted">That’s you</span>
                        ) : (
                          <div class="actions">
                            <PostForm action={href(`/users/${u.id}`)} csrf={s.csrf} confirm={u.role === 'admin' ? `Remove staff access from ${u.email}?` : `Give ${u.email} full staff access?`}>
                              <input type="hidden" name="role" value={u.role === 'admin' ? 'customer' : 'admin'} />
                              <button type="submit" class="secondary small">
                                {u.role === 'admin' ? 'Demote' : 'Make staff'}
                              </button>
                            </PostForm>
                            <PostForm action={href(`/users/${u.id}`)} csrf={s.csrf} confirm={u.isActive ? `Deactivate ${u.email}? They are signed out everywhere.` : undefined}>
                              <input type="hidden" name="is_active" value={u.isActive ? 'false' : 'true'} />
                              <button type="submit" class={u.isActive ? 'danger small' : 'secondary small'}>
                                {u.isActive ? 'Deactivate' : 'Reactivate'}
                              </button>
                            </PostForm>
                          </div>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <Pager path="/users" query={{ search, role, state }} page={page} pageSize={PAGE_SIZE} count={count} />
          </>
        )}
      </div>
    </Page>,
    error ? 409 : 200,
  );
}

export async function updateUserSubmit(c: C) {
  const id = Number(c.req.param('id'));
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound('User');
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

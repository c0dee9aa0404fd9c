/**
 * Admin user management: the filtered list, and role / active changes. Deactivating revokes every refresh token
 * of the user in the same batch; closing the user's sockets is the route's follow-up once that has committed.
 */
import { and, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users, type UserRow } from '../db/schema';
import { AppError, notFound } from '../errors';
import { limitOffset, type PageRequest } from '../http/pagination';
import { nowIso } from '../lib/crypto';
import { revokeAllForUser } from '../users/tokens.service';
import type { AdminUserPatchBody, AdminUsersQuery } from './users-admin.schemas';

function whereOf(q: Pick<AdminUsersQuery, 'search' | 'role' | 'is_active'>): SQL | undefined {
  // instr(), not LIKE: D1 refuses LIKE patterns over 50 bytes, and instr() has no wildcards to escape.
  const term = q.search ? q.search.toLowerCase() : undefined;
  return and(
    q.role ? eq(users.role, q.role) : undefined,
    q.is_active !== undefined ? eq(users.isActive, q.is_active) : undefined,
    term
      ? sql`(instr(${users.email}, ${term}) > 0 OR instr(lower(${users.firstName}), ${term}) > 0 OR instr(lower(${users.lastName}), ${term}) > 0)`
      : undefined,
  );
}

/** A page of users, newest first, with the total: ONE D1 round trip. */
export async function listUsers(db: Db, q: AdminUsersQuery, page: PageRequest): Promise<{ count: number; rows: UserRow[] }> {
  const where = whereOf(q);
  const { limit, offset } = limitOffset(page);
  const [[total], rows] = await db.batch([
    db.select({ n: count() }).from(users).where(where),
    db.select().from(users).where(where).orderBy(desc(users.id)).limit(limit).offset(offset),
  ]);
  return { count: total.n, rows };
}

export interface UserChange {
  user: UserRow;
  /** The account went from active to deactivated with this change. */
  deactivated: boolean;
  /** The account lost the admin role with this change. */
  demoted: boolean;
}

/**
 * Changes a user's role and/or active flag. An admin cannot demote or deactivate themself (409): the shop would
 * risk losing its last admin, and the request would cut its own session off half-way.
 */
export async function updateUser(db: Db, actorId: number, id: number, body: AdminUserPatchBody): Promise<UserChange> {
  if (id === actorId && (body.role === 'customer' || body.is_active === false)) {
    const what = body.is_active === false ? 'deactivate' : 'demote';
    throw new AppError('conflict', `You cannot ${what} your own account; ask another admin to do it.`, {
      errors: [{ field: body.is_active === false ? 'is_active' : 'role', message: `cannot ${what} yourself` }],
    });
  }
  const changes = {
    ...(body.role !== undefined ? { role: body.role } : {}),
    ...(body.is_active !== undefined ? { isActive: body.is_active } : {}),
  };
  const read = db.select().from(users).where(eq(users.id, id));
  if (!Object.keys(changes).length) {
    const [row] = await read;
    if (!row) throw notFound('User');
    return { user: row, deactivated: false, demoted: false };
  }
  // One batch (one transaction): the row as it was, the change, and — when deactivating — the revocation of every
  // refresh token, so no new access token can be minted once the answer says "deactivated".
  const update = db.update(users).set({ ...changes, updatedAt: nowIso() }).where(eq(users.id, id)).returning();
  const [[before], [user]] = body.is_active === false ? await db.batch([read, update, revokeAllForUser(db, id)]) : await db.batch([read, update]);
  if (!before || !user) throw notFound('User');
  const deactivated = before.isActive && !user.isActive;
  return { user, deactivated, demoted: before.role === 'admin' && user.role !== 'admin' };
}

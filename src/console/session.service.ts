/**
 * Admin console sessions: the SQL of console_sessions in one place. The browser holds a random token in an
 * HttpOnly cookie; the database holds only its SHA-256, the owner, a per-session CSRF token and an absolute
 * expiry. Every request reads the session together with its user's CURRENT role and active flag, so a demoted or
 * deactivated admin loses the console on their next click, not when some token expires.
 */
import { and, eq, gt, lte } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client';
import { consoleSessions, users } from '../db/schema';
import { isoIn, nowIso, randomToken, sha256Hex } from '../lib/crypto';

/** Eight hours: a working day, after which the admin signs in again. */
export const SESSION_TTL_SECONDS = 8 * 60 * 60;

export interface ConsoleSession {
  sessionId: number;
  userId: number;
  email: string;
  name: string;
  role: 'customer' | 'admin';
  isActive: boolean;
  csrf: string;
  /** ISO time the session ends (also ends the live sockets it opened). */
  expiresAt: string;
}

/**
 * A new session for `userId` (not yet written: the caller batches `insert` with the login upkeep) and the
 * clear-text token for the cookie. Expired rows of the same user are swept in the same batch.
 */
export async function newSession(db: Db, userId: number) {
  const token = randomToken(32);
  const csrf = randomToken(24);
  const statements: [BatchItem<'sqlite'>, BatchItem<'sqlite'>] = [
    db.delete(consoleSessions).where(and(eq(consoleSessions.userId, userId), lte(consoleSessions.expiresAt, nowIso()))),
    db.insert(consoleSessions).values({ tokenHash: await sha256Hex(token), userId, csrfToken: csrf, expiresAt: isoIn(SESSION_TTL_SECONDS) }),
  ];
  return { token, statements };
}

/** The live session of a cookie token with its user's current role and state, or undefined. One query. */
export async function findSession(db: Db, token: string): Promise<ConsoleSession | undefined> {
  const [row] = await db
    .select({
      sessionId: consoleSessions.id,
      userId: users.id,
      email: users.email,
      firstName: users.firstName,
      lastName: users.lastName,
      role: users.role,
      isActive: users.isActive,
      csrf: consoleSessions.csrfToken,
      expiresAt: consoleSessions.expiresAt,
    })
    .from(consoleSessions)
    .innerJoin(users, eq(users.id, consoleSessions.userId))
    .where(and(eq(consoleSessions.tokenHash, await sha256Hex(token)), gt(consoleSessions.expiresAt, nowIso())));
  if (!row) return undefined;
  const name = `${row.firstName} ${row.lastName}`.trim() || row.email;
  return { sessionId: row.sessionId, userId: row.userId, email: row.email, name, role: row.role, isActive: row.isActive, csrf: row.csrf, expiresAt: row.expiresAt };
}

/** Logout (or a session whose user lost the right to it): the row goes, so the cookie is worthless. */
export async function endSession(db: Db, sessionId: number): Promise<void> {
  await db.delete(consoleSessions).where(eq(consoleSessions.id, sessionId));
}

/** Every session of a user (deactivation, demotion): they end now, not at expiry. */
export const endSessionsOf = (db: Db, userId: number) => db.delete(consoleSessions).where(eq(consoleSessions.userId, userId));

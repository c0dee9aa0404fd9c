/**
 * Refresh tokens and token pairs. Refresh tokens are opaque random strings stored only as SHA-256 hashes, in
 * families: every rotation keeps the family id, and presenting an already-rotated token is treated as theft,
 * revoking the whole family (including the token that replaced it).
 */
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { refreshTokens, users } from '../db/schema';
import type { AuthUser } from '../env';
import { AppError } from '../errors';
import { isoIn, nowIso, randomToken, sha256Hex } from '../lib/crypto';
import { signAccessToken } from './access-token';

export interface TokenDeps {
  db: Db;
  config: Config;
}

export interface TokenPair {
  access: string;
  refresh: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_expires_in: number;
}

const invalid = () => new AppError('token_invalid', 'The refresh token is invalid, expired or revoked.');

/** A new refresh token row (not yet written) and its clear-text value. */
export async function newRefreshToken(deps: TokenDeps, userId: number, familyId = crypto.randomUUID()) {
  const token = randomToken(32);
  const insert = deps.db.insert(refreshTokens).values({
    userId,
    tokenHash: await sha256Hex(token),
    familyId,
    expiresAt: isoIn(deps.config.jwt.refreshTtl),
  });
  return { token, insert };
}

export async function tokenPair(deps: TokenDeps, user: AuthUser, refresh: string): Promise<TokenPair> {
  return {
    access: await signAccessToken(deps.config.jwt, user),
    refresh,
    token_type: 'Bearer',
    expires_in: deps.config.jwt.accessTtl,
    refresh_expires_in: deps.config.jwt.refreshTtl,
  };
}

/** Revokes every live refresh token of a user (password change, reset, deactivation). */
export const revokeAllForUser = (db: Db, userId: number) =>
  db.update(refreshTokens).set({ revokedAt: nowIso() }).where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));

const revokeFamily = (db: Db, familyId: string) =>
  db.update(refreshTokens).set({ revokedAt: nowIso() }).where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));

/**
 * Rotation: the presented token stops working and a new one of the same family is issued. The replacement's
 * insert and the claim of the old token are ONE batch (a D1 transaction no other request interleaves with):
 * the insert copies the old row only while it is live and unclaimed, and the claim follows it. So a new token
 * exists exactly when its claim committed, and a reuse detected at any later moment revokes it with its family —
 * there is no window in which a thief's replacement is not yet written when the family is revoked.
 */
export async function rotateRefreshToken(deps: TokenDeps, presented: string): Promise<TokenPair> {
  const { db } = deps;
  const hash = await sha256Hex(presented);
  const now = nowIso();
  const next = randomToken(32);
  const live = and(eq(refreshTokens.tokenHash, hash), isNull(refreshTokens.rotatedAt), isNull(refreshTokens.revokedAt), gt(refreshTokens.expiresAt, now));
  const [, claimed, owner] = await db.batch([
    db.insert(refreshTokens).select(
      db
        // insert…select names every column of the table, in order.
        .select({
          id: sql<number>`NULL`.as('id'),
          userId: refreshTokens.userId,
          tokenHash: sql<string>`${await sha256Hex(next)}`.as('token_hash'),
          familyId: refreshTokens.familyId,
          expiresAt: sql<string>`${isoIn(deps.config.jwt.refreshTtl)}`.as('expires_at'),
          rotatedAt: sql<string>`NULL`.as('rotated_at'),
          revokedAt: sql<string>`NULL`.as('revoked_at'),
          createdAt: sql<string>`${now}`.as('created_at'),
        })
        .from(refreshTokens)
        .innerJoin(users, eq(users.id, refreshTokens.userId))
        .where(and(live, eq(users.isActive, true))),
    ),
    db.update(refreshTokens).set({ rotatedAt: now }).where(live).returning({ familyId: refreshTokens.familyId }),
    db
      .select({ id: users.id, role: users.role, isActive: users.isActive, rotatedAt: refreshTokens.rotatedAt, familyId: refreshTokens.familyId })
      .from(refreshTokens)
      .innerJoin(users, eq(users.id, refreshTokens.userId))
      .where(eq(refreshTokens.tokenHash, hash)),
  ]);
  const row = claimed[0];
  const user = owner[0];
  if (!row || !user) {
    // A token that was already rotated is being replayed: assume it was stolen and revoke its family, the
    // replacement included (it was written in the same batch as the claim, so it exists by now).
    if (user?.rotatedAt) await revokeFamily(db, user.familyId);
    throw invalid();
  }
  if (!user.isActive) {
    // Claimed but not replaced (the insert requires an active account): end the family.
    await revokeFamily(db, row.familyId);
    throw invalid();
  }
  return tokenPair(deps, { id: user.id, role: user.role }, next);
}

/** Logout: revokes the presented token's family if it belongs to the caller. Repeating it is harmless. */
export async function revokeRefreshToken(deps: TokenDeps, userId: number, presented: string): Promise<void> {
  const hash = await sha256Hex(presented);
  const rows = await deps.db
    .select({ familyId: refreshTokens.familyId })
    .from(refreshTokens)
    .where(and(eq(refreshTokens.tokenHash, hash), eq(refreshTokens.userId, userId)));
  if (!rows[0]) throw invalid();
  await revokeFamily(deps.db, rows[0].familyId);
}

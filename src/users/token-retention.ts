/**
 * Data retention of credentials: refresh tokens past their expiry and password-reset tokens that expired or
 * were used are deleted (only hashes are stored, but a hash of a dead credential has no reason to be kept).
 * An expired refresh token is refused by rotation anyway, so pruning it loses no reuse detection.
 * Meant for the cron (`scheduled`) handler; one D1 batch.
 */
import { isNotNull, lt, or } from 'drizzle-orm';
import type { Db } from '../db/client';
import { passwordResetTokens, refreshTokens } from '../db/schema';

export async function pruneExpiredTokens(db: Db, now = new Date()): Promise<{ refresh: number; reset: number }> {
  const at = now.toISOString();
  const [refresh, reset] = await db.batch([
    db.delete(refreshTokens).where(lt(refreshTokens.expiresAt, at)).returning({ id: refreshTokens.id }),
    db
      .delete(passwordResetTokens)
      .where(or(lt(passwordResetTokens.expiresAt, at), isNotNull(passwordResetTokens.usedAt)))
      .returning({ id: passwordResetTokens.id }),
  ]);
  return { refresh: refresh.length, reset: reset.length };
}

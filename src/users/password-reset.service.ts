/**
 * Password reset (API.md "Users and tokens"). `forgot` does the same work for every address — two rate-limit
 * checks and one queue message — and answers the same 202; looking the account up, issuing the token and
 * emailing it happen later in the email queue's consumer (`issuePasswordReset`), so neither the answer nor its
 * timing can tell whether an account exists. A token is 32 random bytes, stored only as its SHA-256, valid one
 * hour and single use; issuing one retires every older token of that user.
 */
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { passwordResetTokens, refreshTokens, users } from '../db/schema';
import { AppError } from '../errors';
import { isoIn, nowIso, randomToken, sha256Hex } from '../lib/crypto';
import { clearLoginFailuresStatement } from './login-guard';
import { hashPassword } from './password';
import { assertNewPassword } from './password-rules';

export const RESET_TOKEN_TTL_SECONDS = 60 * 60;
/** The period of the PASSWORD_RL / PASSWORD_EMAIL_RL bindings in wrangler.toml (a binding cannot report it). */
export const RESET_RATE_WINDOW_SECONDS = 60;

export interface ResetLimiters {
  /** Per client address. */
  client?: RateLimit;
  /** Per email (forgot) or per account (reset). */
  email?: RateLimit;
}

const rateLimited = () =>
  new AppError('rate_limited', 'Too many password reset requests. Try again later.', { headers: { 'Retry-After': String(RESET_RATE_WINDOW_SECONDS) } });

/** Spends one unit of each applicable budget; both are always asked, so the work does not depend on the answer. */
export async function checkResetRate(limiters: ResetLimiters, clientKey: string, emailKey?: string): Promise<void> {
  const [client, email] = await Promise.all([
    limiters.client ? limiters.client.limit({ key: `pw:${clientKey}` }) : { success: true },
    limiters.email && emailKey ? limiters.email.limit({ key: `pw:${emailKey}` }) : { success: true },
  ]);
  if (!client.success || !email.success) throw rateLimited();
}

/**
 * Issues a reset token for the account with this email, retiring its older tokens, in one batch. Null when no
 * active account has that email (the caller sends nothing).
 */
export async function issuePasswordReset(db: Db, email: string): Promise<{ token: string; email: string; firstName: string } | null> {
  const [user] = await db
    .select({ id: users.id, email: users.email, firstName: users.firstName })
    .from(users)
    .where(and(eq(users.email, email), eq(users.isActive, true)));
  if (!user) return null;
  const token = randomToken(32);
  const now = nowIso();
  await db.batch([
    db.update(passwordResetTokens).set({ usedAt: now }).where(and(eq(passwordResetTokens.userId, user.id), isNull(passwordResetTokens.usedAt))),
    db.insert(passwordResetTokens).values({ userId: user.id, tokenHash: await sha256Hex(token), expiresAt: isoIn(RESET_TOKEN_TTL_SECONDS), createdAt: now }),
  ]);
  return { token, email: user.email, firstName: user.firstName };
}

const invalidToken = () => new AppError('token_invalid', 'The password reset token is invalid, expired or already used.');

/**
 * Sets a new password with a reset token: one read, one PBKDF2 hash, then ONE batch that sets the password,
 * ends any login lock, revokes every refresh token and consumes the token. Every write is guarded by "the token
 * is still unused", and the claim comes after them, so of two concurrent resets with one token exactly one applies.
 */
export async function resetPassword(db: Db, token: string, newPassword: string, limiters: ResetLimiters): Promise<void> {
  const hash = await sha256Hex(token);
  const now = nowIso();
  const [row] = await db
    .select({ tokenId: passwordResetTokens.id, userId: users.id, email: users.email })
    .from(passwordResetTokens)
    .innerJoin(users, eq(users.id, passwordResetTokens.userId))
    .where(and(eq(passwordResetTokens.tokenHash, hash), isNull(passwordResetTokens.usedAt), gt(passwordResetTokens.expiresAt, now), eq(users.isActive, true)));
  if (!row) throw invalidToken();
  // Per account: guesses are already hopeless (256-bit tokens), but a leaked link should not allow a flood.
  if (limiters.email && !(await limiters.email.limit({ key: `pw:reset:${row.userId}` })).success) throw rateLimited();
  assertNewPassword(newPassword, row.email);
  const passwordHash = await hashPassword(newPassword);
  const unused = sql`EXISTS (SELECT 1 FROM password_reset_tokens WHERE id = ${row.tokenId} AND used_at IS NULL)`;
  // Proving control of the mailbox ends every login lock and slow-down of the email.
  const { statement: unlock } = await clearLoginFailuresStatement(db, row.email);
  const [, , claimed] = await db.batch([
    db.update(users).set({ passwordHash, updatedAt: now }).where(and(eq(users.id, row.userId), unused)),
    db.update(refreshTokens).set({ revokedAt: now }).where(and(eq(refreshTokens.userId, row.userId), isNull(refreshTokens.revokedAt), unused)),
    db
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(and(eq(passwordResetTokens.userId, row.userId), isNull(passwordResetTokens.usedAt)))
      .returning({ id: passwordResetTokens.id }),
    unlock,
  ]);
  if (!claimed.some((r) => r.id === row.tokenId)) throw invalidToken();
}

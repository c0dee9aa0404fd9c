/** Retention (issue 11 item 6): expired refresh tokens and expired or used reset tokens are pruned; live ones stay. */
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import worker from '../src/index';
import { describe, expect, it } from 'vitest';
import { passwordResetTokens, refreshTokens } from '../src/db/schema';
import { pruneExpiredTokens } from '../src/users/token-retention';
import { api, json } from './helpers/http';
import { db, makeUser } from './helpers/factories';

describe('pruneExpiredTokens', () => {
  it('deletes expired refresh tokens and expired or used reset tokens, and keeps the rest working', async () => {
    const user = await makeUser();
    const login = await json(await api('POST', '/api/v1/token/', { body: { email: user.email, password: user.password } }));
    const past = new Date(Date.now() - 60_000).toISOString();
    const future = new Date(Date.now() + 3_600_000).toISOString();
    await db().insert(refreshTokens).values({ userId: user.id, tokenHash: `h-${user.id}-old`, familyId: `f-${user.id}`, expiresAt: past });
    await db().insert(passwordResetTokens).values([
      { userId: user.id, tokenHash: `r-${user.id}-expired`, expiresAt: past },
      { userId: user.id, tokenHash: `r-${user.id}-used`, expiresAt: future, usedAt: past },
      { userId: user.id, tokenHash: `r-${user.id}-live`, expiresAt: future },
    ]);
    const pruned = await pruneExpiredTokens(db());
    expect(pruned.refresh).toBeGreaterThanOrEqual(1);
    expect(pruned.reset).toBeGreaterThanOrEqual(2);
    const left = await db().select({ hash: passwordResetTokens.tokenHash }).from(passwordResetTokens).where(eq(passwordResetTokens.userId, user.id));
    expect(left.map((r) => r.hash)).toEqual([`r-${user.id}-live`]);
    const refresh = await db().select().from(refreshTokens).where(eq(refreshTokens.userId, user.id));
    expect(refresh.every((r) => r.expiresAt > new Date().toISOString())).toBe(true);
    // The live login still rotates.
    expect((await api('POST', '/api/v1/token/refresh/', { body: { refresh: login.refresh } })).status).toBe(200);
  });

  it('runs from the cron handler', async () => {
    const user = await makeUser();
    await db().insert(refreshTokens).values({ userId: user.id, tokenHash: `h-${user.id}-cron`, familyId: `f-${user.id}`, expiresAt: new Date(Date.now() - 1000).toISOString() });
    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ scheduledTime: new Date(), cron: '*/5 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await db().select().from(refreshTokens).where(eq(refreshTokens.tokenHash, `h-${user.id}-cron`))).toEqual([]);
  });
});

/** Accounts: registration, login with brute-force protection, profile and password changes. */
import { and, eq, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client';
import { users, type UserRow } from '../db/schema';
import { AppError } from '../errors';
import { isoIn, nowIso } from '../lib/crypto';
import { DECOY_HASH, hashPassword, needsRehash, verifyPassword } from './password';
import { loginAttempt } from './login-guard';
import { assertNewPassword } from './password-rules';
import { newRefreshToken, revokeAllForUser, tokenPair, type TokenDeps, type TokenPair } from './tokens.service';
import type { PasswordChangeBody, ProfileBody, RegisterBody, TokenBody } from './users.schemas';

const isUniqueViolation = (e: unknown) => /UNIQUE constraint failed/.test(`${(e as Error)?.message} ${(e as { cause?: Error })?.cause?.message}`);

export async function registerUser(db: Db, input: z.output<typeof RegisterBody>): Promise<UserRow> {
  try {
    const [row] = await db
      .insert(users)
      .values({
        email: input.email,
        passwordHash: await hashPassword(input.password),
        firstName: input.first_name ?? '',
        lastName: input.last_name ?? '',
        phone: input.phone ?? '',
        role: 'customer',
      })
      .returning();
    return row;
  } catch (e) {
    if (isUniqueViolation(e)) {
      throw new AppError('conflict', 'A user with this email already exists.', { errors: [{ field: 'email', message: 'is already registered' }] });
    }
    throw e;
  }
}

/** The period of the LOGIN_RL binding in wrangler.toml (the binding cannot report it). */
const CLIENT_WINDOW_MS = 60_000;

/**
 * Clients over their failure budget, until when. The LOGIN_RL binding counts failures (shared by the isolates of
 * a location) but cannot be asked without spending; this map refuses a blocked client's next attempts, the right
 * password included, before any D1 read or hashing, so a blocked client cannot keep testing passwords here.
 */
const blockedClients = new Map<string, number>();

export interface LoginContext {
  /** The client's address (CF-Connecting-IP). */
  clientKey: string;
  rateLimiter?: RateLimit;
}

const rateLimited = (seconds: number) =>
  new AppError('rate_limited', 'Too many failed login attempts. Try again later.', { headers: { 'Retry-After': String(Math.max(1, Math.ceil(seconds))) } });

const badCredentials = () => new AppError('invalid_credentials', 'No active account found with the given credentials.');

/** Counts a failed attempt of the client: 429 once the binding's budget is spent, 401 otherwise. */
async function failure(ctx: LoginContext): Promise<never> {
  if (ctx.rateLimiter && !(await ctx.rateLimiter.limit({ key: `login:${ctx.clientKey}` })).success) {
    if (blockedClients.size >= 10_000) blockedClients.clear();
    blockedClients.set(ctx.clientKey, Date.now() + CLIENT_WINDOW_MS);
    throw rateLimited(CLIENT_WINDOW_MS / 1000);
  }
  throw badCredentials();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Checks credentials. Whether the email has an account never changes what a client observes: the same first
 * batch (user read + both failure counters), the same one PBKDF2 verification (a decoy hash for unknown emails),
 * the same delay and lock (counted per email hash), the same 401. A failure costs one D1 round trip. On success it
 * returns the active user and the upkeep writes (forgetting the counters, a hash upgrade) for the caller to batch
 * with the credential it issues (a refresh token, a console session).
 */
export async function checkCredentials(
  deps: TokenDeps,
  input: { email: string; password: string },
  ctx: LoginContext,
): Promise<{ user: UserRow; upkeep: BatchItem<'sqlite'>[] }> {
  const { db, config } = deps;
  const blockedUntil = blockedClients.get(ctx.clientKey);
  if (blockedUntil !== undefined) {
    if (blockedUntil > Date.now()) throw rateLimited((blockedUntil - Date.now()) / 1000);
    blockedClients.delete(ctx.clientKey);
  }

  const attempt = await loginAttempt(db, config, input.email, ctx.clientKey);
  const [found, pairRows, emailRows] = await db.batch([db.select().from(users).where(eq(users.email, input.email)), ...attempt.statements]);
  const { lockedForSeconds, delayMs } = attempt.judge(pairRows, emailRows);
  // The (email, address) pair is locked: refused before hashing, the right password included.
  if (lockedForSeconds > 0) throw rateLimited(lockedForSeconds);
  // The email alone is only slowed down, so a stranger elsewhere cannot keep its owner out.
  if (delayMs > 0) await sleep(delayMs);

  const user = found[0];
  if (!(await verifyPassword(input.password, user?.passwordHash ?? DECOY_HASH)) || !user) return failure(ctx);
  if (!user.isActive) throw new AppError('permission_denied', 'This account is deactivated.');

  const upgrade = needsRehash(user.passwordHash) ? await hashPassword(input.password) : undefined;
  return { user, upkeep: [attempt.forget(), ...(upgrade ? [db.update(users).set({ passwordHash: upgrade }).where(eq(users.id, user.id))] : [])] };
}

/** Checks credentials and issues a token pair: a success costs one more round trip (token + upkeep, one batch). */
export async function login(deps: TokenDeps, input: z.output<typeof TokenBody>, ctx: LoginContext): Promise<TokenPair> {
  const { user, upkeep } = await checkCredentials(deps, input, ctx);
  const refresh = await newRefreshToken(deps, user.id);
  await deps.db.batch([refresh.insert, ...upkeep]);
  return tokenPair(deps, { id: user.id, role: user.role }, refresh.token);
}

/**
 * The caller's account as it may act on itself. Access tokens are stateless, so one can outlive its account: a
 * token whose user no longer exists is no valid login (401), and a deactivated account may not act (403, as at
 * login). Exported for the other services that write rows owned by the caller (reviews).
 */
export function usableAccount<T extends { isActive: boolean }>(row: T | undefined): T {
  if (!row) {
    throw new AppError('not_authenticated', 'The account of this access token no longer exists.', {
      headers: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' },
    });
  }
  if (!row.isActive) throw new AppError('permission_denied', 'This account is deactivated.');
  return row;
}

/** The caller's own account (401 when it no longer exists, 403 when deactivated). */
export async function getUser(db: Db, id: number): Promise<UserRow> {
  return usableAccount((await db.select().from(users).where(eq(users.id, id)))[0]);
}

export async function updateProfile(db: Db, id: number, input: z.output<typeof ProfileBody>): Promise<UserRow> {
  const changes = {
    ...(input.first_name !== undefined ? { firstName: input.first_name } : {}),
    ...(input.last_name !== undefined ? { lastName: input.last_name } : {}),
    ...(input.phone !== undefined ? { phone: input.phone } : {}),
  };
  const [row] = await db
    .update(users)
    .set({ ...changes, updatedAt: sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))` })
    .where(and(eq(users.id, id), eq(users.isActive, true)))
    .returning();
  // Nothing updated: the account is gone or deactivated; one more read says which.
  return row ?? getUser(db, id);
}

/** Changes the password and revokes every refresh token of the user, in one batch. */
export async function changePassword(db: Db, id: number, input: z.output<typeof PasswordChangeBody>): Promise<void> {
  const user = await getUser(db, id);
  if (!(await verifyPassword(input.current_password, user.passwordHash))) {
    throw new AppError('validation_error', 'The current password is not correct.', {
      errors: [{ field: 'current_password', message: 'is not correct' }],
    });
  }
  assertNewPassword(input.new_password, user.email);
  await db.batch([
    db.update(users).set({ passwordHash: await hashPassword(input.new_password), updatedAt: nowIso() }).where(eq(users.id, id)),
    revokeAllForUser(db, id),
  ]);
}

/**
 * Brute-force protection for POST /token that cannot be turned against the account's owner.
 *
 * - The hard lock applies to one (email, client address) pair: after LOGIN_MAX_FAILURES failed attempts in a
 *   window of LOGIN_LOCK_SECONDS, that pair is refused (429) until the window ends. A stranger's failures never
 *   lock the owner, who logs in from another address.
 * - Per email alone, failures only slow logins down: past LOGIN_MAX_FAILURES, every attempt waits a delay that
 *   doubles per failure up to LOGIN_MAX_DELAY_MS, the right password included, and then proceeds.
 * - Counters are keyed by hashes of the email (and address) and exist whether or not the email has an
 *   account, so known and unknown emails are counted, slowed and locked alike: the answers reveal nothing.
 * - A password reset ends every lock of the email (`clearLoginFailures`).
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { loginFailures } from '../db/schema';
import { sha256Hex } from '../lib/crypto';

/** The first delay once an email has LOGIN_MAX_FAILURES failures; each further failure doubles it. */
const BASE_DELAY_MS = 250;

export const emailHash = (email: string) => sha256Hex(`login-email:${email.trim().toLowerCase()}`);

/**
 * The part of a client address that identifies one client: IPv4 as is, IPv6 by its /64 prefix (one
 * subscriber usually holds a whole /64, so single addresses would be free to rotate).
 */
export function clientAddressKey(address: string): string {
  if (!address.includes(':')) return address;
  const [head, tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** Upsert that counts one attempt in the current window (a stale window restarts at 1), returning the row. */
function countAttempt(db: Db, key: string, hash: string, now: string, windowStart: string) {
  const stale = sql`${loginFailures.windowStartedAt} <= ${windowStart}`;
  return db
    .insert(loginFailures)
    .values({ key, emailHash: hash, attempts: 1, windowStartedAt: now })
    .onConflictDoUpdate({
      target: loginFailures.key,
      // SQLite evaluates every SET expression against the old row, so both CASEs see the same window.
      set: {
        attempts: sql`CASE WHEN ${stale} THEN 1 ELSE ${loginFailures.attempts} + 1 END`,
        windowStartedAt: sql`CASE WHEN ${stale} THEN ${now} ELSE ${loginFailures.windowStartedAt} END`,
      },
    })
    .returning({ attempts: loginFailures.attempts, windowStartedAt: loginFailures.windowStartedAt });
}

export interface LoginAttempt {
  /** Statements for the login's first batch: each counts this attempt before the password is checked. */
  statements: readonly [ReturnType<typeof countAttempt>, ReturnType<typeof countAttempt>];
  /** Reads the batch results: seconds the pair is still locked for (0 when not) and the email's delay. */
  judge(pairRows: { attempts: number; windowStartedAt: string }[], emailRows: { attempts: number }[]): { lockedForSeconds: number; delayMs: number };
  /**
   * Statement that forgets this pair's and the email's failures after a successful login. Other pairs of the
   * email (a stranger's address) stay locked: the owner's success must not reopen the stranger's budget.
   */
  forget(): ReturnType<typeof forgetKeys>;
}

const forgetEmail = (db: Db, hash: string) => db.delete(loginFailures).where(eq(loginFailures.emailHash, hash));
const forgetKeys = (db: Db, keys: string[]) => db.delete(loginFailures).where(inArray(loginFailures.key, keys));

/**
 * Counts a login attempt for the email and the pair before the password is checked, so concurrent attempts
 * all count (a burst cannot slip past the lock by reading the counter together); success forgets them.
 */
export async function loginAttempt(db: Db, config: Config, email: string, clientAddress: string): Promise<LoginAttempt> {
  const hash = await emailHash(email);
  const pairKey = `p:${await sha256Hex(`${hash}|${clientAddressKey(clientAddress)}`)}`;
  const emailKey = `e:${hash}`;
  const nowMs = Date.now();
  const now = new Date(nowMs).toISOString();
  const windowStart = new Date(nowMs - config.login.lockSeconds * 1000).toISOString();
  const { maxFailures, maxDelayMs, lockSeconds } = config.login;
  return {
    statements: [countAttempt(db, pairKey, hash, now, windowStart), countAttempt(db, emailKey, hash, now, windowStart)],
    judge(pairRows, emailRows) {
      const pair = pairRows[0];
      const lockedForSeconds =
        pair && pair.attempts > maxFailures ? Math.max(1, Math.ceil((Date.parse(pair.windowStartedAt) + lockSeconds * 1000 - nowMs) / 1000)) : 0;
      const earlier = (emailRows[0]?.attempts ?? 1) - 1;
      const delayMs = earlier < maxFailures ? 0 : Math.min(maxDelayMs, BASE_DELAY_MS * 2 ** Math.min(20, earlier - maxFailures));
      return { lockedForSeconds, delayMs };
    },
    forget: () => forgetKeys(db, [pairKey, emailKey]),
  };
}

/**
 * Ends every lock and slow-down of an email (all its pairs included). The password-reset flow must call this
 * when a reset succeeds: the owner can always end a lock by proving control of the mailbox.
 */
export async function clearLoginFailures(db: Db, email: string): Promise<void> {
  await forgetEmail(db, await emailHash(email));
}

/** The statement behind `clearLoginFailures`, for callers that batch it with their own writes. */
export async function clearLoginFailuresStatement(db: Db, email: string) {
  return { statement: forgetEmail(db, await emailHash(email)) };
}

/**
 * The caller's account as it is now, read INSIDE a route's own D1 batch instead of by the guard. Access tokens
 * are stateless and live 15 minutes, so a token can outlive a deletion or a deactivation; routes whose work is one
 * D1 batch anyway (checkout, customer cancel, cart add and quantity changes) read the account in that batch and
 * refuse here, and their guard trusts the token (`check: 'token'`): one round trip instead of two.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import type { ErrorCode } from '../errors';

export interface AccountStatus {
  isActive: boolean;
}

/** The account's active flag; no row when the account was deleted. Batch it with the route's own statements. */
export const accountStatusQuery = (db: Db, userId: number) => db.select({ isActive: users.isActive }).from(users).where(eq(users.id, userId));

/** Why the account may not act any more (as the guard's fresh read answers it), or null when it may. */
export function accountRefusal(account: AccountStatus | undefined): { code: ErrorCode; detail: string } | null {
  if (!account) return { code: 'not_authenticated', detail: 'The account of this access token no longer exists.' };
  if (!account.isActive) return { code: 'permission_denied', detail: 'This account is deactivated.' };
  return null;
}

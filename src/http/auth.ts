/**
 * Authentication guards. Access tokens are stateless JWTs that live 15 minutes, so a token can outlive a demotion
 * or a deactivation. Reads trust the token; every admin route and every write re-reads the caller's current
 * role and active flag (ONE D1 round trip, `freshCaller`), unless the route's handler reads the user row itself
 * and refuses a missing or deactivated account there (`check: 'token'`).
 */
import { eq } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { users } from '../db/schema';
import { AppError } from '../errors';
import type { AppEnv, AuthUser } from '../env';
import { verifyAccessToken } from '../users/access-token';
import { accountRefusal } from '../users/account-status';

const BEARER_RE = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)\s*$/i;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function authenticate(c: Context<AppEnv>, token: string | undefined): Promise<AuthUser | null> {
  if (!token) return null;
  return verifyAccessToken(c.get('config').jwt, token);
}

export function bearerToken(header: string | undefined): string | undefined {
  return header ? BEARER_RE.exec(header)?.[1] : undefined;
}

/**
 * The token of a WebSocket upgrade. Browsers cannot set `Authorization` on a WebSocket, so the token travels as
 * the second subprotocol (`Sec-WebSocket-Protocol: bearer, <token>`) or as `?token=`; a bearer header is
 * accepted too, for non-browser clients.
 */
export function socketToken(c: Context<AppEnv>): string | undefined {
  const offered = (c.req.header('Sec-WebSocket-Protocol') ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  const at = offered.findIndex((p) => p.toLowerCase() === 'bearer');
  if (at >= 0 && offered[at + 1]) return offered[at + 1];
  return c.req.query('token') || bearerToken(c.req.header('Authorization'));
}

/**
 * RFC 6750 challenge: a bare `Bearer realm` when no credentials came, `error="invalid_token"` when a token came
 * but failed verification (bad signature, expired, wrong issuer/audience/algorithm).
 */
const unauthenticated = (tokenSent = false, detail?: string) =>
  new AppError(
    'not_authenticated',
    detail ?? (tokenSent ? 'The access token is invalid or expired.' : 'Authentication credentials were not provided.'),
    { headers: { 'WWW-Authenticate': tokenSent ? 'Bearer realm="api", error="invalid_token"' : 'Bearer realm="api"' } },
  );

/** How much of the caller a guard establishes: the token alone, or the token plus the user row as it is now. */
export type AuthCheck = 'token' | 'fresh';

export interface GuardOptions {
  /** Only admins (by their CURRENT role). */
  admin?: boolean;
  /** 'fresh' re-reads the user row; 'token' trusts the token; default: fresh for admins and writes. */
  check?: AuthCheck;
  /** Take the token from the WebSocket subprotocol or `?token=` as well. */
  socket?: boolean;
}

/** The caller's current role and active flag: one D1 round trip. A vanished account is 401, a deactivated one 403. */
async function freshCaller(c: Context<AppEnv>, user: AuthUser): Promise<AuthUser> {
  const [row] = await c.get('db').select({ role: users.role, isActive: users.isActive }).from(users).where(eq(users.id, user.id));
  const refused = accountRefusal(row);
  if (refused) throw refused.code === 'not_authenticated' ? unauthenticated(true, refused.detail) : new AppError(refused.code, refused.detail);
  return { ...user, role: row!.role };
}

/** Builds a guard. Guards are idempotent per request: a second one (an admin sub-router's) adds no D1 read. */
export function guard(opts: GuardOptions = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let user = c.get('user');
    let checked = c.get('authChecked');
    if (!user) {
      const header = c.req.header('Authorization');
      const token = opts.socket ? socketToken(c) : bearerToken(header);
      user = (await authenticate(c, token)) ?? undefined;
      if (!user) throw unauthenticated(Boolean(opts.socket ? token : header));
      checked = 'token';
    }
    const wantFresh = opts.check ? opts.check === 'fresh' : opts.admin || WRITE_METHODS.has(c.req.method);
    if (wantFresh && checked !== 'fresh') {
      user = await freshCaller(c, user);
      checked = 'fresh';
    }
    c.set('user', user);
    c.set('authChecked', checked);
    if (opts.admin && user.role !== 'admin') throw new AppError('permission_denied', 'You do not have permission to perform this action.');
    await next();
  };
}

/** Any signed-in user; writes re-read the account. */
export const requireUser = guard();
/** A signed-in user whose handler reads (and checks) its own user row: the token is enough here. */
export const requireToken = guard({ check: 'token' });
/** Admins only, by the role the account has now. */
export const requireAdmin = guard({ admin: true });

/** The authenticated caller; only valid behind a guard. */
export function currentUser(c: Context<AppEnv>): AuthUser {
  const user = c.get('user');
  if (!user) throw unauthenticated();
  return user;
}

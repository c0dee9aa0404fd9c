/**
 * Authentication guards. `requireUser` accepts a valid bearer access token (401 otherwise); `requireAdmin`
 * additionally needs the `admin` role (403 for customers). Access tokens are trusted until they expire
 * (15 minutes by default); deactivation revokes refresh tokens so no new access token can be minted.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../errors';
import type { AppEnv, AuthUser } from '../env';
import { verifyAccessToken } from '../users/access-token';

const BEARER_RE = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)\s*$/i;

export async function authenticate(c: Context<AppEnv>, token: string | undefined): Promise<AuthUser | null> {
  if (!token) return null;
  return verifyAccessToken(c.get('config').jwt, token);
}

export function bearerToken(header: string | undefined): string | undefined {
  return header ? BEARER_RE.exec(header)?.[1] : undefined;
}

/**
 * RFC 6750 challenge: a bare `Bearer realm` when no credentials came, `error="invalid_token"` when a token came
 * but failed verification (bad signature, expired, wrong issuer/audience/algorithm).
 */
const unauthenticated = (tokenSent = false) =>
  new AppError(
    'not_authenticated',
    tokenSent ? 'The access token is invalid or expired.' : 'Authentication credentials were not provided.',
    { headers: { 'WWW-Authenticate': tokenSent ? 'Bearer realm="api", error="invalid_token"' : 'Bearer realm="api"' } },
  );

/** The verified caller of this request, or a 401 AppError. */
async function authenticatedUser(c: Context<AppEnv>): Promise<AuthUser> {
  const header = c.req.header('Authorization');
  const user = await authenticate(c, bearerToken(header));
  if (!user) throw unauthenticated(Boolean(header));
  return user;
}

export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('user', await authenticatedUser(c));
  await next();
};

export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const user = await authenticatedUser(c);
  c.set('user', user);
  if (user.role !== 'admin') throw new AppError('permission_denied', 'You do not have permission to perform this action.');
  await next();
};

/** The authenticated caller; only valid behind `requireUser`/`requireAdmin`. */
export function currentUser(c: Context<AppEnv>): AuthUser {
  const user = c.get('user');
  if (!user) throw unauthenticated();
  return user;
}

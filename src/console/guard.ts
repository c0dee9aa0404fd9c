/**
 * The console's security, in front of every /admin page: response headers (strict CSP without inline script,
 * no framing, no referrer leaks, no caching), the session (cookie → row → user's current role and active flag),
 * and for every state-changing request the Origin check and the CSRF token. HTML answers (redirects to the
 * login page, a 403 page), never problem+json: a person is reading.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../env';
import { errorPage } from './layout';
import { CONSOLE_BASE, CSRF_FIELD, CSRF_HEADER, LOGIN_CSRF_COOKIE, SESSION_COOKIE } from './paths';
import { endSession, findSession, SESSION_TTL_SECONDS } from './session.service';


const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header('Content-Security-Policy', CSP);
  c.header('X-Frame-Options', 'DENY');
  c.header('Referrer-Policy', 'same-origin');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Cross-Origin-Opener-Policy', 'same-origin');
  if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
};

/**
 * A console cookie: Path=/admin, HttpOnly, Secure, SameSite=Strict, in the attribute order hono/cookie's setCookie
 * writes. Written out here because the options never vary: its general serializer (checks and messages for
 * every option) would cost the Worker bundle more than this line. Max-Age=0 deletes.
 */
const cookie = (c: Context<AppEnv>, name: string, value: string, maxAge: number) =>
  c.header('Set-Cookie', `${name}=${encodeURIComponent(value)}; Max-Age=${maxAge}; Path=${CONSOLE_BASE}; HttpOnly; Secure; SameSite=Strict`, { append: true });

export const setSessionCookie = (c: Context<AppEnv>, token: string) => cookie(c, SESSION_COOKIE, token, SESSION_TTL_SECONDS);
export const clearSessionCookie = (c: Context<AppEnv>) => cookie(c, SESSION_COOKIE, '', 0);
export const setLoginCsrfCookie = (c: Context<AppEnv>, token: string) => cookie(c, LOGIN_CSRF_COOKIE, token, 3600);
export const loginCsrfCookie = (c: Context<AppEnv>) => getCookie(c, LOGIN_CSRF_COOKIE);

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * True when the request comes from a page of this console: the browser's Origin must be this server's own
 * (or the configured public URL, behind a proxy). A missing Origin is refused: every browser that can hold our
 * SameSite=Strict cookie sends Origin on a POST.
 */
export function sameOrigin(c: Context<AppEnv>): boolean {
  const origin = c.req.header('Origin');
  if (!origin || origin === 'null') return false;
  const own = new URL(c.req.url).origin;
  const pub = c.get('config').publicBaseUrl;
  return origin === own || (pub !== undefined && origin === new URL(pub).origin);
}

/** Constant-time comparison of two tokens (a CSRF token must not be guessable byte by byte from timing). */
export function tokensEqual(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** The CSRF token a request carries: the X-CSRF-Token header (fetch from our modules) or the `_csrf` form field. */
export async function presentedCsrf(c: Context<AppEnv>): Promise<string | undefined> {
  const header = c.req.header(CSRF_HEADER);
  if (header) return header;
  const type = c.req.header('Content-Type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return undefined;
  try {
    const value = (await c.req.parseBody())[CSRF_FIELD];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

const forbidden = (c: Context<AppEnv>, message: string) => c.html(errorPage('Request refused', message), 403);

/**
 * Pages behind a login: a live session of an ACTIVE ADMIN (checked on every request), and for state-changing
 * requests the same Origin and the session's CSRF token. Anything else goes back to the login page.
 */
export const requireConsoleSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE);
  const session = token ? await findSession(c.get('db'), token) : undefined;
  if (!session || session.role !== 'admin' || !session.isActive) {
    // A session whose user was demoted or deactivated is ended for good, not just refused this once.
    if (session) await endSession(c.get('db'), session.sessionId);
    if (token) clearSessionCookie(c);
    if (MUTATING.has(c.req.method)) return forbidden(c, 'Your session has ended. Sign in again.');
    const reason = session ? 'revoked' : token ? 'expired' : undefined;
    const next = c.req.method === 'GET' ? `?next=${encodeURIComponent(new URL(c.req.url).pathname)}${reason ? `&reason=${reason}` : ''}` : '';
    return c.redirect(`${CONSOLE_BASE}/login${next}`, 303);
  }
  if (MUTATING.has(c.req.method)) {
    if (!sameOrigin(c)) return forbidden(c, 'This request did not come from a page of this console (Origin check failed).');
    if (!tokensEqual(await presentedCsrf(c), session.csrf)) return forbidden(c, 'The form is out of date or was not sent by this console (CSRF check failed). Reload the page and try again.');
  }
  c.set('consoleSession', session);
  await next();
};

/** The session of a page behind requireConsoleSession. */
export function consoleSession(c: Context<AppEnv>) {
  const s = c.get('consoleSession');
  if (!s) throw new Error('consoleSession used outside requireConsoleSession');
  return s;
}

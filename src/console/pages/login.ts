/**
 * Sign in and sign out. The login form is protected like every other post (same Origin, and a CSRF token: here a
 * double-submit cookie, since there is no session yet) and goes through the same credential check as
 * POST /token/ (per-client rate limit, per-email lock). Only active admins get a session; a customer with the
 * right password is told plainly that the console is for staff.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { AppError } from '../../errors';
import { randomToken } from '../../lib/crypto';
import { checkCredentials } from '../../users/users.service';
import { clearSessionCookie, consoleSession, loginCsrfCookie, sameOrigin, setLoginCsrfCookie, setSessionCookie, tokensEqual } from '../guard';
import { control, csrfInput, field, flash, frame, href, html, type FieldErrors } from '../layout';
import { formFields } from '../form';
import { CSRF_FIELD } from '../paths';
import { endSession, newSession } from '../session.service';

type C = Context<AppEnv>;

const REASONS: Record<string, string> = {
  expired: 'Your session has expired. Sign in again.',
  revoked: 'Your access to the console was withdrawn.',
  out: 'You are signed out.',
};

/** Only same-console paths may be a redirect target after login (no open redirect). */
const safeNext = (next: string | undefined) => (next && /^\/admin(\/[A-Za-z0-9/_-]*)?$/.test(next) ? next : href('/'));

function loginPage(c: C, opts: { email?: string; error?: string; errors?: FieldErrors; notice?: string; next?: string }, status: 200 | 400 | 401 | 403 | 429 = 200) {
  const csrf = randomToken(24);
  setLoginCsrfCookie(c, csrf);
  const body = html`<div class="card"><h1>Shop admin</h1><p class="sub">Sign in with a staff account.</p>
<div class="mt">${flash(opts.notice)}${flash(opts.error, 'bad')}</div>
<form method="post" action="${href('/login')}">${csrfInput(csrf)}<input type="hidden" name="next" value="${opts.next ?? ''}">
${field('email', 'Email', html`<input ${control('email', opts.errors)} type="email" autocomplete="username" required autofocus value="${opts.email ?? ''}">`, opts.errors)}
${field('password', 'Password', html`<input ${control('password', opts.errors)} type="password" autocomplete="current-password" required>`, opts.errors)}
<button type="submit" data-busy="Signing in…">Sign in</button></form></div>`;
  return c.html(frame({ title: 'Sign in', narrow: true }, body), status);
}

export function showLogin(c: C) {
  const q = c.req.query();
  return loginPage(c, { notice: REASONS[q.reason ?? ''], next: q.next });
}

export async function submitLogin(c: C) {
  const fields = await formFields(c);
  const presented = (await c.req.parseBody())[CSRF_FIELD];
  if (!sameOrigin(c) || !tokensEqual(typeof presented === 'string' ? presented : undefined, loginCsrfCookie(c))) {
    return loginPage(c, { email: fields.email, error: 'The sign-in form expired or did not come from this site. Try again.' }, 403);
  }
  const email = (fields.email ?? '').trim().toLowerCase();
  const password = fields.password ?? '';
  const errors: FieldErrors = {};
  if (!email) errors.email = 'Enter your email.';
  if (!password) errors.password = 'Enter your password.';
  if (errors.email || errors.password) return loginPage(c, { email, errors, next: fields.next }, 400);

  const db = c.get('db');
  try {
    const clientKey = c.req.header('CF-Connecting-IP') ?? 'local';
    const { user, upkeep } = await checkCredentials({ db, config: c.get('config') }, { email, password }, { clientKey, rateLimiter: c.env.LOGIN_RL });
    if (user.role !== 'admin') {
      // The password was right: the failure counters are forgotten as for any good login.
      const [first, ...rest] = upkeep;
      if (first) await db.batch([first, ...rest]);
      return loginPage(c, { email, error: 'This is a customer account. The admin console is for shop staff only.' }, 403);
    }
    const session = await newSession(db, user.id);
    await db.batch([...session.statements, ...upkeep]);
    setSessionCookie(c, session.token);
    return c.redirect(safeNext(fields.next), 303);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    if (e.code === 'rate_limited') {
      c.header('Retry-After', e.headers?.['Retry-After'] ?? '60');
      return loginPage(c, { email, error: 'Too many failed attempts. Wait a few minutes, then try again.' }, 429);
    }
    if (e.code === 'permission_denied') return loginPage(c, { email, error: 'This account is deactivated.' }, 403);
    return loginPage(c, { email, error: 'Wrong email or password.' }, 401);
  }
}

export async function logout(c: C) {
  await endSession(c.get('db'), consoleSession(c).sessionId);
  clearSessionCookie(c);
  return c.redirect(href('/login?reason=out'), 303);
}

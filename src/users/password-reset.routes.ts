/**
 * Password forgot/reset routes (API.md "Users and tokens"). `forgot` answers the same 202 for every address and
 * only enqueues a message; the queue consumer finds the account and emails the link (see password-reset.service).
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import type { EmailMessage } from '../email/email-messages';
import { AppError } from '../errors';
import { logError } from '../http/logging';
import { defineRoute } from '../http/route';
import { nowIso } from '../lib/crypto';
import { checkResetRate, resetPassword, type ResetLimiters } from './password-reset.service';
import { commonPasswordsLoaded } from './users.routes';
import { PasswordForgotAnswer, PasswordForgotBody, PasswordResetBody } from './users.schemas';

const API = '/api/v1';
const FORGOT_DETAIL = 'If an account with this email exists, a link to reset its password has been sent to it.';

const clientKey = (c: Context<AppEnv>) => c.req.header('CF-Connecting-IP') ?? 'local';
const limiters = (c: Context<AppEnv>): ResetLimiters => ({ client: c.env.PASSWORD_RL, email: c.env.PASSWORD_EMAIL_RL });

export const passwordResetRoutes = [
  defineRoute({
    method: 'post', path: `${API}/users/password/forgot/`, auth: 'public', tag: 'Users', summary: 'Ask for a password reset link by email',
    description:
      'Always 202 with the same body, whether or not an account has this email (no account enumeration). If one does, a single-use link valid ' +
      'for one hour, built from `PASSWORD_RESET_URL`, is emailed to it; a newer request replaces older links. Limited per client address and per email (429 with `Retry-After`).',
    request: { body: PasswordForgotBody },
    responses: { 202: { description: 'Accepted (for every address)', schema: PasswordForgotAnswer } },
    errors: ['rate_limited', 'malformed_json', 'service_unavailable'],
    handler: async (c, { body }) => {
      await checkResetRate(limiters(c), clientKey(c), body.email);
      const message: EmailMessage = { type: 'password_reset', email: body.email, requestedAt: nowIso(), dedupeKey: `reset:${crypto.randomUUID()}` };
      try {
        await c.env.EMAIL_QUEUE.send(message, { contentType: 'json' });
      } catch (err) {
        logError(c, 'password_reset_enqueue_failed', err);
        throw new AppError('service_unavailable', 'The request could not be accepted right now; try again shortly.');
      }
      return c.json({ detail: FORGOT_DETAIL }, 202, { 'Cache-Control': 'no-store' });
    },
  }),

  defineRoute({
    method: 'post', path: `${API}/users/password/reset/`, auth: 'public', tag: 'Users', summary: 'Set a new password with an emailed reset token',
    use: [commonPasswordsLoaded],
    description:
      'The token is consumed, the password set (same rules as registration) and every refresh token of the account revoked. ' +
      'A bad, used or expired token is a 401 `token_invalid`. Limited per client address and per account (429 with `Retry-After`).',
    request: { body: PasswordResetBody },
    responses: { 204: { description: 'Password changed' } },
    errors: ['token_invalid', 'rate_limited', 'malformed_json'],
    handler: async (c, { body }) => {
      await checkResetRate({ client: c.env.PASSWORD_RL }, clientKey(c));
      await resetPassword(c.get('db'), body.token, body.new_password, limiters(c));
      return c.body(null, 204);
    },
  }),
];

/**
 * The rules every new password follows, on register, password change and password reset alike (API.md):
 * 8–128 characters, not only whitespace, not only digits in any script (`١٢٣٤٥٦٧٨` and `１２３４５６７８` are as
 * guessable as `12345678`), not the account's email or its local part, and not one of the 1,000 most common
 * passwords. `newPassword` checks what needs no account; `passwordProblem` adds the email rule. The common list
 * is read from the static assets: a route using these rules awaits `COMMON_PASSWORDS.load` first
 * (`commonPasswordsLoaded` in users.routes.ts).
 */
import * as z from 'zod/mini';
import { AppError } from '../errors';
import { COMMON_PASSWORDS } from './common-passwords';

const ALL_WHITESPACE = /^\s+$/u;
const ALL_DIGITS = /^\p{Nd}+$/u;

/** Code points, not UTF-16 units: an emoji counts as one character. */
const length = (p: string) => [...p].length;

/** The zod rule for a new password without the account's email (the email rule: `passwordProblem`). One message: the first rule broken. */
export const newPassword = z.string({ error: 'is required' }).check(
  z.refine((p) => length(p) >= 8, { message: 'must be at least 8 characters', abort: true }),
  z.refine((p) => length(p) <= 128, { message: 'must be at most 128 characters', abort: true }),
  z.refine((p) => !ALL_WHITESPACE.test(p), { message: 'must not be only whitespace', abort: true }),
  z.refine((p) => !ALL_DIGITS.test(p), { message: 'must not be entirely numeric', abort: true }),
  z.refine((p) => !COMMON_PASSWORDS.has(p), { message: 'is too common', abort: true }),
  // The refinements are invisible to JSON Schema: the OpenAPI document states the length bounds itself.
  z.meta({ minLength: 8, maxLength: 128 }),
);

/** Why `password` may not be used by the account of `email` (every rule), or null when it may. */
export function passwordProblem(password: string, email: string): string | null {
  const parsed = newPassword.safeParse(password);
  if (!parsed.success) return parsed.error.issues[0].message;
  return isEmailLike(password, email) ? EMAIL_MESSAGE : null;
}

/** Throws the 400 naming `field` when `password` breaks a rule for the account of `email` (change and reset). */
export function assertNewPassword(password: string, email: string, field = 'new_password'): void {
  const message = passwordProblem(password, email);
  if (message) throw new AppError('validation_error', 'Request body failed validation.', { errors: [{ field, message }] });
}

export const EMAIL_MESSAGE = 'must not be the same as the email or its local part';

/** True when the password is the email or its local part (case-insensitively, surrounding spaces ignored). */
export function isEmailLike(password: string, email: string): boolean {
  const p = password.trim().toLowerCase();
  const address = email.trim().toLowerCase();
  return p === address || p === address.split('@')[0];
}

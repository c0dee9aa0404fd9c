/** Users and tokens: request bodies and response views (the API contract). */
import * as z from 'zod/mini';
import type { UserRow } from '../db/schema';
import { maxChars, nameText } from '../lib/text';
import { EMAIL_MESSAGE, isEmailLike, newPassword } from './password-rules';

export const email = z.pipe(
  z.string({ error: 'is required' }).check(z.trim(), z.toLowerCase(), maxChars(254)),
  z.email('must be a valid email address'),
);

const name = nameText().check(maxChars(150));
const phone = z.string().check(z.trim(), maxChars(32), z.regex(/^[0-9+()\-.\s]*$/, 'must be a phone number'));

export { newPassword } from './password-rules';

// Unknown fields (role, is_staff, …) are stripped by zod: new users are always customers.
export const RegisterBody = z
  .object({
    email,
    password: newPassword,
    first_name: z.optional(name),
    last_name: z.optional(name),
    phone: z.optional(phone),
  })
  .check(z.refine((b) => !isEmailLike(b.password, b.email), { path: ['password'], message: EMAIL_MESSAGE }));

/** A required string field (a secret, a token): absent or empty is "is required", longer than `max` refused. */
const requiredText = (max: number) => z.string({ error: 'is required' }).check(z.minLength(1, 'is required'), z.maxLength(max));

export const TokenBody = z.object({
  email: z.string({ error: 'is required' }).check(z.trim(), z.toLowerCase(), z.minLength(1, 'is required'), z.maxLength(254)),
  password: requiredText(1024),
});

export const RefreshBody = z.object({ refresh: requiredText(512) });

export const ProfileBody = z.object({ first_name: z.optional(name), last_name: z.optional(name), phone: z.optional(phone) });

export const PasswordChangeBody = z.object({
  current_password: requiredText(1024),
  new_password: newPassword,
});

export const UserView = z.object({
  id: z.int(),
  email: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  phone: z.string(),
  role: z.enum(['customer', 'admin']),
  is_active: z.boolean(),
  date_joined: z.string(),
});
export type UserView = z.infer<typeof UserView>;

export const TokenPair = z.object({
  access: z.string(),
  refresh: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.int(),
  refresh_expires_in: z.int(),
});

export function userView(u: UserRow): UserView {
  return {
    id: u.id,
    email: u.email,
    first_name: u.firstName,
    last_name: u.lastName,
    phone: u.phone,
    role: u.role,
    is_active: u.isActive,
    date_joined: u.dateJoined,
  };
}

export const PasswordForgotBody = z.object({ email });

export const PasswordResetBody = z.object({
  token: requiredText(512),
  new_password: newPassword,
});

export const PasswordForgotAnswer = z.object({ detail: z.string() });

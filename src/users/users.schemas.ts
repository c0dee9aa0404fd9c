/** Users and tokens: request bodies and response views (the API contract). */
import * as z from 'zod';
import type { UserRow } from '../db/schema';
import { nameText } from '../lib/text';
import { EMAIL_MESSAGE, isEmailLike, newPassword } from './password-rules';

export const email = z
  .string({ error: 'is required' })
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be a valid email address'));

const name = nameText().max(150, 'must be at most 150 characters');
const phone = z.string().trim().max(32, 'must be at most 32 characters').regex(/^[0-9+()\-.\s]*$/, 'must be a phone number');

export { newPassword } from './password-rules';

// Unknown fields (role, is_staff, …) are stripped by zod: new users are always customers.
export const RegisterBody = z
  .object({
    email,
    password: newPassword,
    first_name: name.optional(),
    last_name: name.optional(),
    phone: phone.optional(),
  })
  .refine((b) => !isEmailLike(b.password, b.email), { path: ['password'], message: EMAIL_MESSAGE });

export const TokenBody = z.object({
  email: z.string({ error: 'is required' }).trim().toLowerCase().min(1, 'is required').max(254),
  password: z.string({ error: 'is required' }).min(1, 'is required').max(1024),
});

export const RefreshBody = z.object({ refresh: z.string({ error: 'is required' }).min(1, 'is required').max(512) });

export const ProfileBody = z.object({ first_name: name.optional(), last_name: name.optional(), phone: phone.optional() });

export const PasswordChangeBody = z.object({
  current_password: z.string({ error: 'is required' }).min(1, 'is required').max(1024),
  new_password: newPassword,
});

export const UserView = z.object({
  id: z.number().int(),
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
  expires_in: z.number().int(),
  refresh_expires_in: z.number().int(),
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
  token: z.string({ error: 'is required' }).min(1, 'is required').max(512),
  new_password: newPassword,
});

export const PasswordForgotAnswer = z.object({ detail: z.string() });

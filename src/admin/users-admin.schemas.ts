/** Admin user management: list query and patch body (the user view is the users domain's). */
import * as z from 'zod/mini';
import { pageFields } from '../http/pagination';
import { booleanQuery, pathId } from '../http/validate';
import { maxChars } from '../lib/text';


export const AdminUsersQuery = z.object({
  ...pageFields,
  search: z
    .optional(z.string().check(z.trim(), maxChars(200)))
    .check(z.describe('Case-insensitive match on email, first name or last name')),
  role: z.optional(z.enum(['customer', 'admin'], { error: 'must be one of: customer, admin' })),
  is_active: booleanQuery('"true": active accounts only; "false": deactivated ones'),
});
export type AdminUsersQuery = z.output<typeof AdminUsersQuery>;

export const UserIdParams = z.object({ id: pathId('User id (integer)') });

export const AdminUserPatchBody = z.strictObject(
  {
    role: z.optional(z.enum(['customer', 'admin'], { error: 'must be one of: customer, admin' })),
    is_active: z.optional(z.boolean({ error: 'must be true or false' })),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? 'only role and is_active can be changed here' : undefined) },
);
export type AdminUserPatchBody = z.output<typeof AdminUserPatchBody>;

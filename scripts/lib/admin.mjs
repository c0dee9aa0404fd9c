/**
 * Creating or promoting admin accounts in D1, for `npm run admin:create` and the demo admin of `npm run dev`.
 * One UPSERT serves both the local binding and `wrangler d1 execute --remote --command`, so local and
 * production behave the same: a new email becomes an admin; an existing account is promoted, re-activated,
 * unlocked and given the new password, and its refresh tokens are revoked (old sessions end).
 */
import { createHash } from 'node:crypto';
import { hashPassword, verifyPassword } from './password.mjs';

export const DEMO_ADMIN = { email: 'admin@example.com', password: 'demo-admin-2026' };

const NOW = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

const UPSERT = `INSERT INTO users (email, password_hash, role, is_active, first_name, last_name)
VALUES (?1, ?2, 'admin', 1, ?3, ?4)
ON CONFLICT(email) DO UPDATE SET role = 'admin', is_active = 1, password_hash = excluded.password_hash,
  updated_at = ${NOW}`;

/** Ends every login lock and slow-down of the email (src/users/login-guard.ts keys them by this hash). */
const UNLOCK = `DELETE FROM login_failures WHERE email_hash = ?5`;
const emailHash = (email) => createHash('sha256').update(`login-email:${email.trim().toLowerCase()}`).digest('hex');

const REVOKE = `UPDATE refresh_tokens SET revoked_at = ${NOW}
WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE email = ?1)`;

/** SQL text literal ('' doubles quotes); used only for the remote command line, where binding is impossible. */
const literal = (s) => `'${String(s).replace(/'/g, "''")}'`;

/** The whole operation as one SQL text for `wrangler d1 execute --remote --command` (email must be validated). */
export function adminUpsertSql(email, password, { firstName = '', lastName = '' } = {}) {
  const values = [literal(email), literal(hashPassword(password)), literal(firstName), literal(lastName), literal(emailHash(email))];
  const bind = (sql) => sql.replace(/\?(\d)/g, (_, n) => values[Number(n) - 1]);
  return `${bind(REVOKE)}; ${bind(UPSERT)}; ${bind(UNLOCK)};`;
}

/**
 * Creates or promotes `email` as admin with `password` in the local D1 (a binding). One atomic batch.
 * Returns 'created' or 'promoted'.
 */
export async function upsertAdmin(db, email, password, { firstName = '', lastName = '' } = {}) {
  const existing = await db.prepare('SELECT id FROM users WHERE email = ?1').bind(email).first();
  await db.batch([
    db.prepare(REVOKE).bind(email),
    db.prepare(UPSERT).bind(email, hashPassword(password), firstName, lastName),
    db.prepare(UNLOCK.replace('?5', '?1')).bind(emailHash(email)),
  ]);
  return existing ? 'promoted' : 'created';
}

/**
 * Makes sure the demo admin can log in with the printed credentials: created when missing, repaired (role,
 * active, lock, password) when someone changed it. Returns 'created', 'repaired' or 'ok'.
 */
export async function ensureDemoAdmin(db) {
  const { email, password } = DEMO_ADMIN;
  const row = await db
    .prepare('SELECT role, is_active, password_hash FROM users WHERE email = ?1')
    .bind(email)
    .first();
  const usable =
    row && row.role === 'admin' && row.is_active === 1 &&
    verifyPassword(password, row.password_hash);
  if (usable) return 'ok';
  await upsertAdmin(db, email, password, { firstName: 'Demo', lastName: 'Admin' });
  return row ? 'repaired' : 'created';
}

/**
 * Passwords and emails for Node scripts, byte-compatible with src/users/password.ts and users.schemas.ts:
 * pbkdf2_sha256$100000$<salt base64>$<hash base64> (PBKDF2-SHA256, 16-byte salt, 32-byte key), so accounts
 * created here log in through POST /api/v1/token/.
 */
import { readFileSync } from 'node:fs';
import { pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

// Must equal PBKDF2_ITERATIONS in src/users/password.ts: deployed Workers refuse more than 100,000.
export const PBKDF2_ITERATIONS = 100_000;
const KEY_BYTES = 32;

export function hashPassword(password) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, PBKDF2_ITERATIONS, KEY_BYTES, 'sha256');
  return `pbkdf2_sha256$${PBKDF2_ITERATIONS}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function verifyPassword(password, stored) {
  const [alg, iterations, salt, hash] = String(stored).split('$');
  if (alg !== 'pbkdf2_sha256' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = pbkdf2Sync(password, Buffer.from(salt, 'base64'), Number(iterations), expected.length, 'sha256');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Trimmed and lower-cased, as the API stores emails. */
export const normalizeEmail = (email) => String(email).trim().toLowerCase();

// Deliberately simple: the same shape zod's z.email() accepts for ordinary addresses.
const EMAIL_RE = /^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/** Problems with an (already normalized) email, as messages; empty when valid. */
export function emailProblems(email) {
  if (!email) return ['email is required'];
  if (email.length > 254) return ['email must be at most 254 characters'];
  return EMAIL_RE.test(email) ? [] : [`email "${email}" is not a valid email address`];
}

/** The API's list of common passwords (src/users/common-passwords.txt, one per line, the file the Worker reads). */
let common;
function commonPasswords() {
  if (!common) {
    const text = readFileSync(new URL('../../src/users/common-passwords.txt', import.meta.url), 'utf8');
    common = new Set(text.split('\n').map((line) => line.trim()).filter(Boolean));
  }
  return common;
}

/** The password rules of API.md, as src/users/password-rules.ts applies them. */
export function passwordProblems(password, email) {
  if (!password) return ['password is required'];
  const problems = [];
  const length = [...password].length;
  if (length < 8) problems.push('password must be at least 8 characters');
  if (length > 128) problems.push('password must be at most 128 characters');
  if (/^\s+$/u.test(password)) problems.push('password must not be only whitespace');
  if (/^\p{Nd}+$/u.test(password)) problems.push('password must not be entirely numeric');
  if (commonPasswords().has(password.toLowerCase())) problems.push('password is too common');
  const p = password.trim().toLowerCase();
  if (email && (p === email || p === email.split('@')[0])) problems.push('password must not be the same as the email or its local part');
  return problems;
}

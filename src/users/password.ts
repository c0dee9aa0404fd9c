/**
 * Password hashing: PBKDF2-SHA256 through WebCrypto, a random 16-byte salt per hash, and 100,000 iterations —
 * the most deployed Workers accept (local workerd does not enforce the cap, so never raise it). The stored
 * format names algorithm and parameters so hashes can be upgraded on login:
 *   pbkdf2_sha256$<iterations>$<salt base64>$<hash base64>
 */
export const PBKDF2_ITERATIONS = 100_000;
const KEY_BYTES = 32;

const enc = new TextEncoder();
const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (text: string) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', enc.encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, KEY_BYTES * 8);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, PBKDF2_ITERATIONS);
  return `pbkdf2_sha256$${PBKDF2_ITERATIONS}$${b64(salt)}$${b64(hash)}`;
}

/** Constant-time equality of two byte strings of possibly different length. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual?: (x: ArrayBufferView, y: ArrayBufferView) => boolean };
  if (subtle.timingSafeEqual) return subtle.timingSafeEqual(a, b);
  let diff = 0;
  for (let i = 0; i < a.byteLength; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** True when `password` matches `stored`. Unknown formats never match. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 4 || parts[0] !== 'pbkdf2_sha256') return false;
  const iterations = Number(parts[1]);
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > PBKDF2_ITERATIONS) return false;
  try {
    const expected = unb64(parts[3]);
    const actual = await derive(password, unb64(parts[2]), iterations);
    return timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}

/** A stored hash made with weaker parameters than today's, to be re-hashed after a successful login. */
export function needsRehash(stored: string): boolean {
  const [alg, iterations] = stored.split('$');
  return alg !== 'pbkdf2_sha256' || Number(iterations) !== PBKDF2_ITERATIONS;
}

/**
 * A real hash (today's parameters) of a random password nobody knows, made offline once: logins for unknown
 * emails verify against it and so spend exactly the time of a known email's wrong password, from the first
 * request of an isolate on (a lazily computed decoy would cost the first unknown email a second hash).
 */
export const DECOY_HASH = 'pbkdf2_sha256$100000$Gf+xfyOz7IihSBW7265d2Q==$mfeaq8RpJRop9a/cwaVrX7jBwU+HabyL/h2epUj/M2c=';

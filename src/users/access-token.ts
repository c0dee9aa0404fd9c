/**
 * Access tokens: HS256 JWTs (RFC 7519) signed and verified with WebCrypto directly. A JWT library (jose, ~5 KiB
 * gzip) would add nothing for one fixed algorithm with an HMAC key. Verification pins the algorithm (the header
 * must say HS256, so "none" and RS/HS confusion are refused), checks the signature in constant time
 * (`crypto.subtle.verify`), then `iss`, `aud`, `exp`, `nbf` and the required claims; it returns null on any
 * failure (only the auth middleware turns that into a 401).
 */
import type { Config } from '../config';
import type { AuthUser } from '../env';

const keys = new Map<string, Promise<CryptoKey>>();
const encoder = new TextEncoder();

/** The HMAC key is imported once per isolate, not on every request. */
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
}

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

const encodeJson = (value: unknown) => base64url(encoder.encode(JSON.stringify(value)));
const decodeJson = (part: string): Record<string, unknown> => {
  const value = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(fromBase64url(part)));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
  return value as Record<string, unknown>;
};

export async function signAccessToken(cfg: Config['jwt'], user: Pick<AuthUser, 'id' | 'role'>): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    role: user.role,
    sub: String(user.id),
    iss: cfg.issuer,
    aud: cfg.audience,
    iat: now,
    exp: now + cfg.accessTtl,
    jti: crypto.randomUUID(),
  };
  const input = `${encodeJson({ alg: 'HS256', typ: 'JWT' })}.${encodeJson(payload)}`;
  const signature = await crypto.subtle.sign('HMAC', await hmacKey(cfg.secret), encoder.encode(input));
  return `${input}.${base64url(new Uint8Array(signature))}`;
}

export async function verifyAccessToken(cfg: Config['jwt'], token: string): Promise<AuthUser | null> {
  try {
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    const [head, body, sig] = parts;
    const header = decodeJson(head);
    if (header.alg !== 'HS256' || header.crit !== undefined) return null;
    const valid = await crypto.subtle.verify('HMAC', await hmacKey(cfg.secret), fromBase64url(sig), encoder.encode(`${head}.${body}`));
    if (!valid) return null;
    const claims = decodeJson(body);
    const now = Math.floor(Date.now() / 1000);
    const aud = claims.aud;
    if (claims.iss !== cfg.issuer) return null;
    if (!(aud === cfg.audience || (Array.isArray(aud) && aud.includes(cfg.audience)))) return null;
    if (typeof claims.exp !== 'number' || claims.exp <= now) return null;
    if (typeof claims.iat !== 'number' || (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > now))) return null;
    const id = Number(claims.sub);
    const role = claims.role;
    if (typeof claims.sub !== 'string' || !Number.isSafeInteger(id) || id <= 0 || (role !== 'customer' && role !== 'admin')) return null;
    return { id, role, exp: claims.exp };
  } catch {
    return null;
  }
}

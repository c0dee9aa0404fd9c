/**
 * Access tokens: HS256 JWTs signed with jose. Verification pins the algorithm and checks `iss`, `aud` and `exp`;
 * it returns null on any failure (only the auth middleware turns that into a 401).
 */
import { SignJWT, jwtVerify } from 'jose';
import type { Config } from '../config';
import type { AuthUser } from '../env';

const keys = new Map<string, Promise<CryptoKey>>();

/** The HMAC key is imported once per isolate, not on every request. */
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
}

export async function signAccessToken(cfg: Config['jwt'], user: Pick<AuthUser, 'id' | 'role'>): Promise<string> {
  return new SignJWT({ role: user.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(user.id))
    .setIssuer(cfg.issuer)
    .setAudience(cfg.audience)
    .setIssuedAt()
    .setExpirationTime(`${cfg.accessTtl}s`)
    .setJti(crypto.randomUUID())
    .sign(await hmacKey(cfg.secret));
}

export async function verifyAccessToken(cfg: Config['jwt'], token: string): Promise<AuthUser | null> {
  try {
    const { payload } = await jwtVerify(token, await hmacKey(cfg.secret), {
      algorithms: ['HS256'],
      issuer: cfg.issuer,
      audience: cfg.audience,
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    const id = Number(payload.sub);
    const role = payload.role;
    if (!Number.isSafeInteger(id) || id <= 0 || (role !== 'customer' && role !== 'admin')) return null;
    return { id, role, exp: payload.exp };
  } catch {
    return null;
  }
}

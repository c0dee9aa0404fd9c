/** Plain HTTP helpers for the untimed parts of the benchmark: preparing carts, minting tokens, probing routes. */
import { SignJWT } from 'jose';
import { PASSWORD, USER_COUNT, userEmail, userId } from './dataset.mjs';

export const REQUEST_TIMEOUT_MS = 60_000;

export async function api(base, method, path, { token, body } = {}) {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  }).catch((e) => {
    throw new Error(`${method} ${path} ${e?.name === 'TimeoutError' ? `got no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : `failed: ${e?.message}`}`);
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** Like `api` but throws unless the answer is 2xx, naming the step that failed. */
export async function must(step, base, method, path, opts) {
  const res = await api(base, method, path, opts).catch((e) => {
    throw new Error(`${step}: ${e.message}`);
  });
  if (res.status < 200 || res.status > 299) {
    const detail = res.json?.code ? `${res.json.code}: ${res.json.detail ?? ''}` : res.text.slice(0, 200);
    throw new Error(`${step}: ${method} ${path} answered ${res.status} (${detail})`);
  }
  return res;
}

/** Runs `fn(item, index)` over `items` with at most `limit` in flight. */
export async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export class RouteMissing extends Error {
  constructor(route) {
    super(`route missing: ${route}`);
    this.name = 'RouteMissing';
  }
}

/**
 * Throws RouteMissing when `method path` is not a route of the API: the app's own 404 for unknown routes
 * ("No route matches …") or a 405. The probe carries no token and no body, so protected routes answer 401
 * without changing anything.
 */
export async function requireRoute(base, method, path) {
  const res = await api(base, method, path);
  const unknown = res.status === 404 && /no route matches/i.test(res.json?.detail ?? '');
  if (unknown || res.status === 405) throw new RouteMissing(`${method} ${path}`);
}

/** An access token for each bench user, obtained by logging in (one PBKDF2 hash each on the server). */
export async function loginTokens(base) {
  const users = Array.from({ length: USER_COUNT }, (_, i) => i);
  return mapLimit(users, 8, async (i) => {
    const res = await must('login', base, 'POST', '/api/v1/token/', { body: { email: userEmail(i), password: PASSWORD } });
    return res.json.access;
  });
}

/**
 * Access tokens for the cart and checkout scenarios. The benchmark started the servers with its own JWT secret,
 * issuer and audience, so it signs the tokens itself (HS256, the claims of src/users/access-token.ts) instead of
 * spending 200 PBKDF2 hashes; if the API refuses such a token, it falls back to logging every user in.
 */
export async function benchTokens(base, jwt, { from = 0, count = USER_COUNT } = {}) {
  const key = new TextEncoder().encode(jwt.secret);
  const signed = await Promise.all(
    Array.from({ length: count }, (_, k) => from + k).map((i) =>
      new SignJWT({ role: 'customer' })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(String(userId(i)))
        .setIssuer(jwt.issuer)
        .setAudience(jwt.audience)
        .setIssuedAt()
        .setExpirationTime('1d')
        .setJti(crypto.randomUUID())
        .sign(key),
    ),
  );
  const probe = await api(base, 'GET', '/api/v1/users/profile/', { token: signed[0] });
  if (probe.status === 200 && probe.json?.email === userEmail(from)) return signed;
  if (from !== 0) throw new Error(`self-signed tokens refused with ${probe.status}`);
  console.error(`  (self-signed tokens refused with ${probe.status}; logging the ${USER_COUNT} users in instead)`);
  return loginTokens(base);
}

export const d1Of = (res) => {
  const m = /d1;desc="(\d+)"/.exec(res.headers.get('server-timing') ?? '');
  return m ? Number(m[1]) : null;
};

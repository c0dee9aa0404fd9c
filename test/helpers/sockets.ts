/** WebSocket helpers for tests: real upgrades through the Worker (SELF.fetch with `Upgrade: websocket`). */
import { SELF } from 'cloudflare:test';
import { SignJWT } from 'jose';
import { expect } from 'vitest';
import { BASE } from './http';
import { config } from './factories';

export interface TestSocket {
  res: Response;
  ws: WebSocket;
  messages: any[];
  /** Resolves once `n` messages in total have arrived (rejects after `ms`). */
  received(n: number, ms?: number): Promise<any[]>;
  /** Resolves with the close code and reason once the server closed the socket. */
  closed(ms?: number): Promise<{ code: number; reason: string }>;
}

export function upgrade(path: string, opts: { token?: string; via?: 'protocol' | 'query'; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { Upgrade: 'websocket', ...opts.headers };
  let url = `${BASE}${path}`;
  if (opts.token && (opts.via ?? 'protocol') === 'protocol') headers['Sec-WebSocket-Protocol'] = `bearer, ${opts.token}`;
  if (opts.token && opts.via === 'query') url += `${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(opts.token)}`;
  return SELF.fetch(url, { headers });
}

const waitUntil = <T>(check: () => T | undefined, ms: number, what: string) =>
  new Promise<T>((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const v = check();
      if (v !== undefined) return resolve(v);
      if (Date.now() - started > ms) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });

/** Opens a socket and starts collecting its messages (listeners attached before accept). */
export async function openSocket(path: string, token: string, via: 'protocol' | 'query' = 'protocol'): Promise<TestSocket> {
  const res = await upgrade(path, { token, via });
  expect(res.status, res.status === 101 ? '' : await res.clone().text()).toBe(101);
  const ws = res.webSocket!;
  const messages: any[] = [];
  let close: { code: number; reason: string } | undefined;
  ws.addEventListener('message', (e) => {
    messages.push(typeof e.data === 'string' && e.data.startsWith('{') ? JSON.parse(e.data) : e.data);
  });
  ws.addEventListener('close', (e) => {
    close = { code: e.code, reason: e.reason };
  });
  ws.accept();
  return {
    res,
    ws,
    messages,
    received: (n, ms = 5000) => waitUntil(() => (messages.length >= n ? messages.slice() : undefined), ms, `${n} messages (have ${messages.length})`),
    closed: (ms = 5000) => waitUntil(() => close, ms, 'close'),
  };
}

/** Lets in-flight pushes arrive before asserting that nothing more came. */
export const settle = (ms = 150) => new Promise((r) => setTimeout(r, ms));

/** An access token of `userId` that expires in `seconds`. */
export async function shortLivedToken(userId: number, role: 'customer' | 'admin', seconds: number): Promise<string> {
  const jwt = config().jwt;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(userId))
    .setIssuer(jwt.issuer)
    .setAudience(jwt.audience)
    .setIssuedAt(now - 10)
    .setExpirationTime(now + seconds)
    .setJti(crypto.randomUUID())
    .sign(new TextEncoder().encode(jwt.secret));
}

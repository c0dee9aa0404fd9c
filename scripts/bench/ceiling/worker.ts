/**
 * Ceiling Worker for `npm run bench`: the fastest answers a Hono app can give on this runtime, so every API
 * scenario can be reported as a ratio to it (absolute numbers drift with the machine; ratios do not).
 *   GET  /        a trivial JSON route: the request-rate ceiling.
 *   POST /pbkdf2  one PBKDF2-SHA256 hash at the API's 100,000 iterations and nothing else: the ceiling of a
 *                 login, which cannot be faster than the one hash it must compute.
 */
import { Hono } from 'hono';

const app = new Hono();
const salt = new TextEncoder().encode('bench-ceiling-salt');

app.get('/', (c) => c.json({ ok: true }));

app.post('/pbkdf2', async (c) => {
  const { password } = await c.req.json<{ password: string }>();
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 100_000 }, key, 256);
  return c.json({ bytes: bits.byteLength });
});

export default app;

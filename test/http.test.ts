/**
 * Cross-cutting HTTP behaviour (issue 2 item 3): problem+json everywhere, 404/405, malformed and oversized
 * bodies, request ids, trailing slashes, CORS, configuration errors and the generic 500.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../src/app';
import { makeUser } from './helpers/factories';
import { api, BASE, expectProblem, json } from './helpers/http';

const MiB = 1024 * 1024;
const PROBLEM_KEYS = ['code', 'detail', 'request_id', 'status', 'title', 'type'];

/** A JSON body of exactly `size` bytes: `{"email":"aaaa…"}`. */
const jsonOfSize = (size: number) => `{"email":"${'a'.repeat(size - 12)}"}`;

/** Calls a fresh app with a hand-made env (to simulate a bad configuration or a failing D1). */
async function callWithEnv(fakeEnv: Record<string, unknown>, path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const res = await buildApp().fetch(new Request(`${BASE}${path}`, init), fakeEnv as unknown as typeof env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

afterEach(() => vi.restoreAllMocks());

describe('problem+json and routing', () => {
  it('answers an unknown route with a complete 404 problem', async () => {
    const res = await api('GET', '/api/v1/does-not-exist/');
    const body = await expectProblem(res, 404, 'not_found');
    expect(Object.keys(body).sort()).toEqual(PROBLEM_KEYS);
    expect(body.detail).toContain('/api/v1/does-not-exist');
    await expectProblem(await api('GET', '/'), 404, 'not_found');
  });

  it('answers a known route with a wrong method with 405 and Allow', async () => {
    let res = await api('DELETE', '/api/v1/users/profile/');
    await expectProblem(res, 405, 'method_not_allowed');
    const allow = res.headers.get('Allow')!.split(', ');
    expect(allow).toEqual(expect.arrayContaining(['GET', 'PATCH', 'PUT']));
    expect(allow).not.toContain('DELETE');

    res = await api('GET', '/api/v1/token');
    await expectProblem(res, 405, 'method_not_allowed');
    expect(res.headers.get('Allow')).toContain('POST');
    expect(res.headers.get('Allow')).not.toContain('GET');
  });

  it('answers HEAD on a GET route without a body', async () => {
    const res = await api('HEAD', '/api/v1/health');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('treats the trailing slash as optional', async () => {
    for (const path of ['/api/v1/health', '/api/v1/health/']) {
      const res = await api('GET', path);
      expect(res.status).toBe(200);
      expect(await json(res)).toEqual({ status: 'ok', db: 'ok' });
    }
    const user = await makeUser();
    for (const path of ['/api/v1/users/profile', '/api/v1/users/profile/']) {
      const res = await api('GET', path, { token: user.token });
      expect(res.status).toBe(200);
      expect((await json(res)).email).toBe(user.email);
    }
    for (const path of ['/api/v1/token', '/api/v1/token/']) {
      const res = await api('POST', path, { body: { email: user.email, password: user.password } });
      expect(res.status).toBe(200);
    }
  });
});

describe('request bodies', () => {
  it('answers a body that is not JSON with malformed_json', async () => {
    for (const raw of ['{"email": "a@b.c", ', 'email=a@b.c', '{\'email\': 1}']) {
      const res = await api('POST', '/api/v1/users/register/', { raw, headers: { 'Content-Type': 'application/json' } });
      const body = await expectProblem(res, 400, 'malformed_json');
      expect(body.detail).not.toMatch(/SyntaxError|Unexpected token|at position/);
    }
  });

  it('answers JSON that is not an object with validation_error', async () => {
    const res = await api('POST', '/api/v1/token/', { raw: '[1, 2]', headers: { 'Content-Type': 'application/json' } });
    const body = await expectProblem(res, 400, 'validation_error');
    // zod's English message (zod/mini has none of its own: src/http/validate.ts configures them).
    expect(body.errors).toEqual([{ field: 'body', message: 'Invalid input: expected object, received array' }]);
  });

  it('refuses a JSON body over 1 MiB announced by Content-Length', async () => {
    const raw = jsonOfSize(MiB + 1);
    expect(raw.length).toBe(MiB + 1);
    const res = await api('POST', '/api/v1/users/register/', { raw, headers: { 'Content-Type': 'application/json' } });
    const body = await expectProblem(res, 413, 'payload_too_large');
    expect(body.detail).toContain('1 MiB');
  });

  it('accepts a body of exactly 1 MiB (and validates it)', async () => {
    const res = await api('POST', '/api/v1/users/register/', { raw: jsonOfSize(MiB), headers: { 'Content-Type': 'application/json' } });
    await expectProblem(res, 400, 'validation_error');
  });

  it('refuses a streamed body over 1 MiB that has no Content-Length', async () => {
    const chunk = new TextEncoder().encode('a'.repeat(64 * 1024));
    const bigStream = () => {
      let sent = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          controller.enqueue(chunk);
          sent += chunk.length;
          // The chunk that crosses 1 MiB is the last one.
          if (sent > MiB) controller.close();
        },
      });
    };
    // A stream body has no length, so it travels chunked: the limit must count the bytes as they arrive.
    const probe = new Request(`${BASE}/x`, { method: 'POST', body: bigStream() });
    expect(probe.headers.get('Content-Length')).toBeNull();
    const res = await api('POST', '/api/v1/users/register/', { raw: bigStream(), headers: { 'Content-Type': 'application/json' } });
    await expectProblem(res, 413, 'payload_too_large');
  });

  it('reads a streamed body over 1 MiB to its end before answering 413', async () => {
    // A half-read body makes workerd drop the connection, and `wrangler dev` then fails the next request (503).
    const chunk = new Uint8Array(64 * 1024).fill(32);
    let sent = 0;
    let finished = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 3 * MiB) {
          finished = true;
          controller.close();
          return;
        }
        controller.enqueue(chunk);
        sent += chunk.length;
      },
    });
    const res = await api('POST', '/api/v1/users/register/', { raw: body, headers: { 'Content-Type': 'application/json' } });
    await expectProblem(res, 413, 'payload_too_large');
    expect(finished).toBe(true);
  });

  it('accepts a small streamed body without Content-Length', async () => {
    const text = JSON.stringify({ email: 'stream@example.com', password: 'short' });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text));
        controller.close();
      },
    });
    const res = await api('POST', '/api/v1/users/register/', { raw: stream, headers: { 'Content-Type': 'application/json' } });
    const body = await expectProblem(res, 400, 'validation_error');
    expect(body.errors!.map((e) => e.field)).toContain('password');
  });
});

describe('X-Request-Id', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  it('is generated on every kind of answer', async () => {
    const user = await makeUser();
    const answers = [
      await api('GET', '/api/v1/health'),
      await api('GET', '/api/v1/nope'),
      await api('PUT', '/api/v1/health'),
      await api('GET', '/api/v1/users/profile/'),
      await api('POST', '/api/v1/users/logout/', { token: user.token, body: {} }),
      await api('OPTIONS', '/api/v1/products/', { headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'GET' } }),
    ];
    const ids = answers.map((res) => res.headers.get('X-Request-Id'));
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('echoes a sane client id in the header and in problem bodies', async () => {
    const id = 'client-Req_42.abc:7';
    let res = await api('GET', '/api/v1/health', { headers: { 'X-Request-Id': id } });
    expect(res.headers.get('X-Request-Id')).toBe(id);
    res = await api('GET', '/api/v1/nope', { headers: { 'X-Request-Id': id } });
    expect((await expectProblem(res, 404, 'not_found')).request_id).toBe(id);
  });

  it('replaces an insane client id', async () => {
    for (const bad of ['x'.repeat(500), 'has spaces in it', 'semi;colon', '<script>']) {
      const res = await api('GET', '/api/v1/health', { headers: { 'X-Request-Id': bad } });
      expect(res.headers.get('X-Request-Id')).toMatch(UUID);
    }
  });
});

describe('CORS (CORS_ORIGINS=https://shop.example,https://admin.example)', () => {
  it('allows a configured origin and exposes the useful headers', async () => {
    const res = await api('GET', '/api/v1/health', { headers: { Origin: 'https://shop.example' } });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://shop.example');
    expect(res.headers.get('Vary')).toContain('Origin');
    expect(res.headers.get('Access-Control-Expose-Headers')).toContain('X-Request-Id');
  });

  it('keeps CORS headers on error answers for an allowed origin', async () => {
    const res = await api('GET', '/api/v1/nope', { headers: { Origin: 'https://admin.example' } });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://admin.example');
    await expectProblem(res, 404, 'not_found');
  });

  it('does not allow a foreign origin', async () => {
    const res = await api('GET', '/api/v1/health', { headers: { Origin: 'https://evil.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('answers a preflight for an allowed origin', async () => {
    const res = await api('OPTIONS', '/api/v1/users/profile/', {
      headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'PATCH', 'Access-Control-Request-Headers': 'authorization, content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://shop.example');
    expect(res.headers.get('Access-Control-Allow-Methods')).toContain('PATCH');
    expect(res.headers.get('Access-Control-Allow-Headers')!.toLowerCase()).toContain('authorization');
    expect(res.headers.get('Access-Control-Allow-Headers')!.toLowerCase()).toContain('idempotency-key');
    expect(Number(res.headers.get('Access-Control-Max-Age'))).toBeGreaterThan(0);
  });

  it('answers a preflight for a foreign origin without allowing it', async () => {
    const res = await api('OPTIONS', '/api/v1/users/profile/', { headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'PATCH' } });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

describe('request log', () => {
  it('writes one JSON line per request with method, path, status, duration, request id and user id', async () => {
    const lines = vi.spyOn(console, 'log').mockImplementation(() => {});
    const user = await makeUser();
    const res = await callWithEnv({ ...env, LOG_LEVEL: 'info' }, '/api/v1/users/profile/?token=do-not-log', {
      headers: { Authorization: `Bearer ${user.token}`, 'X-Request-Id': 'log-1' },
    });
    expect(res.status).toBe(200);
    expect(lines).toHaveBeenCalledTimes(1);
    const text = String(lines.mock.calls[0][0]);
    expect(text).not.toContain('do-not-log');
    expect(text).not.toContain(user.token);
    expect(JSON.parse(text)).toEqual({
      level: 'info', event: 'request', method: 'GET', path: '/api/v1/users/profile/', status: 200,
      duration_ms: expect.any(Number), request_id: 'log-1', user_id: user.id, d1_calls: 1,
    });
  });
});

describe('configuration and unexpected errors', () => {
  it('answers 500 internal_error and logs the missing JWT_SECRET by name', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const res = await callWithEnv({ ...env, JWT_SECRET: undefined, LOG_LEVEL: 'info' }, '/api/v1/health', { headers: { 'X-Request-Id': 'cfg-1' } });
    const body = await expectProblem(res, 500, 'internal_error');
    expect(Object.keys(body).sort()).toEqual(PROBLEM_KEYS);
    expect(JSON.stringify(body)).not.toContain('JWT_SECRET');
    const lines = logged.mock.calls.map((args) => String(args[0]));
    const line = lines.find((l) => l.includes('JWT_SECRET'));
    expect(line, lines.join('\n')).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ level: 'error', event: 'configuration_error', request_id: 'cfg-1' });
  });

  it('answers a D1 failure with a generic 500: no SQL, no stack, logged with the request id', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const brokenDb = {
      prepare() {
        throw new Error('D1_ERROR: no such table: users: SQLITE_ERROR while running select "id" from "users"');
      },
    };
    const user = await makeUser();
    const res = await callWithEnv({ ...env, DB: brokenDb, LOG_LEVEL: 'info' }, '/api/v1/users/profile/', {
      headers: { Authorization: `Bearer ${user.token}`, 'X-Request-Id': 'boom-1' },
    });
    const body = await expectProblem(res, 500, 'internal_error');
    expect(body.detail).toBe('An unexpected error occurred.');
    expect(JSON.stringify(body)).not.toMatch(/select|SQLITE|D1_ERROR|users|at .*\.ts/i);
    expect(logged.mock.calls.map((a) => String(a[0])).some((l) => l.includes('"request_id":"boom-1"'))).toBe(true);
  });
});

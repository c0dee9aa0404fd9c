/**
 * Data that lives in the Worker's static assets instead of its bundle (issue 12 item 8): the admin console's
 * stylesheet and scripts, served as before (type, caching, strict CSP, plus ETag/304), and the common-password
 * list, read through the ASSETS binding once per isolate on the routes that set a password. Assets are reachable
 * only through the Worker's routes.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import consoleCss from '../src/console/assets/console.css?raw';
import consoleJs from '../src/console/assets/console.js?raw';
import threadJs from '../src/console/assets/thread.js?raw';
import passwordsTxt from '../src/users/common-passwords.txt?raw';
import { commonPasswords, COMMON_PASSWORDS_ASSET } from '../src/users/common-passwords';
import { ConsoleClient } from './helpers/console';
import { makeAdmin, makeUser, TEST_PASSWORD } from './helpers/factories';
import { api, expectProblem } from './helpers/http';

const FILES: [string, string, string][] = [
  ['console.css', 'text/css; charset=utf-8', consoleCss],
  ['console.js', 'text/javascript; charset=utf-8', consoleJs],
  ['thread.js', 'text/javascript; charset=utf-8', threadJs],
];

describe('console assets', () => {
  it.each(FILES)('%s: the committed file, with its type, a 5-minute cache and the console CSP', async (name, type, source) => {
    const res = await api('GET', `/admin/assets/${name}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe(type);
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=300');
    expect(res.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(await res.text()).toBe(source);
  });

  it('answers 304 to a matching If-None-Match, still cacheable', async () => {
    const first = await api('GET', '/admin/assets/console.css');
    await first.arrayBuffer();
    const etag = first.headers.get('ETag');
    expect(etag).toBeTruthy();
    const again = await api('GET', '/admin/assets/console.css', { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
    expect(again.headers.get('Cache-Control')).toBe('public, max-age=300');
    expect(again.headers.get('ETag')).toBe(etag);
    expect(await again.text()).toBe('');
    // Another file's tag does not match.
    const other = await api('GET', '/admin/assets/console.js', { headers: { 'If-None-Match': etag! } });
    expect(other.status).toBe(200);
    await other.arrayBuffer();
  });

  it('every page links the files it needs, and they load', async () => {
    const admin = await makeAdmin();
    const client = new ConsoleClient();
    await client.login(admin.email, TEST_PASSWORD);
    const { text } = await client.get('/admin/conversations');
    const urls = [...text.matchAll(/(?:src|href)="(\/admin\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(urls).toEqual(expect.arrayContaining(['/admin/assets/console.css', '/admin/assets/console.js']));
    for (const url of urls) {
      const res = await api('GET', url);
      expect(res.status, url).toBe(200);
      await res.arrayBuffer();
    }
  });

  it('serves nothing else: unknown names, other asset files, the assets directory itself', async () => {
    for (const name of ['nope.js', 'constructor', '..%2Finternal%2Fcommon-passwords.txt', 'swagger-ui.css']) {
      const res = await api('GET', `/admin/assets/${name}`);
      expect(res.status, name).toBe(404);
      await res.arrayBuffer();
    }
    for (const path of ['/console/console.css', COMMON_PASSWORDS_ASSET, '/api/openapi.json']) {
      await expectProblem(await api('GET', path), 404, 'not_found');
    }
  });
});

describe('the common-password list (static asset, loaded once per isolate)', () => {
  const silent = () => vi.spyOn(console, 'error').mockImplementation(() => {});

  it('holds exactly the committed list', async () => {
    const list = commonPasswords();
    await list.load(env.ASSETS);
    const lines = passwordsTxt.split('\n').filter(Boolean);
    expect(list.size).toBe(1000);
    expect(new Set(lines).size).toBe(1000);
    for (const p of lines) expect(list.has(p.toUpperCase()), p).toBe(true);
    expect(list.has('Tr0ub4dor&3-horse')).toBe(false);
  });

  it('is read once however many requests ask at the same time', async () => {
    let reads = 0;
    const counting = { fetch: (input: RequestInfo | URL, init?: RequestInit) => (reads++, env.ASSETS!.fetch(input, init)) } as Fetcher;
    const list = commonPasswords();
    await Promise.all(Array.from({ length: 10 }, () => list.load(counting)));
    await list.load(counting);
    expect(reads).toBe(1);
    expect(list.has('password')).toBe(true);
  });

  it('refuses to answer before a load was attempted (a password route without the middleware is a bug)', () => {
    expect(() => commonPasswords().has('password')).toThrow(/before load/);
  });

  it('missing binding or file: logs once, skips only this rule, and loads on a later request once it is there', async () => {
    const logged = silent();
    const list = commonPasswords();
    await list.load(undefined, 'error');
    const missing = { fetch: async () => new Response('not found', { status: 404 }) } as unknown as Fetcher;
    await list.load(missing, 'error');
    expect(list.has('password')).toBe(false);
    expect(logged).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(logged.mock.calls[0][0]))).toMatchObject({ level: 'error', event: 'common_passwords_unavailable' });
    await list.load(env.ASSETS, 'error');
    expect(list.has('password')).toBe(true);
    logged.mockRestore();
  });

  it('register, change and reset all refuse a common password, in any case', async () => {
    await expectProblem(await api('POST', '/api/v1/users/register/', { body: { email: `${crypto.randomUUID()}@example.com`, password: 'Sunshine1' } }), 400, 'validation_error');
    const user = await makeUser();
    const change = await api('POST', '/api/v1/users/password/change/', { token: user.token, body: { current_password: user.password, new_password: 'PASSWORD1' } });
    expect((await expectProblem(change, 400, 'validation_error')).errors).toEqual([{ field: 'new_password', message: 'is too common' }]);
    // Reset checks the body before the token: a common password is a 400 even with a made-up token.
    const reset = await api('POST', '/api/v1/users/password/reset/', { body: { token: 'made-up', new_password: 'Iloveyou1' } });
    expect((await expectProblem(reset, 400, 'validation_error')).errors).toEqual([{ field: 'new_password', message: 'is too common' }]);
  });
});

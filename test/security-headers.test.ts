/** Request hygiene (issue 11 item 4): security headers on every answer, the self-hosted docs UI, JSON-only bodies. */
import { describe, expect, it } from 'vitest';
import { SELF } from 'cloudflare:test';
import { api, BASE, expectProblem } from './helpers/http';
import { makeUser } from './helpers/factories';

const expectSecure = (res: Response) => {
  expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  expect(res.headers.get('X-Frame-Options')).toBe('DENY');
  expect(res.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
  expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
};

describe('security headers', () => {
  it('are on JSON answers, problems, 404s, 405s and preflights, with a CSP that runs nothing', async () => {
    const user = await makeUser();
    const answers = [
      await api('GET', '/api/v1/health'),
      await api('GET', '/api/v1/products/'),
      await api('GET', '/api/v1/orders/'),
      await api('GET', '/api/v1/orders/', { token: user.token }),
      await api('GET', '/api/v1/nope'),
      await api('DELETE', '/api/v1/health'),
      await api('OPTIONS', '/api/v1/products/', { headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'GET' } }),
    ];
    for (const res of answers) {
      expectSecure(res);
      expect(res.headers.get('Content-Security-Policy')).toMatch(/^default-src 'none'/);
      expect(res.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
    }
  });

  it('add HSTS only for https origins', async () => {
    expect((await SELF.fetch(`${BASE}/api/v1/health`)).headers.get('Strict-Transport-Security')).toMatch(/^max-age=\d+; includeSubDomains$/);
    const plain = await SELF.fetch('http://localhost/api/v1/health');
    expectSecure(plain);
    expect(plain.headers.get('Strict-Transport-Security')).toBeNull();
  });
});

describe('the docs page is served whole by the Worker', () => {
  it('loads only same-origin files, under a CSP that forbids other origins and inline scripts', async () => {
    const res = await api('GET', '/api/v1/docs/');
    expect(res.status).toBe(200);
    expectSecure(res);
    const csp = res.headers.get('Content-Security-Policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:|\*/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    const html = await res.text();
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThanOrEqual(3);
    for (const url of urls) expect(url, 'no other origin').toMatch(/^\/api\/v1\//);
    expect(html).not.toMatch(/<script>(?!<\/script>)|<script [^>]*>[^<]/); // no inline script
  });

  it('serves the Swagger UI files from the static assets, with the same headers', async () => {
    const js = await api('GET', '/api/v1/docs/ui/swagger-ui-bundle.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('Content-Type')).toContain('javascript');
    expectSecure(js);
    expect((await js.text()).length).toBeGreaterThan(500_000);
    const css = await api('GET', '/api/v1/docs/ui/swagger-ui.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('Content-Type')).toContain('text/css');
    await css.arrayBuffer();
    const etag = js.headers.get('ETag');
    if (etag) expect((await api('GET', '/api/v1/docs/ui/swagger-ui-bundle.js', { headers: { 'If-None-Match': etag } })).status).toBe(304);
    const init = await api('GET', '/api/v1/docs/init.js');
    expect(init.status).toBe(200);
    expect(await init.text()).toContain("url: '/api/v1/openapi.json'");
  });

  it('serves no other asset file', async () => {
    for (const file of ['LICENSE', 'index.html', '..%2F..%2Fwrangler.toml', 'swagger-ui.js']) {
      await expectProblem(await api('GET', `/api/v1/docs/ui/${file}`), 404, 'not_found');
    }
    // The assets directory is reachable only through the Worker's routes.
    await expectProblem(await api('GET', '/docs-ui/swagger-ui-bundle.js'), 404, 'not_found');
  });
});

describe('JSON routes take JSON bodies only (no CORS-free cross-site posts)', () => {
  const cases: [string, string][] = [
    ['text/plain', '{"payment_method":"cod"}'],
    ['application/x-www-form-urlencoded', 'payment_method=cod'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'],
  ];
  it.each(cases)('a %s body is 415 unsupported_media_type, before anything is written', async (type, raw) => {
    const user = await makeUser();
    await expectProblem(await api('POST', '/api/v1/orders/', { token: user.token, raw, headers: { 'Content-Type': type } }), 415, 'unsupported_media_type');
    // Without a content type at all, too (a browser's text/plain default).
    await expectProblem(await api('POST', '/api/v1/orders/', { token: user.token, raw: '{"payment_method":"cod"}' }), 415, 'unsupported_media_type');
  });

  it('accepts application/json and +json, and an empty body still counts as {}', async () => {
    const user = await makeUser();
    for (const type of ['application/json', 'application/json; charset=utf-8', 'application/merge-patch+json']) {
      const res = await api('POST', '/api/v1/orders/', { token: user.token, raw: '{}', headers: { 'Content-Type': type } });
      await expectProblem(res, 400, 'validation_error');
    }
    await expectProblem(await api('POST', '/api/v1/orders/', { token: user.token, raw: '' }), 400, 'validation_error');
  });
});

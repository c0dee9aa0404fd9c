/**
 * GET /api/v1/openapi.json serves a document built at build time (scripts/static-assets.mjs → static/api/openapi.json)
 * instead of building it in the Worker (issue 12 item 8). It must be exactly what the one generator
 * (src/http/openapi.ts) makes of the CURRENT route table, so a stale file fails here; with the same headers as
 * when it was built per request; and carrying the configured APP_NAME as its title.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { buildApp } from '../src/app';
import { openApiDocument } from '../src/http/openapi';
import { routeTable } from '../src/routes';
import { api, BASE, expectProblem } from './helpers/http';

async function fetchWith(overrides: Record<string, unknown>): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await buildApp().fetch(new Request(`${BASE}/api/v1/openapi.json`), { ...env, ...overrides } as unknown as typeof env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe('the served OpenAPI document', () => {
  it('is exactly the document generated from the current route table', async () => {
    const res = await api('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const served = await res.text();
    const generated = openApiDocument('Edge Shop API', routeTable);
    // Structural first (a readable diff when a route changed and the asset was not rebuilt), then byte for byte.
    expect(JSON.parse(served)).toEqual(generated);
    expect(served).toBe(JSON.stringify(generated));
  });

  it('keeps the headers it had when the Worker built it: JSON, no cache directive, the API security headers', async () => {
    const res = await api('GET', '/api/v1/openapi.json');
    await res.arrayBuffer();
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(res.headers.get('Cache-Control')).toBeNull();
    expect(res.headers.get('ETag')).toBeNull();
    expect(res.headers.get('Content-Security-Policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('is titled with the configured APP_NAME, everything else unchanged', async () => {
    const res = await fetchWith({ APP_NAME: 'Other Shop' });
    expect(res.status).toBe(200);
    const doc = await res.json<Record<string, any>>();
    expect(doc.info.title).toBe('Other Shop');
    expect({ ...doc, info: { ...doc.info, title: 'Edge Shop API' } }).toEqual(openApiDocument('Edge Shop API', routeTable));
  });

  it('a deploy without the asset is a logged 500 problem, not a crash', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'log').mockImplementation(() => {});
    // A title no earlier request used, so no copy kept in memory answers instead.
    const res = await fetchWith({ ASSETS: undefined, APP_NAME: 'No Assets Shop', LOG_LEVEL: 'error' });
    await expectProblem(res, 500, 'internal_error');
    expect(logged).toHaveBeenCalled();
    vi.restoreAllMocks();
  });
});

describe('the served docs page', () => {
  it('is the page rendered from src/system/docs-page.ts, with the configured APP_NAME escaped into its title', async () => {
    const { docsPage } = await import('../src/system/docs-page');
    const res = await api('GET', '/api/v1/docs/');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(await res.text()).toBe(docsPage().replace('%APP_NAME%', 'Edge Shop API'));
    const ctx = createExecutionContext();
    const other = await buildApp().fetch(new Request(`${BASE}/api/v1/docs/`), { ...env, APP_NAME: '<b>Shop & Co</b>' } as unknown as typeof env, ctx);
    await waitOnExecutionContext(ctx);
    const html = await other.text();
    expect(html).toContain('<title>&#60;b&#62;Shop &#38; Co&#60;/b&#62; — API docs</title>');
    expect(html).toContain('id="problem-insufficient-stock"');
  });

  it('serves its start-up script from the assets with the same headers as before', async () => {
    const { DOCS_INIT_SCRIPT } = await import('../src/system/docs-page');
    const res = await api('GET', '/api/v1/docs/init.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=300');
    expect(await res.text()).toBe(DOCS_INIT_SCRIPT);
  });
});

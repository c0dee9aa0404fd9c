/**
 * The interactive API docs, served whole by this Worker: the page (with the problem-code reference), a tiny
 * start-up script — both rendered at build time (src/system/docs-page.ts) — and the Swagger UI files, all from the
 * Worker's static assets (copied from the lockfile-pinned `swagger-ui-dist` package by
 * scripts/static-assets.mjs). Nothing loads from another origin, so the page works offline and under a CSP of
 * `'self'` only; the UI's JavaScript is an asset, never part of the Worker bundle.
 */
import * as z from 'zod/mini';
import { defineRoute } from '../http/route';
import { AppError } from '../errors';
import { assetText } from '../http/asset-text';
import { DOCS_INIT_ASSET, DOCS_UI_BASE, docsPageHtml } from './docs-assets';

/** The files the page loads from the assets; anything else under /ui/ is not found. */
const UI_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css'] as const;

export const docsRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/docs/',
    auth: 'public',
    tag: 'System',
    summary: 'Interactive API documentation',
    responses: { 200: { description: 'HTML page', contentType: 'text/html' } },
    // The per-code reference that every problem `type` URL points at (#problem-<code>).
    handler: async (c) => c.html(await docsPageHtml(c.env.ASSETS, c.get('config').appName)),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/docs/init.js',
    auth: 'public',
    tag: 'System',
    summary: 'Start-up script of the docs page',
    responses: { 200: { description: 'JavaScript', contentType: 'text/javascript' } },
    handler: async (c) => c.body(await assetText(c.env.ASSETS, DOCS_INIT_ASSET), 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=300' }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/docs/ui/:file',
    auth: 'public',
    tag: 'System',
    summary: 'Docs UI files (Swagger UI), from the static assets',
    request: { params: z.object({ file: z.string().check(z.describe(`One of ${UI_FILES.join(', ')}`)) }) },
    responses: { 200: { description: 'The file' }, 304: { description: 'Not modified (If-None-Match)' } },
    errors: ['not_found'],
    handler: async (c, { params }) => {
      const assets = c.env.ASSETS;
      if (!(UI_FILES as readonly string[]).includes(params.file) || !assets) throw new AppError('not_found', 'No such docs file.');
      // Only the revalidation header is passed on: the asset server answers 304 to a matching If-None-Match.
      const inm = c.req.header('If-None-Match');
      const res = await assets.fetch(new URL(`${DOCS_UI_BASE}${params.file}`, c.req.url), inm ? { headers: { 'If-None-Match': inm } } : undefined);
      if (res.status === 304) return new Response(null, { status: 304, headers: res.headers });
      if (!res.ok) throw new AppError('not_found', 'No such docs file.');
      // A fresh Response: the asset's headers are immutable, and the secure-headers middleware adds its own.
      return new Response(res.body, { status: 200, headers: res.headers });
    },
  }),
];

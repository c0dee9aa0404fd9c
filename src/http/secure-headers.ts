/**
 * Security headers on every answer (hono/secure-headers), chosen after the handler ran so problems, 404s, 405s
 * and cached answers get them too:
 * - everywhere: `nosniff`, `X-Frame-Options: DENY` and `frame-ancestors 'none'`, no referrer, same-origin opener;
 * - JSON and other non-HTML answers: `default-src 'none'` (an API answer opened in a browser runs nothing);
 * - HTML pages (the docs): scripts, styles, images and fetches from this origin only, so nothing from a CDN;
 * - media (product images): `Cross-Origin-Resource-Policy: cross-origin`, so shop front ends on other origins
 *   can show them in `<img>`; everything else is same-origin;
 * - HSTS only when the request came over https (production); plain-http `wrangler dev` never pins the browser.
 * A handler that sets one of these headers itself keeps its own value (`overwrite: false`).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

const common = {
  xFrameOptions: 'DENY',
  strictTransportSecurity: false,
  crossOriginOpenerPolicy: true,
  referrerPolicy: 'no-referrer',
  overwrite: false,
} as const;

const NOTHING = { defaultSrc: ["'none'"], frameAncestors: ["'none'"] };

/** The docs page: Swagger UI from /api/v1/docs/ui/ and the OpenAPI document, all same-origin. */
export const PAGE_CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  // Swagger UI (React) sets a few `style` attributes while rendering; styles cannot run code.
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

const apiHeaders = secureHeaders({ ...common, contentSecurityPolicy: NOTHING });
const mediaHeaders = secureHeaders({ ...common, crossOriginResourcePolicy: 'cross-origin', contentSecurityPolicy: NOTHING });
const pageHeaders = secureHeaders({ ...common, contentSecurityPolicy: PAGE_CSP });

export const HSTS = 'max-age=31536000; includeSubDomains';
const MEDIA_PATH = /^\/api\/v1\/media\//;

function pick(c: Context) {
  if (/^text\/html/i.test(c.res.headers.get('Content-Type') ?? '')) return pageHeaders;
  if (MEDIA_PATH.test(c.req.path)) return mediaHeaders;
  return apiHeaders;
}

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  // A WebSocket upgrade (101) carries its socket on the Response object: leave it exactly as it is.
  if (c.res.status === 101) return;
  // Answers from fetch()/the cache have immutable headers: copy once before adding ours.
  try {
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
  } catch {
    c.res = new Response(c.res.body, c.res);
  }
  await pick(c)(c, async () => {});
  if (new URL(c.req.url).protocol === 'https:' && !c.res.headers.has('Strict-Transport-Security')) c.res.headers.set('Strict-Transport-Security', HSTS);
};

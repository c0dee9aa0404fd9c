/**
 * Security headers on every answer, chosen after the handler ran so problems, 404s, 405s
 * and cached answers get them too:
 * - everywhere: `nosniff`, `X-Frame-Options: DENY` and `frame-ancestors 'none'`, no referrer, same-origin opener;
 * - JSON and other non-HTML answers: `default-src 'none'` (an API answer opened in a browser runs nothing);
 * - HTML pages (the docs): scripts, styles, images and fetches from this origin only, so nothing from a CDN;
 * - media (product images): `Cross-Origin-Resource-Policy: cross-origin`, so shop front ends on other origins
 *   can show them in `<img>`; everything else is same-origin;
 * - HSTS only when the request came over https (production); plain-http `wrangler dev` never pins the browser.
 * A handler that sets one of these headers itself keeps its own value.
 */
import type { Context, MiddlewareHandler } from 'hono';

/**
 * The headers every answer gets (the set hono/secure-headers sends by default, with our choices: `DENY`, no
 * referrer, no HSTS here), written out as constants: the middleware is a loop over a fixed list, and its ~3 KB
 * of option handling stay out of the bundle.
 */
const COMMON: readonly (readonly [string, string])[] = [
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'DENY'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
];

/** JSON and other non-HTML answers: an API answer opened in a browser runs and embeds nothing. */
const NOTHING = "default-src 'none'; frame-ancestors 'none'";

/** The docs page: Swagger UI from /api/v1/docs/ui/ and the OpenAPI document, all same-origin. */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // Swagger UI (React) sets a few `style` attributes while rendering; styles cannot run code.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const headerSet = (resourcePolicy: string, csp: string) => [...COMMON, ['Cross-Origin-Resource-Policy', resourcePolicy], ['Content-Security-Policy', csp]] as const;
const API_HEADERS = headerSet('same-origin', NOTHING);
const MEDIA_HEADERS = headerSet('cross-origin', NOTHING);
const PAGE_HEADERS = headerSet('same-origin', PAGE_CSP);

export const HSTS = 'max-age=31536000; includeSubDomains';
const MEDIA_PATH = /^\/api\/v1\/media\//;

function pick(c: Context) {
  if (/^text\/html/i.test(c.res.headers.get('Content-Type') ?? '')) return PAGE_HEADERS;
  if (MEDIA_PATH.test(c.req.path)) return MEDIA_HEADERS;
  return API_HEADERS;
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
  const headers = c.res.headers;
  // A handler that set one of these itself (the console's own CSP, say) keeps its value.
  for (const [name, value] of pick(c)) if (!headers.has(name)) headers.set(name, value);
  headers.delete('X-Powered-By');
  if (new URL(c.req.url).protocol === 'https:' && !headers.has('Strict-Transport-Security')) headers.set('Strict-Transport-Security', HSTS);
};

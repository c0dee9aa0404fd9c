/**
 * Edge cache for public catalog reads (category and product lists/details, product reviews): the middleware.
 * Storage, lifetimes and purging are in cache-store.ts; what each answer depends on is in cache-tags.ts.
 *
 * A hit calls nothing remote: no Durable Object, no D1, only this isolate's memory or the data centre's Cache
 * API. Freshness comes from lifetimes (at most EDGE_TTL_SECONDS, the bound API.md allows for stock to trail
 * checkouts) and from purges by tag that every catalog write runs after it commits and before it answers.
 *
 * The key is built from the VALIDATED request, not the raw URL: known parameters only, normalised values
 * (`page=01` is page 1, `in_stock=True` is true, `min_price=5` is 5.00), defaults dropped, sorted; numeric path
 * segments without leading zeros. So `?page=1`, `?page=01&x=1` and no query at all are one entry, and
 * unknown parameters never create entries. The handler builds its links from the same canonical URL
 * (`catalogUrl`), so every request sharing a key would have produced the same bytes.
 *
 * Clients get an `ETag` (hash of the body), `304` for a matching `If-None-Match`, and
 * `Cache-Control: public, max-age=0, must-revalidate`. `CATALOG_CACHE=off` skips storing and looking up; keys,
 * ETag and 304 work the same. Only 200 answers are stored; errors pass through untouched.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type * as z from 'zod/mini';
import type { AppEnv } from '../env';
import { logError } from '../http/logging';
import { normalizeQuery } from '../http/validate';
import { sha256Hex } from '../lib/crypto';
import { EDGE_TTL_SECONDS, lookup, store, type CachedAnswer } from './cache-store';

export { EDGE_TTL_SECONDS } from './cache-store';
export const CLIENT_CACHE_CONTROL = 'public, max-age=0, must-revalidate';
const KEY_PREFIX = '/__catalog-cache';

/** How a route's answers are keyed and tagged. */
export interface CacheSpec<Q extends z.ZodMiniType = z.ZodMiniType> {
  /** The route's query schema: the key holds its parsed output, without unknown parameters or defaults. */
  query?: Q;
  /**
   * How a parsed value is written back into the canonical URL when `String(value)` would not parse back, or
   * undefined when it is the default in that context (dropped from the key).
   */
  format?: Partial<Record<string, (value: never, parsed: z.output<Q>) => string | undefined>>;
  /** The tags of a 200 answer (see cache-tags.ts), from its JSON body and the parsed query. */
  tags: (body: any, query: z.output<Q> | undefined, c: Context<AppEnv>) => string[];
}

/** Path with exactly one trailing slash and numeric segments without leading zeros (`/products/007/` is `/products/7/`). */
function canonicalPath(pathname: string): string {
  const segments = pathname.replace(/\/+$/, '').split('/');
  return segments.map((s) => (/^\d+$/.test(s) ? s.replace(/^0+(?=\d)/, '') : s)).join('/') + '/';
}

/** The canonical URL of a raw request URL: path normalised, query sorted (used where no schema applies). */
export function canonicalUrl(requestUrl: string): URL {
  const url = new URL(requestUrl);
  url.pathname = canonicalPath(url.pathname);
  const pairs = [...url.searchParams.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  url.search = new URLSearchParams(pairs).toString();
  url.hash = '';
  return url;
}

const defaultsOf = new WeakMap<z.ZodMiniType, Record<string, unknown>>();
const NO_QUERY = {} as z.ZodMiniType;

/**
 * The canonical URL of a request whose query parsed to `parsed`: every defined value that differs from the
 * schema's default, written back with `format` or `String`, sorted by name.
 */
export function canonicalFromParsed(requestUrl: string, schema: z.ZodMiniType, parsed: Record<string, unknown>, format: CacheSpec<any>["format"] = {}): URL {
  let defaults = defaultsOf.get(schema);
  if (!defaults) defaultsOf.set(schema, (defaults = (schema === NO_QUERY ? {} : (schema.safeParse({}).data ?? {})) as Record<string, unknown>));
  const url = new URL(requestUrl);
  url.pathname = canonicalPath(url.pathname);
  const pairs: [string, string][] = [];
  for (const name of Object.keys(parsed).sort()) {
    const value = parsed[name];
    if (value === undefined || value === defaults[name]) continue;
    const write = format[name] as ((v: unknown, q: unknown) => string | undefined) | undefined;
    const text = write ? write(value, parsed) : String(value);
    if (text !== undefined) pairs.push([name, text]);
  }
  url.search = new URLSearchParams(pairs).toString();
  url.hash = '';
  return url;
}

/** The cache key of a canonical URL: same origin (absolute URLs in bodies match the caller), reserved path. */
export const cacheKeyOf = (canonical: URL) => `${canonical.origin}${KEY_PREFIX}${canonical.pathname}${canonical.search}`;

/** The canonical URL of the current catalog request (set by the middleware); handlers build links from it. */
export const catalogUrl = (c: Context<AppEnv>): URL => c.get('catalogUrl') ?? canonicalUrl(c.req.url);

/** True when an `If-None-Match` header lists `etag` (weak comparison, as RFC 9110 asks for GET). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}

function clientResponse(c: Context<AppEnv>, answer: Pick<CachedAnswer, 'body' | 'etag' | 'contentType'>, state: string): Response {
  const headers = { ETag: answer.etag, 'Cache-Control': CLIENT_CACHE_CONTROL, 'X-Cache': state };
  if (etagMatches(c.req.header('If-None-Match'), answer.etag)) return new Response(null, { status: 304, headers });
  return new Response(answer.body, { status: 200, headers: { ...headers, 'Content-Type': answer.contentType } });
}

/**
 * Middleware for public catalog GET routes. Put it first on the route, before validation: a hit never runs
 * the handler. Requests carrying `Authorization` share the cache: these answers do not depend on the caller.
 */
export function catalogCache<Q extends z.ZodMiniType>(spec: CacheSpec<Q>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let parsed: Record<string, unknown> | undefined;
    if (spec.query) {
      const result = spec.query.safeParse(normalizeQuery(c.req.queries()));
      // An invalid query is the route validator's to answer (400); such answers are never stored.
      if (!result.success) return next();
      parsed = result.data as Record<string, unknown>;
    }
    // A route without a query schema reads no parameter: every query string is the same answer.
    const canonical = spec.query ? canonicalFromParsed(c.req.url, spec.query, parsed!, spec.format) : canonicalFromParsed(c.req.url, NO_QUERY, {});
    c.set('catalogUrl', canonical);
    let key: string | null = c.get('config').catalogCache ? cacheKeyOf(canonical) : null;
    if (key) {
      try {
        const hit = await lookup(key);
        if (hit) return clientResponse(c, hit, 'HIT');
      } catch (err) {
        // The cache is an optimisation: if it fails, answer from D1 without storing.
        logError(c, 'catalog_cache_unavailable', err);
        key = null;
      }
    }
    await next();
    const res = c.res;
    if (res.status !== 200) return;
    const answer: CachedAnswer = {
      body: await res.text(),
      contentType: res.headers.get('Content-Type') ?? 'application/json',
      etag: '',
      expires: Date.now() + EDGE_TTL_SECONDS * 1000,
    };
    answer.etag = `"${(await sha256Hex(answer.body)).slice(0, 32)}"`;
    if (key) {
      const tags = spec.tags(JSON.parse(answer.body), parsed as z.output<Q> | undefined, c);
      // Awaited rather than left to waitUntil: the next request for this URL is then guaranteed a hit, which keeps
      // the behaviour deterministic (tests, benchmark warm-up). A failed put only costs a later miss.
      await store(key, answer, tags).catch((err) => logError(c, 'catalog_cache_put_failed', err));
    }
    // Setting c.res keeps the headers middleware set earlier (CORS, Server-Timing); the handler sets none of ours.
    c.res = clientResponse(c, answer, key ? 'MISS' : 'BYPASS');
  };
}

/**
 * Edge cache for public catalog reads (category and product lists/details, product reviews), in one place.
 *
 * Key: the request origin + the canonical URL (sorted query, one trailing slash) + the catalog version held
 * by the CatalogVersion Durable Object. Every catalog write bumps that version after it commits and before
 * it answers, so a read that starts after a write's response can only find entries built after the write.
 * Entries live at most `EDGE_TTL_SECONDS` (the bound API.md allows for stock to trail checkouts, which do
 * not bump the version). A hit costs one DO call and one cache lookup, and no D1 query.
 *
 * Two tiers share that key: a small in-isolate memory map (L1) in front of `caches.default` (L2). An L1 entry
 * expires at the same instant as the L2 entry it came from, so neither tier can serve beyond the 10 s bound, and
 * the version check still runs on every request, so L1 is exactly as consistent as L2.
 *
 * Clients get an `ETag` (hash of the body), `304` for a matching `If-None-Match`, and
 * `Cache-Control: public, max-age=0, must-revalidate` so they always revalidate. `CATALOG_CACHE=off` skips the
 * edge cache; ETag/304 still work. Only 200 answers are stored; errors pass through untouched.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { logError } from '../http/logging';
import { sha256Hex } from '../lib/crypto';
import { catalogVersion } from './catalog-version';

export const EDGE_TTL_SECONDS = 10;
export const CLIENT_CACHE_CONTROL = 'public, max-age=0, must-revalidate';
const STORED_CACHE_CONTROL = `public, s-maxage=${EDGE_TTL_SECONDS}`;
const KEY_PREFIX = '/__catalog-cache/v';
/** When the stored entry stops being fresh (epoch ms); carried by L2 entries so L1 copies expire with them. */
const EXPIRES_HEADER = 'X-Catalog-Cache-Expires';

interface MemoryEntry {
  body: string;
  etag: string;
  contentType: string;
  expires: number;
}

/** L1: insertion-ordered map used as an LRU, bounded in entries and bytes (isolates have 128 MB). */
const memory = new Map<string, MemoryEntry>();
const MEMORY_MAX_ENTRIES = 512;
const MEMORY_MAX_BYTES = 8 * 1024 * 1024;
let memoryBytes = 0;

function memoryGet(key: string, now: number): MemoryEntry | undefined {
  const entry = memory.get(key);
  if (!entry) return undefined;
  memory.delete(key);
  if (entry.expires <= now) {
    memoryBytes -= entry.body.length;
    return undefined;
  }
  memory.set(key, entry); // most recently used last
  return entry;
}

function memoryPut(key: string, entry: MemoryEntry): void {
  if (entry.body.length > MEMORY_MAX_BYTES / 8) return;
  const old = memory.get(key);
  if (old) {
    memory.delete(key);
    memoryBytes -= old.body.length;
  }
  memory.set(key, entry);
  memoryBytes += entry.body.length;
  for (const [k, e] of memory) {
    if (memory.size <= MEMORY_MAX_ENTRIES && memoryBytes <= MEMORY_MAX_BYTES) break;
    memory.delete(k);
    memoryBytes -= e.body.length;
  }
}

/**
 * The URL the answer is built from: path with exactly one trailing slash, query parameters sorted by name
 * (repeated names keep their order). Routes build pagination links from it, so every request that shares a
 * cache key would have produced byte-identical bodies.
 */
export function canonicalUrl(requestUrl: string): URL {
  const url = new URL(requestUrl);
  url.pathname = url.pathname.replace(/\/+$/, '') + '/';
  const pairs = [...url.searchParams.entries()];
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  url.search = new URLSearchParams(pairs).toString();
  url.hash = '';
  return url;
}

/** The cache key of a request for a catalog version: same origin (so absolute URLs in bodies match), versioned path. */
export function cacheKey(requestUrl: string, version: number): string {
  const url = canonicalUrl(requestUrl);
  return `${url.origin}${KEY_PREFIX}${version}${url.pathname}${url.search}`;
}

/** True when an `If-None-Match` header lists `etag` (weak comparison, as RFC 9110 asks for GET). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}

function clientResponse(c: Context<AppEnv>, body: BodyInit | null, etag: string, contentType: string, state: string): Response {
  const headers = { ETag: etag, 'Cache-Control': CLIENT_CACHE_CONTROL, 'X-Cache': state };
  if (etagMatches(c.req.header('If-None-Match'), etag)) return new Response(null, { status: 304, headers });
  return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': contentType } });
}

/** Reads the fresh answer the handler produced, tags it with an ETag and (when `key` is given) stores it. */
async function finish(c: Context<AppEnv>, key: string | null): Promise<void> {
  const res = c.res;
  if (res.status !== 200) return;
  const body = await res.text();
  const contentType = res.headers.get('Content-Type') ?? 'application/json';
  const etag = `"${(await sha256Hex(body)).slice(0, 32)}"`;
  if (key) {
    const expires = Date.now() + EDGE_TTL_SECONDS * 1000;
    memoryPut(key, { body, etag, contentType, expires });
    const stored = new Response(body, {
      headers: { 'Content-Type': contentType, ETag: etag, 'Cache-Control': STORED_CACHE_CONTROL, [EXPIRES_HEADER]: String(expires) },
    });
    // Awaited rather than left to waitUntil: the next request for this URL is then guaranteed a hit, which keeps
    // the behaviour deterministic (tests, benchmark warm-up). A failed put only costs a later miss.
    await caches.default.put(key, stored).catch((err) => logError(c, 'catalog_cache_put_failed', err));
  }
  // Setting c.res keeps the headers middleware set earlier (CORS); the handler sets none of ours.
  c.res = clientResponse(c, body, etag, contentType, key ? 'MISS' : 'BYPASS');
}

/**
 * Middleware for public catalog GET routes. Put it first on the route, before validation: a hit never runs
 * the handler. Requests carrying `Authorization` share the cache: these answers do not depend on the caller.
 */
export const catalogCache: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get('config').catalogCache) {
    await next();
    return finish(c, null);
  }
  let key: string | null = null;
  try {
    key = cacheKey(c.req.url, await catalogVersion(c.env));
    const now = Date.now();
    const local = memoryGet(key, now);
    if (local) return clientResponse(c, local.body, local.etag, local.contentType, 'HIT');
    const hit = await caches.default.match(key);
    if (hit) {
      const entry: MemoryEntry = {
        body: await hit.text(),
        etag: hit.headers.get('ETag') ?? '""',
        contentType: hit.headers.get('Content-Type') ?? 'application/json',
        expires: Number(hit.headers.get(EXPIRES_HEADER)) || now + EDGE_TTL_SECONDS * 1000,
      };
      if (entry.expires > now) memoryPut(key, entry);
      return clientResponse(c, entry.body, entry.etag, entry.contentType, 'HIT');
    }
  } catch (err) {
    // The cache is an optimisation: if the version DO or the cache fails, answer from D1 without storing.
    logError(c, 'catalog_cache_unavailable', err);
    key = null;
  }
  await next();
  return finish(c, key);
};

/**
 * Where cached catalog answers live and how they are purged: the one small interface between the catalog
 * cache and the platform. Nothing here calls anything remote on a read.
 *
 * Two tiers under the same key:
 *   L1  a bounded map in this isolate's memory: an entry lives at most MEMORY_TTL_SECONDS (and never beyond the
 *       L2 entry it came from). Other isolates cannot purge it, so its lifetime bounds how long they can lag.
 *   L2  the Cache API (`caches.default`, the data centre's cache): at most EDGE_TTL_SECONDS, stored with a
 *       `Cache-Tag` header listing its tags.
 *
 * Purging by tag (`purgeTags`):
 *   local   this isolate remembers which keys it stored under which tag and deletes them from L1 and L2. Under
 *           `wrangler dev`, `npm run dev` and the test pool there is one isolate, so a purge is exact and immediate.
 *   global  production: additionally `cache.purge({ tags })` from `cloudflare:workers` (Workers Cache), which
 *           reaches every data centre. Chosen automatically when the runtime has it; miniflare does not.
 * Whatever the purge reaches, EDGE_TTL_SECONDS is the hard bound: no tier serves an entry older than that.
 */
import * as workers from 'cloudflare:workers';

export const EDGE_TTL_SECONDS = 10;
export const MEMORY_TTL_SECONDS = 2;

export interface CachedAnswer {
  body: string;
  etag: string;
  contentType: string;
  /** Epoch ms at which the L2 entry stops being fresh. */
  expires: number;
}

/** Header of L2 entries carrying `expires`, so L1 copies made from them expire no later. */
const EXPIRES_HEADER = 'X-Catalog-Cache-Expires';

// ---- L1: insertion-ordered map used as an LRU, bounded in entries and bytes (isolates have 128 MB) ----
interface MemoryEntry extends CachedAnswer {
  memoryExpires: number;
}
const memory = new Map<string, MemoryEntry>();
const MEMORY_MAX_ENTRIES = 512;
const MEMORY_MAX_BYTES = 8 * 1024 * 1024;
let memoryBytes = 0;

function memoryDelete(key: string): void {
  const old = memory.get(key);
  if (!old) return;
  memory.delete(key);
  memoryBytes -= old.body.length;
}

function memoryGet(key: string, now: number): CachedAnswer | undefined {
  const entry = memory.get(key);
  if (!entry) return undefined;
  memory.delete(key);
  if (entry.memoryExpires <= now) {
    memoryBytes -= entry.body.length;
    return undefined;
  }
  memory.set(key, entry); // most recently used last
  return entry;
}

function memoryPut(key: string, answer: CachedAnswer, now: number): void {
  if (answer.body.length > MEMORY_MAX_BYTES / 8 || answer.expires <= now) return;
  memoryDelete(key);
  memory.set(key, { ...answer, memoryExpires: Math.min(answer.expires, now + MEMORY_TTL_SECONDS * 1000) });
  memoryBytes += answer.body.length;
  for (const [k] of memory) {
    if (memory.size <= MEMORY_MAX_ENTRIES && memoryBytes <= MEMORY_MAX_BYTES) break;
    memoryDelete(k);
  }
}

// ---- the local tag index: which keys this isolate stored under which tag (until they expire) ----
const keysByTag = new Map<string, Set<string>>();
const tagsByKey = new Map<string, { tags: string[]; expires: number }>();
let nextSweep = 0;

function unindex(key: string): void {
  const entry = tagsByKey.get(key);
  if (!entry) return;
  tagsByKey.delete(key);
  for (const t of entry.tags) {
    const keys = keysByTag.get(t);
    keys?.delete(key);
    if (keys?.size === 0) keysByTag.delete(t);
  }
}

function index(key: string, tags: string[], expires: number, now: number): void {
  unindex(key);
  tagsByKey.set(key, { tags, expires });
  for (const t of tags) {
    let keys = keysByTag.get(t);
    if (!keys) keysByTag.set(t, (keys = new Set()));
    keys.add(key);
  }
  if (now >= nextSweep) {
    // Expired entries cannot be served any more, so they need no purge: forget them (bounds the index).
    nextSweep = now + EDGE_TTL_SECONDS * 1000;
    for (const [k, e] of tagsByKey) if (e.expires <= now) unindex(k);
  }
}

/** A cached answer for `key`, from memory or the Cache API; undefined on a miss. */
export async function lookup(key: string): Promise<CachedAnswer | undefined> {
  const now = Date.now();
  const local = memoryGet(key, now);
  if (local) return local;
  const hit = await caches.default.match(key);
  if (!hit) return undefined;
  const answer: CachedAnswer = {
    body: await hit.text(),
    etag: hit.headers.get('ETag') ?? '""',
    contentType: hit.headers.get('Content-Type') ?? 'application/json',
    expires: Number(hit.headers.get(EXPIRES_HEADER)) || now,
  };
  if (answer.expires <= now) return undefined;
  memoryPut(key, answer, now);
  return answer;
}

/** Stores an answer under `key` with its tags in both tiers. */
export async function store(key: string, answer: CachedAnswer, tags: string[]): Promise<void> {
  const now = Date.now();
  memoryPut(key, answer, now);
  index(key, tags, answer.expires, now);
  const ttl = Math.max(1, Math.round((answer.expires - now) / 1000));
  await caches.default.put(
    key,
    new Response(answer.body, {
      headers: {
        'Content-Type': answer.contentType,
        ETag: answer.etag,
        'Cache-Control': `public, s-maxage=${ttl}`,
        // Cloudflare's purge by tag reads this header; comma-separated, as the platform expects.
        'Cache-Tag': tags.join(','),
        [EXPIRES_HEADER]: String(answer.expires),
      },
    }),
  );
}

type PlatformPurge = (opts: { tags: string[] }) => Promise<unknown>;

/** Workers Cache's global purge when this runtime has one (production), else null (miniflare, the pool). */
function platformPurge(): PlatformPurge | null {
  const cache = (workers as { cache?: { purge?: PlatformPurge } }).cache;
  return typeof cache?.purge === 'function' ? cache.purge.bind(cache) : null;
}

/** Which purge runs here: `global` (production) or `local` (wrangler dev, the test pool). */
export const purgeMode = (): 'global' | 'local' => (platformPurge() ? 'global' : 'local');

/**
 * Invalidates every answer carrying any of `tags`: at once in this isolate (L1 and the L2 entries it stored), and
 * everywhere through the platform's purge when it has one. Call it after the write committed, before answering.
 */
export async function purgeTags(tags: string[]): Promise<void> {
  const keys = new Set<string>();
  for (const t of tags) for (const k of keysByTag.get(t) ?? []) keys.add(k);
  for (const k of keys) {
    memoryDelete(k);
    unindex(k);
  }
  const global = platformPurge();
  await Promise.all([...[...keys].map((k) => caches.default.delete(k)), global ? global({ tags }) : null]);
}

/** Forgets everything this isolate cached (tests, and the seed script's dev-server reset have no other handle). */
export async function purgeEverything(): Promise<void> {
  await purgeTags([...keysByTag.keys()]);
  memory.clear();
  memoryBytes = 0;
}

/**
 * D1 read replication through the Sessions API: every D1 access of a request goes through one session, and its
 * bookmark travels back to the client in `X-D1-Bookmark`. Per route:
 *
 *   public catalog GETs (products, categories, reviews)  `first-unconstrained` (nearest replica), or the client's
 *                                                         bookmark when it sends one: then the replica is at least
 *                                                         as new as everything that client saw or wrote before
 *   everything else (auth, profile, cart, checkout,      `first-primary`: the latest state, always (stock checks,
 *   orders, reviews writes, admin reads and writes)       checkout, admin reads must not see a lagging replica)
 *
 * The bookmark a response carries is where that request's session ended; a client that sends it back on its
 * next catalog read sees its own writes (a review it just posted, say) even when that read is served by a replica.
 */
export const BOOKMARK_HEADER = 'X-D1-Bookmark';

const CATALOG_READ_RE = /^\/api\/v1\/(products|categories)(\/|$)/;
// Bookmarks are opaque; this only refuses what cannot be one (D1 would fail the query: a 500 for a bad header).
const BOOKMARK_RE = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32,128}$/i;

// Routes whose answers carry the bookmark: where a client's next catalog read should see what this request did or
// saw. Not the account routes (token, users): there a changing bookmark would tell a caller whether the request
// wrote anything (a known email's failure counter, say), which the login answers must not reveal.
const BOOKMARK_ROUTES_RE = /^\/api\/v1\/(products|categories|cart|orders|admin)(\/|$)/;

/** True when this route's answer carries `X-D1-Bookmark`. */
export const returnsBookmark = (path: string) => BOOKMARK_ROUTES_RE.test(path);

/** True for the public catalog reads that may use a replica. */
export const isCatalogRead = (method: string, path: string) => (method === 'GET' || method === 'HEAD') && CATALOG_READ_RE.test(path);

/** Where the request's session starts: a valid client bookmark or the nearest replica (catalog reads), else the primary. */
export function sessionStart(method: string, path: string, bookmark: string | undefined): string {
  if (!isCatalogRead(method, path)) return 'first-primary';
  return bookmark && BOOKMARK_RE.test(bookmark.trim()) ? bookmark.trim() : 'first-unconstrained';
}

/**
 * The one pagination helper: `page` (1-based) and `page_size` (default 20, capped at 100) in, and
 * `{ count, next, previous, results }` with absolute URLs out. A page past the end is a 404, as in DRF.
 */
import * as z from 'zod/mini';
import { AppError } from '../errors';

export const MAX_PAGE_SIZE = 100;

const POSITIVE_INT = 'must be a positive integer';
/** Pages beyond this are past the end of any table; clamping keeps `offset` an exact integer for D1. */
const MAX_PAGE = Math.floor(Number.MAX_SAFE_INTEGER / MAX_PAGE_SIZE);

// Any positive integer is accepted, however large ("99999999999999999999", "1e20"): zod's int() would refuse
// integers beyond 2^53 as "not a positive integer", while such a page is simply past the end (404) and such a
// page size is simply above the maximum (capped).
/** A positive integer query parameter, `fallback` when absent, capped at `max`. */
const positiveInt = (fallback: number, max: number) =>
  z.pipe(
    z._default(
      z.coerce.number({ error: POSITIVE_INT }).check(z.gte(1, POSITIVE_INT), z.refine(Number.isInteger, POSITIVE_INT), z.meta({ type: 'integer' })),
      fallback,
    ),
    z.transform((n: number) => Math.min(n, max)),
  );

export const pageFields = {
  page: positiveInt(1, MAX_PAGE),
  // Values above the maximum are capped rather than refused, as DRF's max_page_size does.
  page_size: positiveInt(20, MAX_PAGE_SIZE),
};

export const PageQuery = z.object(pageFields);

export interface PageRequest {
  page: number;
  page_size: number;
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export const limitOffset = (p: PageRequest) => ({ limit: p.page_size, offset: (p.page - 1) * p.page_size });

function pageUrl(url: URL, page: number): string {
  const u = new URL(url);
  if (page <= 1) u.searchParams.delete('page');
  else u.searchParams.set('page', String(page));
  return u.toString();
}

/** Builds the page envelope; `requestUrl` is the absolute URL the client called. */
export function paginate<T>(requestUrl: string | URL, p: PageRequest, count: number, results: T[]): Page<T> {
  const pages = Math.max(1, Math.ceil(count / p.page_size));
  if (p.page > pages) throw new AppError('not_found', `Invalid page: there ${pages === 1 ? 'is 1 page' : `are ${pages} pages`}.`);
  const url = new URL(requestUrl);
  return {
    count,
    next: p.page < pages ? pageUrl(url, p.page + 1) : null,
    previous: p.page > 1 ? pageUrl(url, p.page - 1) : null,
    results,
  };
}

/** Pagination schema for the OpenAPI document. */
export const pageOf = <T extends z.ZodMiniType>(item: T) =>
  z.object({ count: z.int(), next: z.nullable(z.url()), previous: z.nullable(z.url()), results: z.array(item) });

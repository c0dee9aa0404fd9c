/**
 * Optimistic concurrency for admin catalog writes. A product's ETag is its admin-write `version` plus its
 * `stock` (so checkouts and cancellations, which change stock without an admin write, change it too); a
 * category's is its `version`. `If-Match` on PUT/PATCH/DELETE becomes a condition of the UPDATE/DELETE itself,
 * so the check and the write are one statement: no write can slip in between (412 `precondition_failed`).
 */
import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import { categories, products } from '../db/schema';
import { AppError } from '../errors';
import * as z from 'zod/mini';

export const productEtag = (row: { version: number; stock: number }) => `"${row.version}-${row.stock}"`;
export const categoryEtag = (row: { version: number }) => `"${row.version}"`;

/** `If-Match` as the write sees it: absent (no condition), `*` (any current version) or the listed tags. */
export type IfMatch = undefined | '*' | string[];

/** RFC 9110 §13.1.1: `*` or a list of entity tags. Weak tags never match (strong comparison). */
export function parseIfMatch(header: string | undefined): IfMatch {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return '*';
  return [...header.matchAll(/(W\/)?"([^"]*)"/g)].filter((m) => !m[1]).map((m) => `"${m[2]}"`);
}

/** The request header, documented in OpenAPI and validated like any other input. */
export const IfMatchHeaders = z.object({
  'If-Match': z
    .optional(z.string().check(z.maxLength(1024)))
    .check(z.describe('An ETag from a previous read (or `*`): the write happens only if the resource still has it, else 412')),
});

const FALSE = sql`0`;

/** The SQL condition "this product still has one of the tags". */
export function productMatches(ifMatch: IfMatch): SQL | undefined {
  if (ifMatch === undefined || ifMatch === '*') return undefined;
  const tags = ifMatch.map((t) => /^"(\d{1,15})-(\d{1,15})"$/.exec(t)).filter((m) => m !== null);
  if (!tags.length) return FALSE;
  return or(...tags.map((m) => and(eq(products.version, Number(m[1])), eq(products.stock, Number(m[2])))));
}

export function categoryMatches(ifMatch: IfMatch): SQL | undefined {
  if (ifMatch === undefined || ifMatch === '*') return undefined;
  const versions = ifMatch.map((t) => /^"(\d{1,15})"$/.exec(t)).filter((m) => m !== null);
  if (!versions.length) return FALSE;
  return or(...versions.map((m) => eq(categories.version, Number(m[1]))));
}

export const preconditionFailed = (what: string) =>
  new AppError('precondition_failed', `The ${what} changed since it was read (If-Match does not match its ETag); read it again and retry.`);

/**
 * Catalog search through the FTS5 index `products_fts` (migration 0005_catalog_fts.sql: external content on
 * `products`, unicode61 with diacritics removed, prefix indexes, kept in sync by triggers). A search is ONE index
 * lookup whose cost follows the number of matches, not the size of the catalog (the old instr()/replace() scan
 * read every product).
 *
 * Query language: the user's text is split into words (letters and digits; everything else separates words and is
 * never FTS5 syntax), and every word must prefix-match a word of the name or the description: "blue kett" finds
 * "Blue Kettle". Relevance is BM25 with the name weighted above the description.
 */
import { sql } from 'drizzle-orm';
import { sqliteTable, integer } from 'drizzle-orm/sqlite-core';

/** At most this many words take part in a search (bounds the query; a longer text adds nothing useful). */
const MAX_TERMS = 16;

/**
 * The FTS5 table as Drizzle sees it, for joins only. Declared here and not in db/schema.ts, which drizzle-kit
 * reads: it would try to create a plain table of that name.
 */
const productsFts = sqliteTable('products_fts', { rowid: integer('rowid') });

/** The FTS5 MATCH expression for a search text, or null when the text holds no word. */
export function ftsQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}]+/gu)?.slice(0, MAX_TERMS) ?? [];
  if (words.length === 0) return null;
  // Quoted strings are plain terms for FTS5 (no operators, no column filters); `*` makes each a prefix query.
  return words.map((w) => `"${w}"*`).join(' ');
}

/** Relevance of each matching product (lower is better, as bm25() gives it), to join on `products.id`. */
export function relevance(db: { select: (...a: any[]) => any }, text: string) {
  const match = ftsQuery(text) ?? '""';
  return db
    .select({ id: sql<number>`rowid`.as('fts_id'), rank: sql<number>`bm25(products_fts, 10.0, 1.0)`.as('fts_rank') })
    .from(productsFts)
    .where(sql`products_fts MATCH ${match}`)
    .as('fts');
}

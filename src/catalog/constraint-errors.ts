/**
 * Reading D1 constraint failures. Drizzle surfaces them differently for single statements (a DrizzleQueryError
 * whose `cause` carries the D1 message) and batches (a plain Error with the message), so both are searched.
 * Unique indexes are the source of truth for uniqueness: a pre-check alone would race with a concurrent write.
 */
const text = (e: unknown) => {
  const err = e as { message?: unknown; cause?: { message?: unknown } } | null;
  return `${err?.message ?? ''} ${err?.cause?.message ?? ''}`;
};

/** "products.sku" for `UNIQUE constraint failed: products.sku`, else null. */
export function uniqueViolation(e: unknown): string | null {
  return /UNIQUE constraint failed: ([A-Za-z_]+\.[A-Za-z_]+)/.exec(text(e))?.[1] ?? null;
}

export const isForeignKeyViolation = (e: unknown) => /FOREIGN KEY constraint failed/.test(text(e));

/**
 * All-or-nothing writes of the order flows. drizzle's `db.batch` cannot run raw `sql` statements that carry
 * parameters (its raw-query wrapper has no prepared statement to bind), and these batches need `INSERT … SELECT`
 * and guarded `UPDATE … WHERE EXISTS` forms. So drizzle builds each statement and D1 runs them as ONE batch:
 * one transaction and one (counted) round trip, exactly like `db.batch`.
 */
import { SQL } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client';

const dialect = new SQLiteAsyncDialect();

export type Statement = SQL | { toSQL(): { sql: string; params: unknown[] } };

export function writeBatch(db: Db, statements: readonly Statement[]): Promise<D1Result[]> {
  const d1 = db.$client;
  return d1.batch(
    statements.map((s) => {
      const q = s instanceof SQL ? dialect.sqlToQuery(s) : s.toSQL();
      return d1.prepare(q.sql).bind(...q.params);
    }),
  );
}

/** A drizzle SELECT that went into `writeBatch`. */
interface BatchedSelect<Row> {
  all(): Promise<Row[]>;
}

/**
 * The rows of a drizzle SELECT that ran inside `writeBatch`, mapped exactly as drizzle's own `db.batch` maps them
 * (its prepared query's `mapResult` over the batch result), so a batch can write and read back in one round trip.
 */
export function rowsOf<Row>(query: BatchedSelect<Row>, result: D1Result): Row[] {
  const prepared = (query as unknown as { _prepare(): { mapResult(r: D1Result, fromBatch: boolean): unknown } })._prepare();
  return prepared.mapResult(result, true) as Row[];
}

/**
 * The request's database handle: Drizzle over D1, through a thin wrapper that counts round trips (each
 * statement execution or batch is one). The count is reported in `Server-Timing` so tests and the benchmark
 * can hold hot paths to their D1 budget.
 */
import { drizzle, type DrizzleD1Database } from 'drizzle-orm/d1';

// No relational-query schema is passed: building its config walks every table on each drizzle() call, and
// every request creates a client. Queries use the table objects of ./schema directly.
export type Db = DrizzleD1Database & { $client: D1Database };

const EXEC = new Set(['all', 'run', 'raw', 'first']);
const real = new WeakMap<object, D1PreparedStatement>();

function wrapStatement(stmt: D1PreparedStatement, counter: { count: number }): D1PreparedStatement {
  const proxy = new Proxy(stmt, {
    get(target, prop) {
      if (prop === 'bind') return (...args: unknown[]) => wrapStatement(target.bind(...args), counter);
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (EXEC.has(prop as string)) {
        return (...args: unknown[]) => {
          counter.count++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return value.bind(target);
    },
  });
  real.set(proxy, stmt);
  return proxy;
}

/** D1 (or one Sessions API session of it) with every round trip counted in `counter`. */
export function countingD1(d1: D1Database | D1DatabaseSession, counter: { count: number }): D1Database {
  return new Proxy(d1 as D1Database, {
    get(target, prop) {
      if (prop === 'prepare') return (query: string) => wrapStatement(target.prepare(query), counter);
      if (prop === 'batch') {
        return (stmts: D1PreparedStatement[]) => {
          counter.count++;
          return target.batch(stmts.map((s) => real.get(s) ?? s));
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A Drizzle client for one request (or one Durable Object call). */
export function createDb(d1: D1Database | D1DatabaseSession, counter: { count: number } = { count: 0 }): Db {
  return drizzle(countingD1(d1, counter));
}

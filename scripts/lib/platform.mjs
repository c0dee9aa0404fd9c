/**
 * Local D1 and R2 from Node, through wrangler's getPlatformProxy: the same miniflare storage (.wrangler/state/v3)
 * that `wrangler dev` and `wrangler d1 execute --local` use, so rows and objects written here are what the
 * dev server serves. Much faster than one `wrangler d1 execute` process per statement, and it works offline.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './wrangler.mjs';
import { statePath } from './args.mjs';

/**
 * Opens the local bindings `{ DB, IMAGES }`. Only D1 and R2 are bound: the Durable Object classes live in the
 * Worker's code, which the proxy does not run, and binding them would only print warnings.
 * Always `await dispose()` when done (it stops a workerd process).
 */
export async function openPlatform({ persistTo } = {}) {
  const wrangler = await import('wrangler');
  const config = wrangler.unstable_readConfig({ config: join(ROOT, 'wrangler.toml') });
  const dir = join(ROOT, '.wrangler', 'tmp');
  mkdirSync(dir, { recursive: true });
  const configPath = join(dir, 'platform-proxy.wrangler.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      name: config.name,
      compatibility_date: config.compatibility_date,
      d1_databases: config.d1_databases,
      r2_buckets: config.r2_buckets,
    }),
  );
  const proxy = await wrangler.getPlatformProxy({
    configPath,
    persist: { path: statePath(persistTo) },
    envFiles: [],
    remoteBindings: false,
  });
  return { env: proxy.env, dispose: () => proxy.dispose() };
}

/** Runs `fn(env)` with the local bindings open and always closes them. */
export async function withPlatform(fn, opts) {
  const platform = await openPlatform(opts);
  try {
    return await fn(platform.env);
  } finally {
    await platform.dispose();
  }
}

/** Sends statements in D1 batches of `size` (each batch is atomic); returns every statement's result in order. */
export async function batchAll(db, statements, size = 100) {
  const results = [];
  for (let i = 0; i < statements.length; i += size) {
    results.push(...(await db.batch(statements.slice(i, i + size))));
  }
  return results;
}

/**
 * Multi-row INSERT statements: `head` + `VALUES tuple, tuple, …` + `tail` (ON CONFLICT / RETURNING), packing as
 * many rows per statement as fit in D1's 100 bound parameters. Local D1 costs several ms per statement, so this
 * is what keeps seeding hundreds of rows fast. `tuple` is one row's placeholders, e.g. "(?, ?, 'usd', ?)".
 */
export function insertMany(db, { head, tuple, tail = '', rows }) {
  if (rows.length === 0) return [];
  const perStatement = Math.max(1, Math.floor(100 / rows[0].length));
  const statements = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    statements.push(db.prepare(`${head} VALUES ${chunk.map(() => tuple).join(', ')} ${tail}`).bind(...chunk.flat()));
  }
  return statements;
}

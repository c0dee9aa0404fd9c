/** The wrangler configuration the benchmark's API servers run with, derived from the project's wrangler.toml. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The text of `configPath` for a copy that lives elsewhere (the run directory, away from any .dev.vars): `main`
 * pointing into `codeRoot` (the run's snapshot of the sources), `migrations_dir`, the assets directory and the
 * build step's working directory absolute (the project's), and every rate limit
 * raised, because all benchmark requests come from one address and LOGIN_RL counts every login attempt per
 * address (20 a minute in production). The binding is still called on every login, so its cost stays in.
 */
export function benchConfigText(root, configPath, codeRoot = root) {
  const abs = (base) => (_, key, value) => `${key}${JSON.stringify(resolve(base, value))}`;
  return readFileSync(configPath, 'utf8')
    .replace(/^(\s*main\s*=\s*)"([^"]+)"/m, abs(codeRoot))
    .replace(/^(\s*migrations_dir\s*=\s*)"([^"]+)"/gm, abs(root))
    // Static assets come from the project (the build step fills them there), and the build step runs there too.
    .replace(/^(\s*directory\s*=\s*)"([^"]+)"/m, abs(root))
    .replace(/^\[build\]\s*$/m, `[build]\ncwd = ${JSON.stringify(root)}`)
    .replace(/(\[\[ratelimits\]\][^[]*?limit\s*=\s*)\d+/g, '$11000000');
}

/** `--compatibility-date <the API's>` for the ceiling Worker, so both run with the same runtime settings. */
export function compatibilityDateArgs(configPath) {
  const date = /^\s*compatibility_date\s*=\s*"([^"]+)"/m.exec(readFileSync(configPath, 'utf8'))?.[1];
  return date ? ['--compatibility-date', date] : [];
}

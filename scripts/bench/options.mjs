/** Command-line options of `npm run bench` (parsed with scripts/lib/args.mjs). */
import { parseCli } from '../lib/args.mjs';

export const SCENARIO_NAMES = [
  'ceiling',
  'pbkdf2',
  'list-cached',
  'detail-cached',
  'list-uncached',
  'detail-uncached',
  'filtered',
  'token',
  'checkout',
  'oversell',
  'lost-update',
  'cart-add',
  'search',
  'flash-sale',
];

export const USAGE = `Usage: npm run bench -- [options]

  --duration <s>      seconds per timed scenario (default 10; 2 with --quick)
  --connections <n>   concurrent connections (default 32)
  --quick             smoke run: short scenarios, whole run under a minute
  --products <n>      catalog size (default 1000; e.g. 100000 to show search cost does not grow with it)
  --scenario <names>  only these scenarios (comma-separated or repeated; the ceiling always runs):
                      ${SCENARIO_NAMES.join(', ')}
                      A partial run prints its table but leaves docs/BENCHMARKS.md alone.
  --no-write          print the table but do not rewrite docs/BENCHMARKS.md
  --keep              keep the throwaway state and logs under .bench/ for inspection
  -h, --help          this text`;

/** The options, or throws an Error naming the bad value (`--help` prints the usage and exits). */
export function readOptions(argv = process.argv.slice(2)) {
  const values = parseCli(
    argv,
    {
      duration: { type: 'string' },
      connections: { type: 'string' },
      products: { type: 'string' },
      quick: { type: 'boolean', default: false },
      scenario: { type: 'string', multiple: true },
      'no-write': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
    USAGE,
  );
  const positive = (name, raw, def, integer = false) => {
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
      throw new Error(`--${name} must be a positive ${integer ? 'integer' : 'number'} (got "${raw}")`);
    }
    return n;
  };
  const wanted = (values.scenario ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.filter((s) => !SCENARIO_NAMES.includes(s));
  if (unknown.length) throw new Error(`unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIO_NAMES.join(', ')}`);

  return {
    quick: values.quick,
    duration: positive('duration', values.duration, values.quick ? 2 : 10),
    connections: positive('connections', values.connections, 32, true),
    products: positive('products', values.products, 1000, true),
    only: wanted.length ? new Set(['ceiling', ...wanted]) : null,
    write: !values['no-write'],
    keep: values.keep,
  };
}

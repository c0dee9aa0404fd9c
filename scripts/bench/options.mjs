/** Command-line options of `npm run bench` (node:util parseArgs; scripts/lib had no argument helper yet). */
import { parseArgs } from 'node:util';

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
];

export const USAGE = `Usage: npm run bench -- [options]

  --duration <s>      seconds per timed scenario (default 10; 2 with --quick)
  --connections <n>   concurrent connections (default 32)
  --quick             smoke run: short scenarios, whole run under a minute
  --scenario <names>  only these scenarios (comma-separated; the ceiling always runs):
                      ${SCENARIO_NAMES.join(', ')}
  --no-write          print the table but do not rewrite docs/BENCHMARKS.md
  --keep              keep the throwaway state directory under .bench/
  -h, --help          this text`;

export function readOptions(argv = process.argv.slice(2)) {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      connections: { type: 'string' },
      quick: { type: 'boolean', default: false },
      scenario: { type: 'string', multiple: true },
      'no-write': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return { help: true };

  const positive = (name, raw, def) => {
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number (got "${raw}")`);
    return n;
  };
  const quick = values.quick;
  const wanted = (values.scenario ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.filter((s) => !SCENARIO_NAMES.includes(s));
  if (unknown.length) throw new Error(`unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIO_NAMES.join(', ')}`);

  return {
    help: false,
    quick,
    duration: positive('duration', values.duration, quick ? 2 : 10),
    connections: Math.round(positive('connections', values.connections, 32)),
    only: wanted.length ? new Set(['ceiling', ...wanted]) : null,
    write: !values['no-write'],
    keep: values.keep,
  };
}

/**
 * Command-line parsing for the npm scripts, on top of node:util parseArgs, with errors a person can act on
 * (`npm run admin:create -- --email` without a value names the option and shows the usage).
 */
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { ROOT, fail } from './wrangler.mjs';

/**
 * Parses `argv` against `options` (parseArgs format). Unknown options and missing values exit with `usage`.
 * `--help` prints the usage and exits 0.
 */
export function parseCli(argv, options, usage) {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage);
    process.exit(0);
  }
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    fail(`${e.message.replace(/\. To specify.*$/s, '.')}\n\n${usage}`);
  }
}

/** The value of `--name value` or `--name=value` in a raw argument list (for pass-through commands). */
export function optionValue(argv, name) {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === name) return argv[i + 1];
    if (argv[i].startsWith(`${name}=`)) return argv[i].slice(name.length + 1);
  }
  return undefined;
}

export const hasFlag = (argv, name) => argv.some((a) => a === name || a.startsWith(`${name}=`));

/**
 * Where local D1/R2 state lives, as wrangler computes it: `--persist-to X` stores under X/v3, the default is
 * .wrangler/state/v3. Scripts that open the state directly must use the same directory as `wrangler dev`.
 */
export function statePath(persistTo) {
  return persistTo ? join(resolve(ROOT, persistTo), 'v3') : join(ROOT, '.wrangler', 'state', 'v3');
}

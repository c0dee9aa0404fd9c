/**
 * `.dev.vars` holds local secrets for `wrangler dev` (never committed). On first start it is created with a
 * random JWT_SECRET; an existing file keeps its values, and only a missing or too short JWT_SECRET is fixed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ROOT } from './wrangler.mjs';

export const DEV_VARS = join(ROOT, '.dev.vars');

const newSecret = () => randomBytes(48).toString('base64url'); // 64 characters

/** Ensures .dev.vars has a usable JWT_SECRET. Returns 'created', 'updated' or 'kept'. */
export function ensureDevVars() {
  if (!existsSync(DEV_VARS)) {
    writeFileSync(DEV_VARS, `# Local secrets for wrangler dev (not committed). See README.md for every variable.\nJWT_SECRET=${newSecret()}\n`, { mode: 0o600 });
    return 'created';
  }
  const text = readFileSync(DEV_VARS, 'utf8');
  const match = text.match(/^\s*JWT_SECRET\s*=\s*"?([^"\n]*)"?\s*$/m);
  if (match && match[1].length >= 32) return 'kept';
  const line = `JWT_SECRET=${newSecret()}`;
  const next = match ? text.replace(match[0], line) : `${text}${text.endsWith('\n') || !text ? '' : '\n'}${line}\n`;
  writeFileSync(DEV_VARS, next);
  return 'updated';
}

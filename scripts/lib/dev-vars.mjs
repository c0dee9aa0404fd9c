/**
 * `.dev.vars` holds local secrets for `wrangler dev` (never committed). On first start it is created with a
 * random JWT_SECRET and a random local STRIPE_WEBHOOK_SECRET (so signed webhook events can be tried locally;
 * replace it with the secret `stripe listen` prints when using the Stripe CLI). An existing file keeps its
 * values: only a missing or too short JWT_SECRET is fixed and a missing STRIPE_WEBHOOK_SECRET added.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ROOT } from './wrangler.mjs';

export const DEV_VARS = join(ROOT, '.dev.vars');

const newSecret = () => randomBytes(48).toString('base64url'); // 64 characters
const newWebhookSecret = () => `whsec_local_${randomBytes(24).toString('hex')}`;

const lineOf = (text, name) => text.match(new RegExp(`^\\s*${name}\\s*=\\s*"?([^"\\n]*)"?\\s*$`, 'm'));
const append = (text, line) => `${text}${text.endsWith('\n') || !text ? '' : '\n'}${line}\n`;

/**
 * Ensures .dev.vars has a usable JWT_SECRET and a STRIPE_WEBHOOK_SECRET. Returns 'created', 'updated' or 'kept'.
 * `path` is for the script's own tests.
 */
export function ensureDevVars(path = DEV_VARS) {
  if (!existsSync(path)) {
    writeFileSync(
      path,
      [
        '# Local secrets for wrangler dev (not committed). See README.md for every variable.',
        `JWT_SECRET=${newSecret()}`,
        '# Verifies Stripe webhook events; replace it with the secret `stripe listen` prints when using the Stripe CLI.',
        `STRIPE_WEBHOOK_SECRET=${newWebhookSecret()}`,
        '# Card payments are on when STRIPE_SECRET_KEY (a test key, sk_test_...) is set too:',
        '# STRIPE_SECRET_KEY=sk_test_...',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    return 'created';
  }
  let text = readFileSync(path, 'utf8');
  const original = text;
  const jwt = lineOf(text, 'JWT_SECRET');
  if (!jwt || jwt[1].length < 32) {
    const line = `JWT_SECRET=${newSecret()}`;
    text = jwt ? text.replace(jwt[0], line) : append(text, line);
  }
  if (!lineOf(text, 'STRIPE_WEBHOOK_SECRET')) text = append(text, `STRIPE_WEBHOOK_SECRET=${newWebhookSecret()}`);
  if (text === original) return 'kept';
  writeFileSync(path, text);
  return 'updated';
}

/** .dev.vars as `npm run dev` prepares it: fresh files get both secrets; existing files keep theirs. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ensureDevVars } from '../lib/dev-vars.mjs';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'devvars-')), '.dev.vars');

describe('ensureDevVars', () => {
  it('creates JWT_SECRET and a random local STRIPE_WEBHOOK_SECRET on a fresh clone', () => {
    const a = tmp();
    const b = tmp();
    assert.equal(ensureDevVars(a), 'created');
    ensureDevVars(b);
    const text = readFileSync(a, 'utf8');
    assert.match(text, /^JWT_SECRET=[A-Za-z0-9_-]{64}$/m);
    const secret = /^STRIPE_WEBHOOK_SECRET=(whsec_\S+)$/m.exec(text)?.[1];
    assert.ok(secret && secret.length > 40);
    assert.notEqual(secret, /^STRIPE_WEBHOOK_SECRET=(\S+)$/m.exec(readFileSync(b, 'utf8'))[1]);
    assert.doesNotMatch(text, /^STRIPE_SECRET_KEY=/m);
    assert.equal(ensureDevVars(a), 'kept');
    assert.equal(readFileSync(a, 'utf8'), text);
  });

  it('adds STRIPE_WEBHOOK_SECRET to an existing file that lacks it and keeps everything else', () => {
    const p = tmp();
    const jwt = 'x'.repeat(40);
    writeFileSync(p, `JWT_SECRET=${jwt}\nSTRIPE_SECRET_KEY=sk_test_mine`);
    assert.equal(ensureDevVars(p), 'updated');
    const text = readFileSync(p, 'utf8');
    assert.match(text, new RegExp(`^JWT_SECRET=${jwt}$`, 'm'));
    assert.match(text, /^STRIPE_SECRET_KEY=sk_test_mine$/m);
    assert.match(text, /^STRIPE_WEBHOOK_SECRET=whsec_local_[0-9a-f]{48}$/m);
  });

  it('keeps a STRIPE_WEBHOOK_SECRET the developer set (e.g. from stripe listen)', () => {
    const p = tmp();
    writeFileSync(p, `JWT_SECRET=${'y'.repeat(40)}\nSTRIPE_WEBHOOK_SECRET=whsec_from_cli\n`);
    assert.equal(ensureDevVars(p), 'kept');
  });
});

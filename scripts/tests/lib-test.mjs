/**
 * Unit tests of the Node helpers behind the npm scripts (run by .ci/run with `node --test scripts/tests/`).
 * Node-side code, so it is not part of the Workers-pool suite of `npm test`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';
import { adminUpsertSql } from '../lib/admin.mjs';
import { demoImageKey, generateCatalog, generateReviews } from '../lib/catalog.mjs';
import { emailProblems, hashPassword, passwordProblems, verifyPassword } from '../lib/password.mjs';
import { makePng } from '../lib/png.mjs';

describe('password hashes', () => {
  it('use the self-describing format of src/users/password.ts', () => {
    assert.match(hashPassword('s3cret-pass'), /^pbkdf2_sha256\$100000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
  });

  it('verify with the same WebCrypto derivation the Worker uses', async () => {
    const [, iterations, salt, hash] = hashPassword('s3cret-pass').split('$');
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode('s3cret-pass'), 'PBKDF2', false, ['deriveBits']);
    const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: Buffer.from(salt, 'base64'), iterations: Number(iterations) }, key, 256);
    assert.equal(Buffer.from(bits).toString('base64'), hash);
  });

  it('verifyPassword accepts the right password only', () => {
    const stored = hashPassword('right-password');
    assert.equal(verifyPassword('right-password', stored), true);
    assert.equal(verifyPassword('wrong-password', stored), false);
    assert.equal(verifyPassword('right-password', 'bcrypt$whatever'), false);
  });
});

describe('argument rules', () => {
  it('follow the password rules of API.md', () => {
    assert.deepEqual(passwordProblems('long-enough', 'a@b.co'), []);
    assert.match(passwordProblems('short', 'a@b.co').join(), /at least 8/);
    assert.match(passwordProblems('x'.repeat(129), 'a@b.co').join(), /at most 128/);
    assert.match(passwordProblems('1234567890', 'a@b.co').join(), /numeric/);
    assert.match(passwordProblems('ME@example.com', 'me@example.com').join(), /same as the email/);
    assert.match(passwordProblems('Me', 'me@example.com').join(), /at least 8/);
    assert.match(passwordProblems('grace.hopper', 'grace.hopper@example.com').join(), /local part/);
    assert.match(passwordProblems('        ', 'a@b.co').join(), /whitespace/);
    assert.match(passwordProblems('١٢٣٤٥٦٧٨', 'a@b.co').join(), /numeric/);
    assert.match(passwordProblems('Password123', 'a@b.co').join(), /too common/);
    assert.match(passwordProblems('', 'a@b.co').join(), /required/);
  });

  it('reject malformed emails', () => {
    assert.deepEqual(emailProblems('ada@example.com'), []);
    for (const bad of ['', 'ada', 'ada@', '@example.com', 'ada@example', 'a..b@example.com']) assert.notDeepEqual(emailProblems(bad), [], bad);
  });

  it('quote SQL literals in the remote admin command', () => {
    const sql = adminUpsertSql("o'hara@example.com", 'pass-word-1', { firstName: "O'Hara" });
    assert.match(sql, /'o''hara@example\.com'/);
    assert.match(sql, /'O''Hara'/);
    assert.doesNotMatch(sql, /pass-word-1/);
    // The remote command also ends the email's login locks (login_failures rows are keyed by its hash).
    assert.match(sql, /DELETE FROM login_failures WHERE email_hash = '[0-9a-f]{64}'/);
  });
});

describe('generated PNGs', () => {
  it('are valid RGB images of the requested size', () => {
    const png = Buffer.from(makePng({ width: 8, height: 4, color: [10, 20, 30], bandColor: [1, 2, 3], bandStart: 1, bandEnd: 2 }));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.readUInt32BE(16), 8);
    assert.equal(png.readUInt32BE(20), 4);
    const idatLength = png.readUInt32BE(33);
    const raw = inflateSync(png.subarray(41, 41 + idatLength));
    assert.equal(raw.length, 4 * (1 + 8 * 3));
    assert.deepEqual([...raw.subarray(1, 4)], [10, 20, 30]);
    assert.deepEqual([...raw.subarray(26, 29)], [1, 2, 3]);
  });
});

describe('demo catalog', () => {
  const now = Date.parse('2026-11-22T00:00:00Z');
  const catalog = generateCatalog({ now });

  it('is deterministic', () => {
    assert.deepEqual(generateCatalog({ now }), catalog);
  });

  it('has at least 200 products in at least 8 categories, unique slugs and SKUs', () => {
    assert.ok(catalog.categories.length >= 8);
    assert.ok(catalog.products.length >= 200);
    assert.equal(new Set(catalog.products.map((p) => p.slug)).size, catalog.products.length);
    assert.equal(new Set(catalog.products.map((p) => p.sku)).size, catalog.products.length);
    const slugs = new Set(catalog.categories.map((c) => c.slug));
    assert.ok(catalog.products.every((p) => slugs.has(p.categorySlug)));
  });

  it('has integer cent prices, some sold-out products and 1–2 images each', () => {
    for (const p of catalog.products) {
      assert.ok(Number.isInteger(p.priceCents) && p.priceCents > 0, p.sku);
      assert.ok(Number.isInteger(p.stock) && p.stock >= 0, p.sku);
      assert.ok(p.images.length >= 1 && p.images.length <= 2, p.sku);
      p.images.forEach((img, i) => {
        assert.equal(img.position, i);
        assert.match(img.key, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.png$/);
      });
    }
    const soldOut = catalog.products.filter((p) => p.stock === 0).length;
    assert.ok(soldOut >= 3 && soldOut < catalog.products.length / 5, `sold out: ${soldOut}`);
  });

  it('keeps image keys stable across runs (reseeding overwrites, never duplicates)', () => {
    assert.equal(demoImageKey('ELC-1001', 0), demoImageKey('ELC-1001', 0));
    assert.notEqual(demoImageKey('ELC-1001', 0), demoImageKey('ELC-1001', 1));
  });

  it('scales to larger datasets with unique names', () => {
    const big = generateCatalog({ count: 1000, seed: 7, now });
    assert.equal(big.products.length, 1000);
    assert.equal(new Set(big.products.map((p) => p.slug)).size, 1000);
  });

  it('reviews at most once per product and reviewer, ratings 1..5', () => {
    const reviews = generateReviews(catalog.products, { now });
    assert.ok(reviews.length > 0);
    assert.equal(new Set(reviews.map((r) => `${r.sku}/${r.email}`)).size, reviews.length);
    assert.ok(reviews.every((r) => r.rating >= 1 && r.rating <= 5 && r.createdAt <= new Date(now).toISOString()));
  });
});

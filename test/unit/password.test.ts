/** PBKDF2 password hashing: the deployed-Workers iteration cap, the stored format, verification and upgrades. */
import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, PBKDF2_ITERATIONS, timingSafeEqual, verifyPassword } from '../../src/users/password';

const FORMAT = /^pbkdf2_sha256\$(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

describe('password hashing', () => {
  it('never exceeds the 100,000 iterations deployed Workers accept', () => {
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(100_000);
    expect(PBKDF2_ITERATIONS).toBe(100_000);
  });

  it('stores algorithm, iterations, a 16-byte salt and a 32-byte hash', async () => {
    const stored = await hashPassword('Correct-Horse-9');
    const m = FORMAT.exec(stored);
    expect(m, stored).not.toBeNull();
    expect(Number(m![1])).toBe(PBKDF2_ITERATIONS);
    expect(atob(m![2])).toHaveLength(16);
    expect(atob(m![3])).toHaveLength(32);
    expect(stored).not.toContain('Correct-Horse-9');
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same-password-1'), hashPassword('same-password-1')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same-password-1', a)).toBe(true);
    expect(await verifyPassword('same-password-1', b)).toBe(true);
  });

  it('verifies the right password only', async () => {
    const stored = await hashPassword('pässwörd-😀-long');
    expect(await verifyPassword('pässwörd-😀-long', stored)).toBe(true);
    expect(await verifyPassword('pässwörd-😀-lonG', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('refuses unknown formats and iteration counts above the cap instead of throwing', async () => {
    const stored = await hashPassword('Correct-Horse-9');
    const [, , salt, hash] = stored.split('$');
    for (const bad of ['', 'plain-text', `md5$1$${salt}$${hash}`, `pbkdf2_sha256$200000$${salt}$${hash}`, `pbkdf2_sha256$0$${salt}$${hash}`, `pbkdf2_sha256$x$${salt}$${hash}`, `pbkdf2_sha256$100000$%%%$${hash}`]) {
      expect(await verifyPassword('Correct-Horse-9', bad), bad).toBe(false);
    }
  });

  it('flags weaker hashes for an upgrade on login', async () => {
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode('Old-Password-1'), 'PBKDF2', false, ['deriveBits']);
    const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 1000 }, key, 256);
    const b64 = (u: Uint8Array) => btoa(String.fromCharCode(...u));
    const legacy = `pbkdf2_sha256$1000$${b64(salt)}$${b64(new Uint8Array(bits))}`;
    expect(await verifyPassword('Old-Password-1', legacy)).toBe(true);
    expect(needsRehash(legacy)).toBe(true);
    expect(needsRehash(await hashPassword('Old-Password-1'))).toBe(false);
  });

  it('compares bytes in constant time, lengths included', () => {
    const a = new Uint8Array([1, 2, 3]);
    expect(timingSafeEqual(a, new Uint8Array([1, 2, 3]))).toBe(true);
    expect(timingSafeEqual(a, new Uint8Array([1, 2, 4]))).toBe(false);
    expect(timingSafeEqual(a, new Uint8Array([1, 2]))).toBe(false);
  });
});

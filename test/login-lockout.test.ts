/**
 * Login answers reveal nothing about an email (issue 11 item 1) and the lockout protects instead of locking the
 * owner out (issue 14 item 1): the hard lock is per (email, client address); per email, failures only slow down.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { loginFailures } from '../src/db/schema';
import { clearLoginFailures, emailHash, loginAttempt, clientAddressKey } from '../src/users/login-guard';
import { BASE, api, expectProblem } from './helpers/http';
import { config, db, makeUser, unique } from './helpers/factories';

let ipSeq = 0;
const newIp = () => `203.0.113.${++ipSeq}`;
const login = (body: unknown, ip = newIp()) => api('POST', '/api/v1/token/', { body, headers: { 'CF-Connecting-IP': ip } });
const ghost = () => `${unique('ghost')}@example.com`;

/** Everything a client observes of an answer, minus what differs per request by design (the request id). */
async function observed(res: Response) {
  const headers = [...res.headers].filter(([k]) => k !== 'x-request-id');
  const body = JSON.parse(await res.text());
  delete body.request_id;
  return { status: res.status, headers, body };
}

describe('login answers are indistinguishable', () => {
  it('a known email with a wrong password and an unknown email: same status, body, headers, D1 round trips', async () => {
    const user = await makeUser();
    const ip = newIp();
    const known = await observed(await login({ email: user.email, password: 'Wrong-password-1' }, ip));
    const unknown = await observed(await login({ email: ghost(), password: 'Wrong-password-1' }, ip));
    expect(known.status).toBe(401);
    expect(known.body.code).toBe('invalid_credentials');
    // The test pool exposes Server-Timing: equal headers here also mean equal D1 round trips.
    expect(known.headers.map(([k]) => k)).toContain('server-timing');
    expect(unknown).toEqual(known);
  });

  it('a locked known email and a locked unknown email answer alike, and so do their earlier failures', async () => {
    const user = await makeUser();
    const email = ghost();
    const ipA = newIp();
    const ipB = newIp();
    for (let i = 0; i < 5; i++) {
      const a = await observed(await login({ email: user.email, password: `Wrong-${i}-password` }, ipA));
      const b = await observed(await login({ email, password: `Wrong-${i}-password` }, ipB));
      expect(b).toEqual(a);
      expect(a.status).toBe(401);
    }
    const lockedKnown = await login({ email: user.email, password: user.password }, ipA);
    const lockedUnknown = await login({ email, password: user.password }, ipB);
    const retry = Number(lockedKnown.headers.get('Retry-After'));
    expect(retry).toBeGreaterThan(250);
    expect(retry).toBeLessThanOrEqual(300);
    const a = await observed(lockedKnown);
    const b = await observed(lockedUnknown);
    expect(a.status).toBe(429);
    expect(a.body.code).toBe('rate_limited');
    // Retry-After may differ by a second between two locks started at different instants.
    const strip = (o: typeof a) => ({ ...o, headers: o.headers.filter(([k]) => k !== 'retry-after') });
    expect(strip(b)).toEqual(strip(a));
  });

  it('sends no Server-Timing (nor any D1 count) at the default log level', async () => {
    const user = await makeUser();
    const ctx = createExecutionContext();
    const fakeEnv = { ...env, LOG_LEVEL: 'info', SERVER_TIMING: undefined } as unknown as typeof env;
    const call = (body: unknown) =>
      buildApp().fetch(new Request(`${BASE}/api/v1/token/`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': newIp() }, body: JSON.stringify(body) }), fakeEnv, ctx);
    const origLog = console.log;
    console.log = () => {};
    try {
      for (const res of [await call({ email: user.email, password: 'Wrong-password-1' }), await call({ email: ghost(), password: 'x-y-z-1234' }), await call({ email: user.email, password: user.password })]) {
        expect(res.headers.get('Server-Timing')).toBeNull();
        expect([...res.headers.keys()].join(',')).not.toMatch(/d1|timing/i);
      }
    } finally {
      console.log = origLog;
    }
    await waitOnExecutionContext(ctx);
  });
});

describe('lockout that cannot be weaponised', () => {
  it('regression: five wrong passwords from one address do not keep the owner out from another', async () => {
    const user = await makeUser();
    const attacker = newIp();
    for (let i = 0; i < 5; i++) await expectProblem(await login({ email: user.email, password: `Guess-${i}-guess` }, attacker), 401, 'invalid_credentials');
    // The attacker's address is locked for this email, even with the right password …
    await expectProblem(await login({ email: user.email, password: user.password }, attacker), 429, 'rate_limited');
    // … the owner elsewhere only waits the short delay and gets in, and that does not unlock the attacker.
    expect((await login({ email: user.email, password: user.password }, newIp())).status).toBe(200);
    await expectProblem(await login({ email: user.email, password: user.password }, attacker), 429, 'rate_limited');
    // The lock of the pair ends when its window is up.
    const pairs = await db().select().from(loginFailures).where(eq(loginFailures.emailHash, await emailHash(user.email)));
    for (const row of pairs) {
      await db().update(loginFailures).set({ windowStartedAt: new Date(Date.now() - 301_000).toISOString() }).where(eq(loginFailures.key, row.key));
    }
    expect((await login({ email: user.email, password: user.password }, attacker)).status).toBe(200);
  });

  it('counts concurrent failures: of 8 simultaneous guesses from one address, exactly 5 are checked', async () => {
    const user = await makeUser();
    const ip = newIp();
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => login({ email: user.email, password: `Nope-nope-${i}` }, ip)));
    expect(answers.map((r) => r.status).sort()).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
  });

  it('slows an email down after failures from many addresses: a growing delay, capped, then the right password works', async () => {
    const user = await makeUser();
    for (let i = 0; i < 7; i++) await login({ email: user.email, password: `Spray-${i}-spray` });
    const started = Date.now();
    expect((await login({ email: user.email, password: user.password })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // 7 earlier failures: 250 ms · 2² = 1 s
    // The success forgot the email's counter: the next login is not delayed.
    const again = Date.now();
    expect((await login({ email: user.email, password: user.password })).status).toBe(200);
    expect(Date.now() - again).toBeLessThan(900);
  });

  it('computes the delay from the email counter: none under the limit, doubling, capped at LOGIN_MAX_DELAY_MS', async () => {
    const attempt = await loginAttempt(db(), config(), 'x@example.com', '192.0.2.1');
    const delay = (failures: number) => attempt.judge([], [{ attempts: failures + 1 }]).delayMs;
    expect([0, 4, 5, 6, 7, 8, 9, 50].map(delay)).toEqual([0, 0, 250, 500, 1000, 2000, 2000, 2000]);
  });

  it('the owner ends every lock of the email through password reset (clearLoginFailures)', async () => {
    const user = await makeUser();
    const ip = newIp();
    for (let i = 0; i < 5; i++) await login({ email: user.email, password: `Guess-${i}-guess` }, ip);
    await expectProblem(await login({ email: user.email, password: user.password }, ip), 429, 'rate_limited');
    await clearLoginFailures(db(), user.email.toUpperCase());
    expect((await login({ email: user.email, password: user.password }, ip)).status).toBe(200);
  });

  it('keys IPv6 clients by their /64', () => {
    expect(clientAddressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientAddressKey('198.51.100.7')).toBe('198.51.100.7');
  });
});

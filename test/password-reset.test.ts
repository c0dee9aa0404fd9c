import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';

// Queue consumers and the fake provider run asynchronously; on a loaded machine deliveries take seconds.
vi.setConfig({ testTimeout: 90_000 });
import { api, expectProblem, json } from './helpers/http';
import { eventually, fakeEmails, type FakeEmail } from './helpers/fake';
import { makeUser, unique } from './helpers/factories';

const forgot = (email: string, ip = '203.0.113.7') =>
  api('POST', '/api/v1/users/password/forgot/', { body: { email }, headers: { 'CF-Connecting-IP': ip } });
const reset = (token: string, new_password: string, ip = '203.0.113.8') =>
  api('POST', '/api/v1/users/password/reset/', { body: { token, new_password }, headers: { 'CF-Connecting-IP': ip } });

/** The reset emails the user received, oldest first, once `count` have arrived. */
const resetEmails = (email: string, count = 1) =>
  eventually(async () => {
    const mails = (await fakeEmails(email)).filter((m) => m.subject.includes('reset'));
    return mails.length >= count && mails;
  });

/** The link in the email is what a user clicks: take the token from it, as the shop's page would. */
function tokenFrom(mail: FakeEmail): string {
  const link = /https:\/\/shop\.example\/reset-password\?token=[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
  expect(link, mail.text).toBeTruthy();
  expect(mail.html).toContain(link!);
  return new URL(link!).searchParams.get('token')!;
}

async function login(email: string, password: string) {
  return api('POST', '/api/v1/token/', { body: { email, password } });
}

describe('password forgot / reset', () => {
  it('emails a one-hour, single-use link; reset sets the password and revokes every refresh token', async () => {
    const user = await makeUser();
    const session = await json(await login(user.email, user.password));
    const res = await forgot(user.email);
    expect(res.status).toBe(202);

    const [mail] = await resetEmails(user.email);
    expect(mail.to).toBe(user.email);
    expect(mail.from).toContain('no-reply@shop.example');
    const token = tokenFrom(mail);
    expect(token.length).toBeGreaterThanOrEqual(43); // 32 random bytes, base64url
    // Stored only as a hash, expiring in an hour.
    const row = await env.DB.prepare('SELECT token_hash, expires_at FROM password_reset_tokens WHERE user_id = ?').bind(user.id).first<{ token_hash: string; expires_at: string }>();
    expect(row!.token_hash).not.toContain(token);
    expect(Date.parse(row!.expires_at) - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(Date.parse(row!.expires_at) - Date.now()).toBeLessThanOrEqual(60 * 60_000);

    expect((await reset(token, 'Brand-New-Pass-7')).status).toBe(204);
    expect((await login(user.email, 'Brand-New-Pass-7')).status).toBe(200);
    await expectProblem(await login(user.email, user.password), 401, 'invalid_credentials');
    await expectProblem(await api('POST', '/api/v1/token/refresh/', { body: { refresh: session.refresh } }), 401, 'token_invalid');
    await expectProblem(await reset(token, 'Another-Pass-8'), 401, 'token_invalid');
  });

  it('ends a login lock: the owner locked out at one address logs in there again after a reset (issue 11/14)', async () => {
    const user = await makeUser();
    const ip = '198.18.0.77';
    const at = (password: string) => api('POST', '/api/v1/token/', { body: { email: user.email, password }, headers: { 'CF-Connecting-IP': ip } });
    for (let i = 0; i < 5; i++) await expectProblem(await at(`Guess-${i}-guess`), 401, 'invalid_credentials');
    await expectProblem(await at(user.password), 429, 'rate_limited');
    // Its own addresses, so the per-address forgot/reset budgets of the other tests stay untouched.
    expect((await forgot(user.email, '198.18.0.78')).status).toBe(202);
    const [mail] = await resetEmails(user.email);
    expect((await reset(tokenFrom(mail), 'Brand-New-Pass-9', '198.18.0.79')).status).toBe(204);
    expect((await at('Brand-New-Pass-9')).status).toBe(200);
  });

  it('a newer request replaces older links; expired and made-up tokens are 401', async () => {
    const user = await makeUser();
    expect((await forgot(user.email)).status).toBe(202);
    await resetEmails(user.email, 1);
    expect((await forgot(user.email)).status).toBe(202);
    const [older, newer] = await resetEmails(user.email, 2);
    await expectProblem(await reset(tokenFrom(older), 'Brand-New-Pass-7'), 401, 'token_invalid');

    await env.DB.prepare('UPDATE password_reset_tokens SET expires_at = ? WHERE user_id = ? AND used_at IS NULL')
      .bind(new Date(Date.now() - 1000).toISOString(), user.id)
      .run();
    await expectProblem(await reset(tokenFrom(newer), 'Brand-New-Pass-7'), 401, 'token_invalid');
    await expectProblem(await reset('not-a-token', 'Brand-New-Pass-7'), 401, 'token_invalid');
  });

  it('applies the registration password rules', async () => {
    const user = await makeUser();
    await forgot(user.email);
    const token = tokenFrom((await resetEmails(user.email))[0]);
    await expectProblem(await reset(token, 'short'), 400, 'validation_error');
    await expectProblem(await reset(token, '1234567890'), 400, 'validation_error');
    await expectProblem(await reset(token, user.email.toUpperCase()), 400, 'validation_error');
    expect((await reset(token, 'Fine-Password-1')).status).toBe(204);
  });

  it('answers known and unknown emails identically (status, body, headers) and emails only the account', async () => {
    const user = await makeUser();
    const nobody = `${unique('nobody')}@example.com`;
    const [known, unknown] = await Promise.all([forgot(user.email, '198.51.100.1'), forgot(nobody, '198.51.100.1')]);
    const view = async (r: Response) => {
      const headers = [...r.headers].filter(([k]) => k !== 'x-request-id');
      return { status: r.status, body: await r.text(), headers };
    };
    expect(await view(known)).toEqual(await view(unknown));
    expect(known.status).toBe(202);
    await resetEmails(user.email);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await fakeEmails(nobody)).toEqual([]);
  });

  it('limits requests per email (known or not) and per client address with 429 and Retry-After', async () => {
    for (const email of [(await makeUser()).email, `${unique('ghost')}@example.com`]) {
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await forgot(email, `192.0.2.${i + 10}`));
      expect(answers.slice(0, 5).map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
      const limited = answers[5];
      await expectProblem(limited, 429, 'rate_limited');
      expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
    }
    const statuses = [];
    for (let i = 0; i < 31; i++) statuses.push((await reset(`bogus-${i}`, 'Brand-New-Pass-7', '192.0.2.99')).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
  });
});

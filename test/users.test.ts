/** Accounts: registration, profile read/update and password change (API.md "Users and tokens"). */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users } from '../src/db/schema';
import { db, makeUser, unique } from './helpers/factories';
import { api, expectProblem, json } from './helpers/http';

const USER_KEYS = ['date_joined', 'email', 'first_name', 'id', 'is_active', 'last_name', 'phone', 'role'];
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const PASSWORD = 'Sturdy-Passw0rd';

const register = (body: Record<string, unknown>) => api('POST', '/api/v1/users/register/', { body });
// Logins come from distinct addresses so the per-client login limit never interferes with these tests.
let ipSeq = 0;
const login = (email: string, password: string) =>
  api('POST', '/api/v1/token/', { body: { email, password }, headers: { 'CF-Connecting-IP': `203.0.113.${++ipSeq}` } });
const newEmail = () => `${unique('reg')}@example.com`;

describe('POST /api/v1/users/register/', () => {
  it('creates a customer and answers exactly the User shape', async () => {
    const email = newEmail();
    const res = await register({ email: `  ${email.toUpperCase()}  `, password: PASSWORD, first_name: 'Ada', last_name: 'Lovelace', phone: '+44 20 7946 0000' });
    expect(res.status).toBe(201);
    const user = await json(res);
    expect(Object.keys(user).sort()).toEqual(USER_KEYS);
    expect(user).toMatchObject({ email, first_name: 'Ada', last_name: 'Lovelace', phone: '+44 20 7946 0000', role: 'customer', is_active: true });
    expect(Number.isInteger(user.id)).toBe(true);
    expect(user.date_joined).toMatch(ISO);
    expect(res.headers.get('Location')).toBe('https://api.test/api/v1/users/profile/');

    // The password is stored as a self-describing PBKDF2 hash, and the account can log in.
    const row = (await db().select().from(users).where(eq(users.id, user.id)))[0];
    expect(row.passwordHash).toMatch(/^pbkdf2_sha256\$100000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect((await login(email, PASSWORD)).status).toBe(200);
  });

  it('defaults the optional fields to empty strings', async () => {
    const res = await register({ email: newEmail(), password: PASSWORD });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ first_name: '', last_name: '', phone: '' });
  });

  it('ignores role, is_staff and other privileged fields', async () => {
    const email = newEmail();
    const res = await register({ email, password: PASSWORD, role: 'admin', is_staff: true, is_superuser: true, is_active: false, id: 1 });
    expect(res.status).toBe(201);
    const user = await json(res);
    expect(user).toMatchObject({ role: 'customer', is_active: true });
    const row = (await db().select().from(users).where(eq(users.email, email)))[0];
    expect(row.role).toBe('customer');
    const tokens = await json(await login(email, PASSWORD));
    expect((await api('GET', '/api/v1/admin/categories/', { token: tokens.access })).status).toBe(403);
  });

  it('refuses a duplicate email, whatever its case, with 409', async () => {
    const email = newEmail();
    expect((await register({ email, password: PASSWORD })).status).toBe(201);
    const body = await expectProblem(await register({ email: ` ${email.toUpperCase()}`, password: PASSWORD }), 409, 'conflict');
    expect(body.errors).toEqual([{ field: 'email', message: expect.any(String) }]);
  });

  it('answers concurrent registrations of one email with one 201 and one 409', async () => {
    const email = newEmail();
    const answers = await Promise.all([register({ email, password: PASSWORD }), register({ email, password: PASSWORD })]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it.each([
    ['too short (7)', 'Abcde1!'],
    ['too long (129)', 'a1'.repeat(64) + 'b'],
    ['all digits', '1234567890'],
  ])('refuses a password that is %s', async (_, password) => {
    const body = await expectProblem(await register({ email: newEmail(), password }), 400, 'validation_error');
    expect(body.errors!.map((e) => e.field)).toEqual(['password']);
  });

  it('refuses a password equal to the email, ignoring case', async () => {
    const email = newEmail();
    const body = await expectProblem(await register({ email, password: email.toUpperCase() }), 400, 'validation_error');
    expect(body.errors!.map((e) => e.field)).toEqual(['password']);
  });

  it('accepts passwords of exactly 8 and 128 characters', async () => {
    expect((await register({ email: newEmail(), password: 'abcdefg1' })).status).toBe(201);
    expect((await register({ email: newEmail(), password: 'a1'.repeat(64) })).status).toBe(201);
  });

  it('names every bad field', async () => {
    const body = await expectProblem(await register({ email: 'not-an-email', phone: 'call me', first_name: 'x'.repeat(151) }), 400, 'validation_error');
    expect(body.errors!.map((e) => e.field).sort()).toEqual(['email', 'first_name', 'password', 'phone']);
    for (const e of body.errors!) expect(e.message).toBeTruthy();
  });
});

describe('/api/v1/users/profile/', () => {
  it('GET answers the caller', async () => {
    const user = await makeUser();
    const res = await api('GET', '/api/v1/users/profile/', { token: user.token });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(Object.keys(body).sort()).toEqual(USER_KEYS);
    expect(body).toMatchObject({ id: user.id, email: user.email, role: 'customer', is_active: true });
  });

  it('needs a token', async () => {
    for (const method of ['GET', 'PATCH', 'PUT']) {
      const res = await api(method, '/api/v1/users/profile/', { body: method === 'GET' ? undefined : { first_name: 'X' } });
      await expectProblem(res, 401, 'not_authenticated');
      expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="api"');
    }
  });

  it('PATCH changes only the fields sent; email and role are ignored', async () => {
    const user = await makeUser();
    const res = await api('PATCH', '/api/v1/users/profile/', { token: user.token, body: { phone: '555-0100', email: 'new@example.com', role: 'admin' } });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ email: user.email, role: 'customer', phone: '555-0100', first_name: 'Test', last_name: 'User' });
    const row = (await db().select().from(users).where(eq(users.id, user.id)))[0];
    expect(row).toMatchObject({ email: user.email, role: 'customer', phone: '555-0100' });
  });

  it('PUT updates names and phone the same way', async () => {
    const user = await makeUser();
    const res = await api('PUT', '/api/v1/users/profile', { token: user.token, body: { first_name: ' Grace ', last_name: 'Hopper', phone: '', is_active: false } });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ first_name: 'Grace', last_name: 'Hopper', phone: '', is_active: true, email: user.email });
    expect((await json(await api('GET', '/api/v1/users/profile/', { token: user.token }))).first_name).toBe('Grace');
  });

  it('validates the fields', async () => {
    const user = await makeUser();
    const res = await api('PATCH', '/api/v1/users/profile/', { token: user.token, body: { phone: 'not a phone!', last_name: 7 } });
    const body = await expectProblem(res, 400, 'validation_error');
    expect(body.errors!.map((e) => e.field).sort()).toEqual(['last_name', 'phone']);
  });
});

describe('POST /api/v1/users/password/change/', () => {
  it('changes the password and revokes every refresh token', async () => {
    const user = await makeUser();
    const sessions = [await json(await login(user.email, user.password)), await json(await login(user.email, user.password))];
    const res = await api('POST', '/api/v1/users/password/change/', { token: user.token, body: { current_password: user.password, new_password: 'Brand-New-Secret-7' } });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    for (const s of sessions) await expectProblem(await api('POST', '/api/v1/token/refresh/', { body: { refresh: s.refresh } }), 401, 'token_invalid');
    await expectProblem(await login(user.email, user.password), 401, 'invalid_credentials');
    expect((await login(user.email, 'Brand-New-Secret-7')).status).toBe(200);
  });

  it('refuses a wrong current password with 400 and changes nothing', async () => {
    const user = await makeUser();
    const session = await json(await login(user.email, user.password));
    const res = await api('POST', '/api/v1/users/password/change/', { token: user.token, body: { current_password: 'Not-my-password-1', new_password: 'Brand-New-Secret-7' } });
    const body = await expectProblem(res, 400, 'validation_error');
    expect(body.errors!.map((e) => e.field)).toEqual(['current_password']);
    expect((await api('POST', '/api/v1/token/refresh/', { body: { refresh: session.refresh } })).status).toBe(200);
    expect((await login(user.email, user.password)).status).toBe(200);
  });

  it('applies the password rules to the new password', async () => {
    const user = await makeUser();
    for (const new_password of ['short1', '123456789', user.email.toUpperCase()]) {
      const res = await api('POST', '/api/v1/users/password/change/', { token: user.token, body: { current_password: user.password, new_password } });
      const body = await expectProblem(res, 400, 'validation_error');
      expect(body.errors!.map((e) => e.field)).toEqual(['new_password']);
    }
  });

  it('needs a token', async () => {
    const res = await api('POST', '/api/v1/users/password/change/', { body: { current_password: 'a', new_password: 'Brand-New-Secret-7' } });
    await expectProblem(res, 401, 'not_authenticated');
  });
});

describe('an access token that outlives its account', () => {
  // Access tokens are stateless: one minted before its account was deleted or deactivated still verifies.
  it('answers 401 when the account no longer exists (never 404 or 500)', async () => {
    const user = await makeUser();
    await db().delete(users).where(eq(users.id, user.id));
    await expectProblem(await api('GET', '/api/v1/users/profile/', { token: user.token }), 401, 'not_authenticated');
    await expectProblem(await api('PATCH', '/api/v1/users/profile/', { token: user.token, body: { first_name: 'X' } }), 401, 'not_authenticated');
    const change = { current_password: user.password, new_password: 'Brand-New-Secret-7' };
    await expectProblem(await api('POST', '/api/v1/users/password/change/', { token: user.token, body: change }), 401, 'not_authenticated');
  });

  it('answers 403 for a deactivated account and changes nothing', async () => {
    const user = await makeUser({ isActive: false });
    await expectProblem(await api('GET', '/api/v1/users/profile/', { token: user.token }), 403, 'permission_denied');
    await expectProblem(await api('PUT', '/api/v1/users/profile/', { token: user.token, body: { first_name: 'Changed' } }), 403, 'permission_denied');
    const change = { current_password: user.password, new_password: 'Brand-New-Secret-7' };
    await expectProblem(await api('POST', '/api/v1/users/password/change/', { token: user.token, body: change }), 403, 'permission_denied');
    const row = (await db().select().from(users).where(eq(users.id, user.id)))[0];
    expect(row.firstName).toBe('Test');
  });
});

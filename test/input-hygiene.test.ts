/**
 * Input hygiene (issue 14 items 2 and 3): strict UTF-8, no lone surrogates, safe names and free text through
 * one helper each, and the password rules on register and change. Each reproduction of the issue is kept.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { freeText, nameText } from '../src/lib/text';
import { COMMON_PASSWORDS } from '../src/users/common-passwords';
import { passwordProblem } from '../src/users/password-rules';
import { imageForm, PNG } from './fixtures/images';
import { makeAdmin, makeProduct, makeUser, unique } from './helpers/factories';
import { api, expectProblem, json } from './helpers/http';

const profile = (token: string, raw: BodyInit) => api('PATCH', '/api/v1/users/profile/', { token, raw, headers: { 'Content-Type': 'application/json' } });

describe('strict UTF-8 and Unicode in JSON bodies', () => {
  it('regression: invalid UTF-8 bytes are 400 malformed_json, not stored as U+FFFD', async () => {
    const user = await makeUser();
    // printf '{"first_name":"A\xffB"}'
    const bytes = new Uint8Array([...new TextEncoder().encode('{"first_name":"A'), 0xff, ...new TextEncoder().encode('B"}')]);
    await expectProblem(await profile(user.token, bytes), 400, 'malformed_json');
    // An overlong encoding and a truncated sequence too.
    await expectProblem(await profile(user.token, new Uint8Array([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d])), 400, 'malformed_json');
    await expectProblem(await profile(user.token, new Uint8Array([...new TextEncoder().encode('{"first_name":"'), 0xe2, 0x82, 0x22, 0x7d])), 400, 'malformed_json');
    expect((await json(await api('GET', '/api/v1/users/profile/', { token: user.token }))).first_name).toBe('Test');
  });

  it('regression: a lone surrogate escape is 400 validation_error naming the field', async () => {
    const user = await makeUser();
    const body = await expectProblem(await profile(user.token, '{"first_name":"\\ud800"}'), 400, 'validation_error');
    expect(body.errors).toEqual([{ field: 'first_name', message: expect.stringContaining('surrogate') }]);
    // A proper pair (an emoji written as escapes) is fine.
    const ok = await profile(user.token, '{"first_name":"Ada \\ud83d\\ude00"}');
    expect((await json(ok)).first_name).toBe('Ada 😀');
  });

  it('accepts UTF-8 with a BOM-free multibyte name and stores it NFC-normalised', async () => {
    const user = await makeUser();
    const res = await profile(user.token, JSON.stringify({ first_name: 'Jose\u0301', last_name: 'Łukasiewicz' }));
    expect(await json(res)).toMatchObject({ first_name: 'Jos\u00e9', last_name: 'Łukasiewicz' });
  });
});

describe('names refuse controls, bidi overrides and zero-width characters', () => {
  const hostile: [string, string][] = [
    ['NUL', 'Bad\u0000name'],
    ['an ANSI escape', '\u001b[31mRed'],
    ['a C1 control', 'Bad\u0085name'],
    ['U+202E (right-to-left override)', 'invoice\u202Egpj.exe'],
    ['U+2066 (isolate)', 'Bad\u2066name'],
    ['a zero-width space', 'Admin\u200b'],
  ];

  it.each(hostile)('regression: a user name with %s is 400 naming the field', async (_, value) => {
    const user = await makeUser();
    const body = await expectProblem(await api('PATCH', '/api/v1/users/profile/', { token: user.token, body: { last_name: value } }), 400, 'validation_error');
    expect(body.errors!.map((e) => e.field)).toEqual(['last_name']);
  });

  it.each(hostile)('regression: product and category names with %s are 400 naming the field', async (_, value) => {
    const admin = await makeAdmin();
    let body = await expectProblem(await api('POST', '/api/v1/admin/products/', { token: admin.token, body: { name: value, price: '1.00', stock: 1 } }), 400, 'validation_error');
    expect(body.errors!.map((e) => e.field)).toEqual(['name']);
    body = await expectProblem(await api('POST', '/api/v1/admin/categories/', { token: admin.token, body: { name: value } }), 400, 'validation_error');
    expect(body.errors!.map((e) => e.field)).toEqual(['name']);
  });

  it('refuses a hostile SKU and image alt text, naming the field', async () => {
    const admin = await makeAdmin();
    const body = await expectProblem(await api('POST', '/api/v1/admin/products/', { token: admin.token, body: { name: 'Fine', sku: 'SKU\u200b1', price: '1.00', stock: 1 } }), 400, 'validation_error');
    expect(new Set(body.errors!.map((e) => e.field))).toEqual(new Set(['sku']));
    const product = await makeProduct();
    const form = imageForm(PNG);
    form.set('alt', 'cat\u202Etac');
    const alt = await expectProblem(await api('POST', `/api/v1/admin/products/${product.id}/images/`, { token: admin.token, raw: form }), 400, 'validation_error');
    expect(alt.errors!.map((e) => e.field)).toEqual(['alt']);
  });

  it('stores product names NFC-normalised', async () => {
    const admin = await makeAdmin();
    const name = `Cafe\u0301 ${unique()}`;
    const res = await api('POST', '/api/v1/admin/products/', { token: admin.token, body: { name, price: '1.00', stock: 1 } });
    expect(res.status).toBe(201);
    expect((await json(res)).name).toBe(name.normalize('NFC'));
  });
});

describe('free text refuses controls other than newline and tab', () => {
  it('a review comment: newline and tab pass, NUL and ANSI escapes do not', async () => {
    const user = await makeUser();
    const product = await makeProduct();
    const put = (comment: string) => api('PUT', `/api/v1/products/${product.id}/review/`, { token: user.token, body: { rating: 4, comment } });
    for (const bad of ['nul\u0000here', 'ansi \u001b[2J clear', 'bell\u0007']) {
      const body = await expectProblem(await put(bad), 400, 'validation_error');
      expect(body.errors!.map((e) => e.field)).toEqual(['comment']);
    }
    const ok = await put('Line one\r\nLine two\twith a tab');
    expect(ok.status).toBe(201);
    expect((await json(ok)).comment).toBe('Line one\nLine two\twith a tab');
  });

  it('a product description with NUL is 400 naming the field', async () => {
    const admin = await makeAdmin();
    const body = await expectProblem(await api('POST', '/api/v1/admin/products/', { token: admin.token, body: { name: 'Ok', description: 'a\u0000b', price: '1.00', stock: 1 } }), 400, 'validation_error');
    expect(body.errors!.map((e) => e.field)).toEqual(['description']);
  });

  it('the helpers themselves', () => {
    expect(nameText().safeParse('  A\u0301 ').data).toBe('\u00c1');
    expect(nameText().safeParse('a\u200db').success).toBe(false);
    expect(freeText().safeParse('a\n\tb').success).toBe(true);
    expect(freeText().safeParse('a\u009bb').success).toBe(false);
  });
});

describe('password rules (register, change)', () => {
  const register = (email: string, password: string) => api('POST', '/api/v1/users/register/', { body: { email, password } });
  const email = () => `${unique('pw')}@example.com`;

  it.each([
    ['eight spaces (regression)', '        '],
    ['Arabic-Indic digits (regression)', '١٢٣٤٥٦٧٨'],
    ['full-width digits', '１２３４５６７８'],
    ['Devanagari digits', '१२३४५६७८९'],
    ['a common password', 'password123'],
    ['a common password in another case', 'QWERTYUIOP'],
    ['too long', 'x1'.repeat(65)],
  ])('register refuses %s', async (_, password) => {
    const body = await expectProblem(await register(email(), password), 400, 'validation_error');
    expect(body.errors!.map((e) => e.field)).toEqual(['password']);
  });

  it('register refuses the email and its local part, any case', async () => {
    const local = unique('ada.lovelace');
    for (const password of [`${local}@example.com`, local.toUpperCase()]) {
      const body = await expectProblem(await register(`${local}@example.com`, password), 400, 'validation_error');
      expect(body.errors!.map((e) => e.field)).toEqual(['password']);
    }
  });

  it('password change applies the same rules, naming new_password', async () => {
    const user = await makeUser();
    for (const new_password of ['        ', '١٢٣٤٥٦٧٨', 'iloveyou1', user.email.split('@')[0]]) {
      const res = await api('POST', '/api/v1/users/password/change/', { token: user.token, body: { current_password: user.password, new_password } });
      const body = await expectProblem(res, 400, 'validation_error');
      expect(body.errors!.map((e) => e.field)).toEqual(['new_password']);
    }
  });

  it('ships 1,000 common passwords and one rule function for reset', async () => {
    await COMMON_PASSWORDS.load(env.ASSETS);
    expect(COMMON_PASSWORDS.size).toBe(1000);
    expect(passwordProblem('letmein123', 'a@b.example')).toBe('is too common');
    expect(passwordProblem('Tr0ub4dor&3-horse', 'a@b.example')).toBeNull();
    expect(passwordProblem('Bob.Smith', 'bob.smith@example.com')).toMatch(/email/);
  });
});

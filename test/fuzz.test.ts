/**
 * The fuzzer (issue 11 item 7): every operation of the served /api/v1/openapi.json — so routes added later are
 * covered without touching this file — gets malformed, boundary and hostile requests (bodies shaped by its
 * schema with wrong types, huge numbers, long and unicode-tricky strings, missing and extra fields; raw bodies
 * that are not JSON or not declared as JSON; hostile path and query values; bad tokens) as an anonymous caller,
 * a customer, an admin, and holders of forged or orphaned tokens. Whatever happens, the answer is never a 5xx,
 * and every 4xx is an RFC 9457 problem with a code of the table (src/errors.ts) and its status.
 * Fixed seed; FUZZ_RUNS requests per operation (8 in CI; `npm run fuzz -- --runs N` for more), FUZZ_SEED to vary.
 */
import { env, SELF } from 'cloudflare:test';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errors';
import { signAccessToken } from '../src/users/access-token';
import { config, makeAdmin, makeCategory, makeProduct, makeUser } from './helpers/factories';
import { addToCart, checkout } from './helpers/shop';
import { anyJson, objectOf, plausible, trickyString, type Schema } from './helpers/fuzz-inputs';
import { BASE } from './helpers/http';

const RUNS = Number(env.FUZZ_RUNS) > 0 ? Number(env.FUZZ_RUNS) : 8;
const SEED = Number(env.FUZZ_SEED) || 20261130;

interface Operation {
  method: string;
  path: string;
  parameters?: { name: string; in: 'path' | 'query' | 'header'; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
}

const spec: { paths: Record<string, Record<string, Operation>> } = await (await SELF.fetch(`${BASE}/api/v1/openapi.json`)).json();
const operations = Object.entries(spec.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ ...op, method, path })));

const ids: Record<string, (string | number)[]> = {};
let tokens: Record<string, string | undefined> = {};

beforeAll(async () => {
  const [admin, customer, category] = await Promise.all([makeAdmin(), makeUser(), makeCategory()]);
  const product = await makeProduct({ categoryId: category.id, stock: 1000 });
  const cart = await addToCart(customer.token, product.id, 1);
  const order = await (await checkout(customer.token)).json<{ id: number }>();
  await addToCart(customer.token, product.id, 2);
  ids.id = [product.id, category.id, order.id];
  ids.item_id = [cart.id ?? 1];
  ids.key = [category.slug, category.id];
  const jwt = config().jwt;
  tokens = {
    anonymous: undefined,
    customer: customer.token,
    admin: admin.token,
    // A valid signature for accounts that do not exist: every foreign key to users must fail cleanly.
    orphan: await signAccessToken(jwt, { id: 987_654_321, role: 'customer' }),
    orphan_admin: await signAccessToken(jwt, { id: 987_654_322, role: 'admin' }),
    tampered: customer.token.slice(0, -3) + (customer.token.endsWith('AAA') ? 'BBB' : 'AAA'),
    alg_none: 'eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIxIiwicm9sZSI6ImFkbWluIn0.',
    garbage: 'not.a.jwt',
    huge: 'a'.repeat(20_000),
  };
});

const WHO = ['anonymous', 'customer', 'admin', 'orphan', 'orphan_admin', 'tampered', 'alg_none', 'garbage', 'huge'];

/** A path parameter: an existing id, an edge of the integer range, or junk. */
const pathValue = (name: string) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...(ids[name] ?? ids.id ?? [1])) },
    { weight: 2, arbitrary: fc.constantFrom(0, 1, 2, 2 ** 31, 2 ** 53 + 1, '9'.repeat(40), '-1', '1.5', '1e3', 'abc', '%00', '%2e%2e', 'x'.repeat(3000), '%F0%9F%98%80') },
    { weight: 1, arbitrary: trickyString.map(encodeURIComponent) },
  );

const queryValue = (s?: Schema) => fc.oneof({ weight: 2, arbitrary: plausible(s).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) }, { weight: 1, arbitrary: trickyString });

type Body = { kind: 'json'; value: unknown } | { kind: 'raw'; text: string; type?: string };

/** A body for the operation: schema-shaped JSON, any JSON, or raw text under a wrong or missing content type. */
function bodyFor(op: Operation): fc.Arbitrary<Body | undefined> {
  const content = op.requestBody?.content ?? {};
  const schema = content['application/json']?.schema ?? content['multipart/form-data']?.schema;
  const shaped = schema?.properties ? objectOf(schema) : anyJson;
  return fc.oneof(
    { weight: 6, arbitrary: shaped.map((value): Body => ({ kind: 'json', value })) },
    { weight: 1, arbitrary: anyJson.map((value): Body => ({ kind: 'json', value })) },
    {
      weight: 2,
      arbitrary: fc.record({
        text: fc.oneof(fc.constantFrom('{', '{"a":', '[1,', 'null', '"x"', '\u0000', '{"a":1}{"b":2}', 'a=1&b=2', '--x\r\n\r\n--x--'), trickyString),
        type: fc.constantFrom(undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'multipart/form-data', 'application/json', 'application/json; charset=utf-16', 'application/xml', 'image/png'),
      }).map(({ text, type }): Body => ({ kind: 'raw', text, type })),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

function requestFor(op: Operation) {
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  return fc.record({
    who: fc.constantFrom(...WHO),
    path: fc.tuple(...pathParams.map((p) => pathValue(p.name))),
    query: fc.tuple(...queryParams.map((p) => fc.option(queryValue(p.schema), { freq: 2 }))),
    extraQuery: fc.option(fc.tuple(fc.constantFrom('page', 'page_size', 'search', 'x', 'ordering', 'status'), trickyString), { freq: 3 }),
    // Header values are bytes: ASCII only (non-ASCII is not sendable by browsers and only makes the runtime warn).
    idempotencyKey: fc.option(fc.oneof(fc.string({ unit: 'binary-ascii', maxLength: 300 }), fc.constantFrom(' ', '', 'k'.repeat(256))), { freq: 4 }),
    slash: fc.boolean(),
    body: bodyFor(op),
    address: fc.integer({ min: 1, max: 250 }),
  });
}

/** One generated request (see requestFor). */
type Req = ReturnType<typeof requestFor> extends fc.Arbitrary<infer T> ? T : never;

async function send(op: Operation & { method: string; path: string }, r: Req): Promise<{ res: Response; text: string; url: string }> {
  let i = 0;
  let path = op.path.replace(/\{[^}]+\}/g, () => String(r.path[i++]));
  if (!r.slash) path = path.replace(/\/$/, '') || '/';
  const qs = new URLSearchParams();
  (op.parameters ?? []).filter((p) => p.in === 'query').forEach((p, j) => r.query[j] != null && qs.append(p.name, r.query[j]));
  if (r.extraQuery) qs.append(r.extraQuery[0], r.extraQuery[1]);
  const url = `${BASE}${path}${qs.size ? `?${qs}` : ''}`;
  const headers: Record<string, string> = { 'CF-Connecting-IP': `203.0.113.${r.address}` };
  const token = tokens[r.who];
  if (token) headers.Authorization = `Bearer ${token}`;
  if (r.idempotencyKey !== null) headers['Idempotency-Key'] = r.idempotencyKey.replace(/[\r\n\0]/g, '');
  let body: string | undefined;
  if (r.body && op.method !== 'get') {
    if (r.body.kind === 'json') {
      body = JSON.stringify(r.body.value) ?? 'null';
      headers['Content-Type'] = 'application/json';
    } else {
      body = r.body.text;
      if (r.body.type) headers['Content-Type'] = r.body.type;
    }
  }
  let res: Response;
  try {
    res = await SELF.fetch(url, { method: op.method.toUpperCase(), headers, body });
  } catch (err) {
    // A header value the Fetch API itself refuses never reaches the Worker: not a finding.
    if (err instanceof TypeError && /header/i.test(String(err.message))) return { res: new Response(null, { status: 204 }), text: '', url };
    throw err;
  }
  return { res, text: await res.text(), url };
}

const CODES = ERROR_CODES as Record<string, { status: number }>;

describe.each(operations.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op] as const))('fuzz %s', (_name, op) => {
  it(`never answers 5xx; every error is a problem with a code from the table (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(requestFor(op), async (r) => {
        const { res, text, url } = await send(op, r);
        const where = `${op.method.toUpperCase()} ${url} as ${r.who} → ${res.status} ${text.slice(0, 300)}`;
        expect(res.status, where).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.headers.get('Content-Type'), where).toContain('application/problem+json');
          const problem = JSON.parse(text);
          expect(Object.keys(CODES), where).toContain(problem.code);
          expect(problem.status, where).toBe(res.status);
          expect(CODES[problem.code].status, where).toBe(res.status);
          expect(problem.request_id, where).toBe(res.headers.get('X-Request-Id'));
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  }, 30_000 + RUNS * 2_000);
});

it('covers every operation of the OpenAPI document', () => {
  expect(operations.length).toBeGreaterThanOrEqual(40);
});

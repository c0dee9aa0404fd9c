/**
 * Authorization, generated from the route table itself: every `admin` route refuses anonymous callers (401)
 * and customers (403); every `customer` route refuses anonymous callers (401). A route added to the table is
 * covered here without anyone writing a test for it.
 */
import { describe, expect, it } from 'vitest';
import { methodsOf, type AnyRoute } from '../src/http/route';
import { routeTable } from '../src/routes';
import { makeUser } from './helpers/factories';
import { api, expectProblem } from './helpers/http';

/** A concrete path for a route pattern: every parameter becomes `1` (the guard runs before anything reads it). */
const samplePath = (pattern: string) => pattern.replace(/:([A-Za-z_][A-Za-z0-9_]*)(\{(?:[^{}]|\{[^{}]*\})*\})?/g, '1');

/** A JSON body for methods that carry one: the guard must answer before the body is looked at. */
const bodyFor = (method: string) => (method === 'GET' ? {} : { body: {} });

const cases = (auth: AnyRoute['auth']) =>
  routeTable.filter((r) => r.auth === auth).flatMap((r) => methodsOf(r).map((m) => [`${m.toUpperCase()} ${r.path}`, m.toUpperCase(), samplePath(r.path)] as const));

describe('the route table', () => {
  it('has admin and customer routes to check', () => {
    expect(cases('admin').length).toBeGreaterThan(10);
    expect(cases('customer').length).toBeGreaterThan(5);
  });
});

describe.each(cases('admin'))('admin route %s', (_name, method, path) => {
  it('is 401 for anonymous callers and 403 for customers', async () => {
    const anonymous = await api(method, path, bodyFor(method));
    await expectProblem(anonymous, 401, 'not_authenticated');
    expect(anonymous.headers.get('WWW-Authenticate')).toBe('Bearer realm="api"');
    const customer = await makeUser();
    await expectProblem(await api(method, path, { token: customer.token, ...bodyFor(method) }), 403, 'permission_denied');
  });
});

describe.each(cases('customer'))('customer route %s', (_name, method, path) => {
  it('is 401 for anonymous callers', async () => {
    const res = await api(method, path, bodyFor(method));
    await expectProblem(res, 401, 'not_authenticated');
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="api"');
  });
});

/**
 * The response contract check itself (src/http/response-contract.ts): a route that answers outside its
 * declaration is turned into a loud 500 in the test pool, and passes through untouched where the binding is off.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import type { AppEnv } from '../src/env';
import { AppError } from '../src/errors';
import { onError } from '../src/http/problem';
import { defineRoute, registerRoutes } from '../src/http/route';
import { json } from './helpers/http';

const Thing = z.object({ id: z.int(), name: z.string() });

function appWith(answer: (n: number) => Response | Promise<Response>) {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('requestId', 'req-1');
    await next();
  });
  registerRoutes(app, [
    defineRoute({
      method: 'get', path: '/thing/:n', auth: 'public', tag: 'Test', summary: 'A thing',
      request: { params: z.object({ n: z.coerce.number() }) },
      responses: { 200: { description: 'The thing', schema: Thing }, 204: { description: 'Nothing' } },
      handler: (_c, { params }) => answer(params.n),
    }),
  ]);
  app.onError(onError);
  return (n: number, check = '1') => app.request(`/thing/${n}`, {}, { CHECK_RESPONSES: check });
}

describe('response contract check', () => {
  it('lets declared answers through', async () => {
    const call = appWith((n) => (n ? Response.json({ id: n, name: 'x' }) : new Response(null, { status: 204 })));
    expect(await (await call(1)).json()).toEqual({ id: 1, name: 'x' });
    expect((await call(0)).status).toBe(204);
  });

  it('fails a body that does not match the schema of its status, or carries an undeclared field', async () => {
    const wrong = await appWith(() => Response.json({ id: 'one', name: 'x' }))(1);
    expect(wrong.status).toBe(500);
    expect((await json(wrong)).contract_violation).toMatch(/GET \/thing\/:n answered 200.*id/);
    const extra = await appWith(() => Response.json({ id: 1, name: 'x', secret: 'hash' }))(1);
    expect((await json(extra)).contract_violation).toMatch(/secret: not declared/);
  });

  it('fails an undeclared status and a problem that is not the Problem shape', async () => {
    expect((await json(await appWith(() => Response.json({ id: 1, name: "x" }, { status: 201 }))(1))).contract_violation).toMatch(/status 201 is not declared/);
    const bad = () => new Response(JSON.stringify({ error: 'nope' }), { status: 409, headers: { 'Content-Type': 'application/problem+json' } });
    expect((await json(await appWith(bad)(1))).contract_violation).toMatch(/code/);
  });

  it('accepts problems from the one error funnel', async () => {
    const res = await appWith(() => {
      throw new AppError('not_found', 'Thing not found.');
    })(1);
    expect(res.status).toBe(404);
    expect((await json(res)).code).toBe('not_found');
  });

  it('is off unless the binding says so', async () => {
    const res = await appWith(() => Response.json({ id: 'one' }, { status: 201 }))(1, '');
    expect(res.status).toBe(201);
  });
});

/**
 * The response contract check, on only where the binding `CHECK_RESPONSES` is "1" (the test pool sets it in
 * vitest.config.ts; wrangler.toml never does). Every answer of a table route is held against its declaration:
 * a JSON answer is parsed with the schema declared for its status and may carry no field the schema does not
 * declare, a problem answer must have the Problem shape, and a status the route does not declare fails. A
 * mismatch replaces the answer with a 500 naming the route and the fields, so the test that made the request
 * fails loudly: the OpenAPI document, built from the same schemas, cannot drift from what the API sends.
 */
import type { MiddlewareHandler } from 'hono';
import * as z from 'zod/mini';
import type { AppEnv } from '../env';
import { ERROR_CODES, type ErrorCode } from '../errors';
import type { AnyRoute } from './route';

/** The RFC 9457 body every error answer has (src/http/problem.ts builds it; the OpenAPI document shows it). */
export const Problem = z.strictObject({
  type: z.url(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
  errors: z.optional(z.array(z.object({ field: z.string(), message: z.string(), available: z.optional(z.int()) }))),
  request_id: z.string(),
});

/** Paths of fields present in `sent` that the parsed value (unknown keys stripped by zod) no longer has. */
function undeclaredFields(sent: unknown, parsed: unknown, path = ''): string[] {
  if (Array.isArray(sent) && Array.isArray(parsed)) return sent.flatMap((v, i) => undeclaredFields(v, parsed[i], `${path}[${i}]`));
  if (sent && parsed && typeof sent === 'object' && typeof parsed === 'object') {
    return Object.entries(sent).flatMap(([k, v]) =>
      k in parsed ? undeclaredFields(v, (parsed as Record<string, unknown>)[k], path ? `${path}.${k}` : k) : [path ? `${path}.${k}` : k],
    );
  }
  return [];
}

const issuesOf = (error: z.core.$ZodError) => error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);

async function violations(route: AnyRoute, res: Response): Promise<string[]> {
  const contentType = res.headers.get('Content-Type') ?? '';
  if (contentType.startsWith('application/problem+json')) {
    const body = await res.clone().json();
    const parsed = Problem.safeParse(body);
    if (!parsed.success) return issuesOf(parsed.error);
    return parsed.data.status === res.status ? [] : [`problem status ${parsed.data.status} differs from the HTTP status ${res.status}`];
  }
  const declared = route.responses[res.status];
  if (!declared) return [`status ${res.status} is not declared`];
  if (!declared.schema || !contentType.startsWith('application/json')) return [];
  const body = await res.clone().json();
  const parsed = declared.schema.safeParse(body);
  if (!parsed.success) return issuesOf(parsed.error);
  return undeclaredFields(body, parsed.data).map((f) => `${f}: not declared in the ${res.status} schema`);
}

/** The check for one route (a pass-through unless the binding is set). */
export const responseContract =
  (route: AnyRoute): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    await next();
    if (c.env.CHECK_RESPONSES !== '1') return;
    const found = await violations(route, c.res);
    if (!found.length) return;
    const message = `${c.req.method} ${route.path} answered ${c.res.status} against its declaration: ${found.join('; ')}`;
    console.error(`[response contract] ${message}`);
    c.res = new Response(JSON.stringify({ contract_violation: message }), { status: 500, headers: { 'Content-Type': 'application/json' } });
  };

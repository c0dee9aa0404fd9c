/**
 * The OpenAPI 3.1 document, generated from the route table (src/routes.ts): the same declarations and zod
 * schemas that register, guard and validate the routes. The one generator, run at BUILD time, never in the
 * Worker: scripts/static-assets.mjs writes static/api/openapi.json with it (GET /api/v1/openapi.json serves that
 * file), scripts/gen-client.mjs the typed client, and test/openapi-asset.test.ts proves the served file equals
 * what it generates from the current table. So `z.toJSONSchema` and this module stay out of the Worker bundle.
 */
import * as z from 'zod/mini';
import { ERROR_CODES } from '../errors';
import { API_VERSION } from './api-version';
import { Problem } from './response-contract';
import { methodsOf, type AnyRoute, type Method } from './route';

export { API_VERSION };

const toSchema = (schema: z.ZodMiniType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;

function parameters(schema: z.ZodMiniType | undefined, where: 'query' | 'path' | 'header') {
  if (!schema) return [];
  const json = toSchema(schema, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    description: typeof s.description === 'string' ? s.description : undefined,
    schema: s,
  }));
}

/** Hono path → OpenAPI path: `/products/:id{[0-9]+}/` → `/products/{id}/` (the regex stays in the router). */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z_][A-Za-z0-9_]*)(\{(?:[^{}]|\{[^{}]*\})*\})?/g, '{$1}');

/** Every `{name}` of the path is a required path parameter, described by the params schema when there is one. */
function pathParameters(path: string, schema: z.ZodMiniType | undefined) {
  const described = parameters(schema, 'path');
  const names = new Set(described.map((p) => p.name));
  const implicit = [...path.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)]
    .map((m) => m[1])
    .filter((name) => !names.has(name))
    .map((name) => ({ name, in: 'path', required: true, description: undefined, schema: { type: 'string' } as Record<string, unknown> }));
  return [...described, ...implicit];
}

const ProblemSchema = toSchema(Problem, 'output');

/**
 * A stable, unique operationId from method and path, for client generators and linters, which name methods
 * after it: get `/api/v1/products/{id}/reviews/` → `get_products_id_reviews`.
 */
export function operationId(method: string, path: string): string {
  const words = path.replace(/^\/api\/v1/, '').split(/[^A-Za-z0-9]+/).filter(Boolean);
  return [method, ...(words.length ? words : ['root'])].join('_');
}

/** Whether a route needs a bearer token (customer and admin routes). */
const needsToken = (route: AnyRoute) => route.auth !== 'public';

/** One operation of the document: a route of the table and one of its methods. */
function operation(r: AnyRoute, method: Method, path: string): Record<string, unknown> {
  const req = r.request ?? {};
  const responses: Record<string, unknown> = {};
  for (const [status, res] of Object.entries(r.responses)) {
    responses[status] = {
      description: res.description,
      ...(res.schema ? { content: { [res.contentType ?? 'application/json']: { schema: toSchema(res.schema, 'output') } } } : {}),
    };
  }
  const errorStatuses = new Set<number>((r.errors ?? []).map((code) => ERROR_CODES[code].status));
  if (req.body || req.query || req.params) errorStatuses.add(400);
  if (needsToken(r)) errorStatuses.add(401);
  if (r.auth === 'admin') errorStatuses.add(403);
  for (const status of errorStatuses) {
    const codes = Object.entries(ERROR_CODES).filter(([, v]) => v.status === status).map(([k]) => k);
    responses[String(status)] = { description: `Problem (${codes.join(', ')})`, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
  }
  responses.default = { description: 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
  return {
    operationId: operationId(method, path),
    tags: [r.tag],
    summary: r.summary,
    ...(r.description ? { description: r.description } : {}),
    ...(needsToken(r) ? { security: [{ bearer: [] }] } : {}),
    parameters: [...pathParameters(path, req.params), ...parameters(req.query, 'query'), ...parameters(req.headers, 'header')],
    ...(req.body ? { requestBody: { required: true, content: { [req.bodyType ?? 'application/json']: { schema: toSchema(req.body, 'input') } } } } : {}),
    responses,
  };
}

export function openApiDocument(title: string, table: readonly AnyRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of table) {
    const path = openApiPath(r.path);
    for (const method of methodsOf(r)) (paths[path] ??= {})[method] = operation(r, method, path);
  }
  return {
    openapi: '3.1.0',
    info: {
      title,
      version: API_VERSION,
      description:
        'Edge-native e-commerce API. Money is a decimal string with two places; errors are RFC 9457 problem+json with a stable `code`. Trailing slashes are optional.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: ProblemSchema },
    },
    paths,
  };
}

/**
 * The route table. Every route is declared ONCE with `defineRoute`: method, path, who may call it, request
 * schemas, response schemas per status and the handler. `registerRoutes` turns the declarations into Hono
 * routes (guard from `auth`, validation through @hono/zod-validator, then the handler with typed input), and
 * the OpenAPI document, the authorization tests and the typed client are all derived from the same table.
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { zValidator } from '@hono/zod-validator';
import type * as z from 'zod/mini';
import type { AppEnv } from '../env';
import { AppError, type ErrorCode } from '../errors';
import { responseContract } from './response-contract';
import { guard, type AuthCheck } from './auth';
import { fieldErrors, normalizeQuery, readJsonBody, readMultipartForm, type IssueList } from './validate';

/** Who may call a route: anyone, any signed-in user (customers and admins), or admins only. */
export type Auth = 'public' | 'customer' | 'admin';
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

type Out<T> = T extends z.ZodMiniType ? z.output<T> : undefined;

/** What the handler receives besides the context: the validated request parts (undefined when not declared). */
export interface RouteInput<P, Q, B, H> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  headers: Out<H>;
}

export interface ResponseDoc {
  description: string;
  /** JSON schema of the body for this status; omitted for empty or non-JSON bodies. */
  schema?: z.ZodMiniType;
  contentType?: string;
}

export interface RouteDef<P = undefined, Q = undefined, B = undefined, H = undefined> {
  /** One method, or several sharing one handler (PUT and PATCH of a resource). */
  method: Method | readonly Method[];
  /** Full path in Hono syntax with the documented trailing slash: `/api/v1/orders/:id{[0-9]+}/cancel/`. */
  path: string;
  auth: Auth;
  /**
   * Route middleware run after the guard and the path parameters, before the query, headers and body are
   * validated: the edge cache (a hit answers without validating again), the upload size limit.
   */
  use?: MiddlewareHandler<AppEnv>[];
  /**
   * How the guard checks the caller. Default: admin routes and writes re-read the user's current role and
   * active flag (one D1 round trip); 'token' when the handler's own queries read and check the user row;
   * 'fresh' to re-read on reads too (routes where the current role decides what the caller may see).
   */
  check?: AuthCheck;
  /** A WebSocket upgrade: the token may come as `Sec-WebSocket-Protocol: bearer, <token>` or `?token=`. */
  socket?: boolean;
  tag: string;
  summary: string;
  description?: string;
  request?: {
    params?: P;
    query?: Q;
    body?: B;
    /** `application/json` (default) or `multipart/form-data` (validated as a form). */
    bodyType?: 'application/json' | 'multipart/form-data';
    /** Request headers the route reads (`Idempotency-Key`), as a zod object keyed by header name. */
    headers?: H;
  };
  /** Answers by status. Problem answers (4xx/5xx) are documented from `errors` and `auth`, not here. */
  responses: Record<number, ResponseDoc>;
  /** Error codes this route can answer besides the generic ones (validation, auth). */
  errors?: ErrorCode[];
  handler: (c: Context<AppEnv>, input: RouteInput<P, Q, B, H>) => Response | Promise<Response>;
}

/** A route of the table, its schema types erased. */
export type AnyRoute = RouteDef<any, any, any, any>;

/** Declares a route; the generics infer the handler's input types from the schemas. */
export function defineRoute<
  P extends z.ZodMiniType | undefined = undefined,
  Q extends z.ZodMiniType | undefined = undefined,
  B extends z.ZodMiniType | undefined = undefined,
  H extends z.ZodMiniType | undefined = undefined,
>(def: RouteDef<P, Q, B, H>): AnyRoute {
  return def as AnyRoute;
}

export const methodsOf = (route: AnyRoute): Method[] => (typeof route.method === 'string' ? [route.method] : [...route.method]);

/** Hono matches with and without the trailing slash (`strict: false`) only when it is registered without it. */
export const honoPath = (path: string) => (path.length > 1 ? path.replace(/\/+$/, '') : path);

/** The zod-validator hook: a failed parse becomes our 400 `validation_error` naming every field. */
const failWith =
  (what: string) =>
  (result: { success: boolean; error?: IssueList }): void => {
    if (!result.success) throw new AppError('validation_error', `${what} failed validation.`, { errors: fieldErrors(result.error!) });
  };

/** A bad header is named in the detail: "The Idempotency-Key header is invalid." */
const failHeaders = (result: { success: boolean; error?: IssueList }): void => {
  if (result.success) return;
  const errors = fieldErrors(result.error!);
  const detail = errors.length === 1 ? `The ${errors[0].field} header is invalid.` : 'Request headers failed validation.';
  throw new AppError('validation_error', detail, { errors });
};

/** The directive of every answer that depends on who asks: no shared cache may keep it, no cache at all may store it. */
export const PRIVATE_NO_STORE = 'private, no-store';

/**
 * Answers of authenticated routes are never stored by a cache, whatever they are (their 401/403 problems
 * included: it runs before the guard, and Hono hands it the error answer after the guard throws).
 */
export const privateNoStore: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header('Cache-Control', PRIVATE_NO_STORE);
};

function guardsOf(route: AnyRoute): MiddlewareHandler<AppEnv>[] {
  if (route.auth === 'public') return [];
  const g = guard({ admin: route.auth === 'admin', check: route.check, socket: route.socket });
  // A WebSocket upgrade (101) is no cacheable answer; every other authenticated answer is private.
  return route.socket ? [g] : [privateNoStore, g];
}

/**
 * Every request part is parsed synchronously (all our schemas are), not with the validator's `safeParseAsync`:
 * under an async parse zod/mini settles fields with a transform last, which would reorder the parsed object and
 * the `errors` of a `validation_error` (classic zod kept the declared order). The result is typed `any` because
 * @hono/zod-validator declares classic zod's result type; it reads only `success`, `data` and `error.issues`.
 */
const parseSync = { validationFunction: (schema: z.ZodMiniType, value: unknown): any => schema.safeParse(value) };

function middlewareFor(route: AnyRoute): MiddlewareHandler<AppEnv>[] {
  const chain: MiddlewareHandler<AppEnv>[] = [responseContract(route), ...guardsOf(route)];
  const req = route.request ?? {};
  if (req.params) chain.push(zValidator('param', req.params, failWith('Path'), parseSync) as MiddlewareHandler<AppEnv>);
  chain.push(...(route.use ?? []));
  if (req.query) {
    chain.push(
      zValidator('query', req.query, failWith('Query string'), {
        validationFunction: (schema, value) => schema.safeParse(normalizeQuery(value as Record<string, string | string[]>)),
      }) as MiddlewareHandler<AppEnv>,
    );
  }
  if (req.headers) chain.push(zValidator('header', req.headers, failHeaders, parseSync) as MiddlewareHandler<AppEnv>);
  if (req.body) {
    if (req.bodyType === 'multipart/form-data') chain.push(multipartValidator(req.body));
    else chain.push(readJsonBody, zValidator('json', req.body, failWith('Request body'), parseSync) as MiddlewareHandler<AppEnv>);
  }
  return chain;
}

/**
 * Multipart bodies (uploads) are read with `parseBody({ all: true })` so repeated parts stay visible (two files
 * in one upload are a 400, not silently the last one), then parsed with the route's schema.
 */
const multipartValidator =
  (schema: z.ZodMiniType): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const result = schema.safeParse(await readMultipartForm(c));
    failWith('Upload')(result);
    c.req.addValidatedData('form', result.data as object);
    await next();
  };

const valid = (c: Context<AppEnv>, target: string): any => (c.req.valid as (t: string) => unknown)(target);

/** Registers every route of the table on the app. */
export function registerRoutes(app: Hono<AppEnv>, table: readonly AnyRoute[]): void {
  for (const route of table) {
    const req = route.request ?? {};
    const formTarget = req.bodyType === 'multipart/form-data' ? 'form' : 'json';
    const handle: MiddlewareHandler<AppEnv> = async (c) =>
      route.handler(c, {
        params: req.params ? valid(c, 'param') : undefined,
        query: req.query ? valid(c, 'query') : undefined,
        body: req.body ? valid(c, formTarget) : undefined,
        headers: req.headers ? valid(c, 'header') : undefined,
      });
    const chain = [...middlewareFor(route), handle] as [MiddlewareHandler<AppEnv>];
    app.on(methodsOf(route).map((m) => m.toUpperCase()), honoPath(route.path), ...chain);
  }
}

/**
 * Request validation with zod. Every failure becomes an `AppError` (400 `validation_error` with one entry per
 * field, or `malformed_json`), so the problem handler answers it like any other error. The schemas passed here
 * are the same ones the OpenAPI document is generated from.
 */
import type { MiddlewareHandler } from 'hono';
import * as z from 'zod';
import { AppError, type FieldError } from '../errors';

/** zod issues → `[{ field, message }]`, with dotted/bracketed paths (`shipping_address.city`, `items[0]`). */
/** What fieldErrors reads of a zod error (zod 4 and the v3-compatible types @hono/zod-validator also accepts). */
export interface IssueList {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}

export function fieldErrors(error: IssueList): FieldError[] {
  return error.issues.map((issue) => {
    let field = '';
    for (const part of issue.path) {
      if (typeof part === 'number') field += `[${part}]`;
      else field += field ? `.${String(part)}` : String(part);
    }
    return { field: field || 'body', message: issue.message };
  });
}

export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, what = 'Request'): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError('validation_error', `${what} failed validation.`, { errors: fieldErrors(result.error) });
  return result.data;
}

type Target = 'json' | 'query' | 'param';
type Validated<K extends Target, T extends z.ZodType> = {
  in: { [P in K]: z.input<T> };
  out: { [P in K]: z.output<T> };
};

function make<K extends Target>(target: K, read: (c: Parameters<MiddlewareHandler>[0]) => Promise<unknown> | unknown, what: string) {
  return <T extends z.ZodType>(schema: T): MiddlewareHandler<any, string, Validated<K, T>> =>
    async (c, next) => {
      const data = parseOrThrow(schema, await read(c), what);
      c.req.addValidatedData(target, data as object);
      await next();
    };
}

/** Media types a JSON route accepts: `application/json` and any `application/*+json`. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Reads and parses a JSON route's body before @hono/zod-validator sees it. An empty body is `{}`; a body sent
 * as anything but JSON is 415 (a cross-site form or `text/plain` post cannot reach a JSON route without a CORS
 * preflight); text that is not JSON is `malformed_json`. The parsed value is left in Hono's body cache, where
 * the validator reads it.
 */
export const readJsonBody: MiddlewareHandler = async (c, next) => {
  const text = await c.req.text();
  let value: unknown = {};
  if (text.trim() !== '') {
    const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0].trim();
    if (!JSON_MEDIA_TYPE.test(mediaType)) throw new AppError('unsupported_media_type', 'The request body must be sent as application/json.');
    try {
      value = JSON.parse(text);
    } catch {
      throw new AppError('malformed_json', 'The request body is not valid JSON.');
    }
  }
  c.req.bodyCache.json = Promise.resolve(value);
  await next();
};

/**
 * The query as validated: a repeated key keeps its first value (as `c.req.query()`), and empty values (`?in_stock=&page=`) count as
 * absent, as django-filter treats them: storefront forms send every filter field, filled or not.
 */
export function normalizeQuery(query: Record<string, string | string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== '' && first !== undefined) out[key] = first;
  }
  return out;
}

/**
 * JSON body. Parsed whatever the declared Content-Type (clients of the Django APIs often omit it); an empty body
 * is `{}`, anything that is not JSON is `malformed_json`.
 */
export const jsonBody = make(
  'json',
  async (c) => {
    const text = await c.req.text();
    if (text.trim() === '') return {};
    try {
      return JSON.parse(text);
    } catch {
      throw new AppError('malformed_json', 'The request body is not valid JSON.');
    }
  },
  'Request body',
);

/**
 * Query string; repeated keys keep their last value. Empty values (`?in_stock=&page=`) count as absent, as
 * django-filter treats them: storefront forms send every filter field, filled or not.
 */
export const query = make('query', (c) => Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== '')), 'Query string');

/** Path parameters. */
export const params = make('param', (c) => c.req.param(), 'Path');

/**
 * A row id in a path whose route pattern already allows digits only. Any digit string is well-formed; ids that
 * cannot exist (0, beyond 2^53) become 0 and are simply not found (404), as on the public catalog routes.
 */
export const pathId = (description: string) =>
  z
    .string()
    .regex(/^\d+$/, 'must be an integer')
    .transform((v) => (/^\d{1,15}$/.test(v) ? Number(v) : 0))
    .describe(description);

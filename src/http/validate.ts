/**
 * The pieces of request validation that route.ts hands to @hono/zod-validator: zod issues as our field list,
 * the JSON body reader (415 / `malformed_json`), the query normalization, the multipart form reader, and the
 * path-id schema. Every failure is an `AppError`, answered by the one problem+json handler.
 */
import type { Context, MiddlewareHandler } from 'hono';
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { AppError, type FieldError } from '../errors';

// zod/mini ships no messages of its own ("Invalid input" for everything): the English ones, as classic zod gives
// them, keep every `validation_error` that has no message of ours ("Too big: expected string to have <=254
// characters") as clients know it. Set once here, where zod issues become our field errors.
z.config(en());

/** What fieldErrors reads of a zod error (zod 4 and the v3-compatible types @hono/zod-validator also accepts). */
export interface IssueList {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}

/** zod issues → `[{ field, message }]`, with dotted/bracketed paths (`shipping_address.city`, `items[0]`). */
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

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
/** True when the body is empty or only JSON whitespace (the bytes of space, tab, CR, LF). */
const isBlank = (bytes: ArrayBuffer) => new Uint8Array(bytes).every((b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d);
/** A UTF-16 code unit of a surrogate pair standing alone (with the `u` flag, paired ones are one code point). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** The path (`items[0].name`) of the first string, key or value, that holds a lone surrogate; null when none. */
function loneSurrogateAt(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path || 'body' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = loneSurrogateAt(value[i], `${path}[${i}]`);
      if (hit) return hit;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const field = path ? `${path}.${key}` : key;
      if (LONE_SURROGATE.test(key)) return field;
      const hit = loneSurrogateAt(v, field);
      if (hit) return hit;
    }
  }
  return null;
}

/**
 * Bytes of a JSON body → its value, strictly: bytes that are not UTF-8 are `malformed_json` (a lenient decoder
 * would store U+FFFD in their place), and a `\ud800` escape that JSON.parse turns into a lone surrogate is a
 * `validation_error` naming the field (it cannot be stored or sent back as UTF-8). `undefined` for a blank body.
 */
export function parseJsonBytes(bytes: ArrayBuffer): unknown {
  if (isBlank(bytes)) return undefined;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new AppError('malformed_json', 'The request body is not valid UTF-8.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('malformed_json', 'The request body is not valid JSON.');
  }
  const field = loneSurrogateAt(value);
  if (field) throw new AppError('validation_error', 'Request body failed validation.', { errors: [{ field, message: 'must not contain a lone surrogate (invalid Unicode)' }] });
  return value;
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
  const bytes = await c.req.arrayBuffer();
  let value: unknown = {};
  if (!isBlank(bytes)) {
    const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0].trim();
    if (!JSON_MEDIA_TYPE.test(mediaType)) throw new AppError('unsupported_media_type', 'The request body must be sent as application/json.');
    value = parseJsonBytes(bytes) ?? {};
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

const notMultipart = (message: string) => new AppError('validation_error', 'The upload failed validation.', { errors: [{ field: 'file', message }] });

/**
 * The form fields of a multipart upload; anything that is not parseable multipart is a 400 on `file`. Repeated
 * fields are kept as lists (not silently narrowed to the last one): several files in one upload are a 400, and
 * a repeated alt or position fails its schema.
 */
export async function readMultipartForm(c: Context): Promise<Record<string, unknown>> {
  if (!/^multipart\/form-data\s*;/i.test(c.req.header('Content-Type') ?? '')) {
    throw notMultipart('is required: send the image as a multipart/form-data part named "file"');
  }
  let form: Awaited<ReturnType<typeof c.req.parseBody>>;
  try {
    form = await c.req.parseBody({ all: true });
  } catch {
    throw notMultipart('the multipart/form-data body could not be parsed');
  }
  if (Array.isArray(form.file)) throw notMultipart('must be exactly one file: upload one image per request');
  return form;
}

/**
 * A row id in a path whose route pattern already allows digits only. Any digit string is well-formed; ids that
 * cannot exist (0, beyond 2^53) become 0 and are simply not found (404), as on the public catalog routes.
 */
export const pathId = (description: string) =>
  z
    .pipe(
      z.string().check(z.regex(/^\d+$/, 'must be an integer')),
      z.transform((v: string) => (/^\d{1,15}$/.test(v) ? Number(v) : 0)),
    )
    .check(z.describe(description));

/**
 * Refuses the value of a `z.transform` with `message` (a custom issue on the field, as classic zod's
 * `ctx.addIssue`): zod/mini hands a transform the bare parse payload.
 */
export function refuse(ctx: z.core.ParsePayload, message: string): never {
  ctx.issues.push({ code: 'custom', message, input: ctx.value });
  return z.NEVER;
}

const BOOLEANS = new Map([['true', true], ['1', true], ['false', false], ['0', false]]);

/**
 * A boolean query filter: `true`/`false`, case-insensitive, and `1`/`0` too, as django-filter's BooleanWidget
 * accepts (Python clients send `True`/`False`: requests formats a bool param with str()).
 */
export const booleanQuery = (description: string) =>
  z
    .pipe(
      z.optional(z.string()),
      z.transform((v: string | undefined, ctx) => {
        if (v === undefined) return undefined;
        return BOOLEANS.get(v.trim().toLowerCase()) ?? refuse(ctx, 'must be "true" or "false"');
      }),
    )
    .check(z.meta({ enum: ['true', 'false'] }), z.describe(description));

/** Form posts in, field messages out: the console's glue between HTML forms and the services' zod schemas. */
import type { Context } from 'hono';
import type * as z from 'zod/mini';
import type { AppEnv } from '../env';
import { AppError, notFound } from '../errors';
import { href, type FieldErrors } from './layout';

/** The text fields of a posted form (files and the CSRF token left out). */
export async function formFields(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string' && k !== '_csrf') out[k] = v;
  return out;
}

/** The first message of each field of a failed zod parse. */
export function zodFieldErrors(error: z.core.$ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    out[field] ??= issue.message;
  }
  return out;
}

/** The field messages of a service refusal (409 duplicate SKU, unknown category…), or undefined for others. */
export function appErrorFields(e: unknown): FieldErrors | undefined {
  if (!(e instanceof AppError) || !e.errors?.length || (e.code !== 'validation_error' && e.code !== 'conflict')) return undefined;
  const out: FieldErrors = {};
  for (const err of e.errors) out[err.field] ??= err.message;
  return out;
}

/** "", absent → undefined; otherwise the trimmed text. */
export const optional = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());

/** A whole number typed in a form, or the text itself so the schema reports it ("must be an integer"). */
export const intOrText = (v: string | undefined): number | string | undefined => {
  const t = optional(v);
  if (t === undefined) return undefined;
  return /^[+-]?\d{1,12}$/.test(t) ? Number(t) : t;
};

/** Query values: the first one of each, as strings. */
export const queryOf = (c: Context<AppEnv>) => c.req.query() as Record<string, string | undefined>;

/** The `page` query value: a whole number of at least 1, anything else 1. */
export const pageOf = (q: Record<string, string | undefined>) => Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);

/** The `search` query value, trimmed and capped at 200 characters; undefined when empty. */
export const searchOf = (q: Record<string, string | undefined>) => q.search?.trim().slice(0, 200) || undefined;

/** The `:id` of the path as a positive integer, or the 404 of `what` ("Product", "Order"…). */
export function pathId(c: Context<AppEnv>, what: string) {
  const id = Number(c.req.param('id'));
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound(what);
  return id;
}

/** After a successful post: 303 to the page that shows the result, with its flash message (pages/flash.ts). */
export const afterPost = (c: Context<AppEnv>, path: string, flash: string) => c.redirect(href(`${path}?flash=${flash}`), 303);

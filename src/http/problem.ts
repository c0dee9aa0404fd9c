/**
 * The one error funnel: AppError, Hono's HTTPException, config errors and anything unexpected become an
 * RFC 9457 `application/problem+json` answer with a stable `code` and the request id. Unexpected errors are
 * logged with the request id and answered with a generic 500: no message, stack or SQL reaches the client.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, ERROR_CODES, type ErrorCode, type FieldError } from '../errors';
import { ConfigError } from '../config';
import type { AppEnv } from '../env';
import { logError } from './logging';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: FieldError[];
  request_id: string;
}

/** The fragment of the docs page that explains `code`: `problem-insufficient-stock`. */
export const problemAnchor = (code: string) => `problem-${code.replace(/_/g, '-')}`;

/**
 * A problem's `type`: the section of this API's own docs page that explains the code, as an absolute URL on
 * the configured public origin (PUBLIC_BASE_URL) or the request's — never a domain the project does not own.
 */
export function problemType(c: Context<AppEnv>, code: string): string {
  const base = c.get('config')?.publicBaseUrl?.replace(/\/+$/, '') ?? new URL(c.req.url).origin;
  return `${base}/api/v1/docs#${problemAnchor(code)}`;
}

export function problemResponse(
  c: Context<AppEnv>,
  code: ErrorCode,
  detail: string,
  extras: { errors?: FieldError[]; headers?: Record<string, string>; status?: number } = {},
): Response {
  const { status, title } = ERROR_CODES[code];
  const body: ProblemBody = {
    type: problemType(c, code),
    title,
    status: extras.status ?? status,
    detail,
    code,
    ...(extras.errors ? { errors: extras.errors } : {}),
    request_id: c.get('requestId') ?? '',
  };
  const headers = new Headers({ 'Content-Type': 'application/problem+json' });
  for (const [k, v] of Object.entries(extras.headers ?? {})) headers.set(k, v);
  // Every 401 names its scheme (RFC 9110 §15.5.2), including credential and refresh-token failures.
  if (body.status === 401 && !headers.has('WWW-Authenticate')) headers.set('WWW-Authenticate', 'Bearer realm="api"');
  return new Response(JSON.stringify(body), { status: body.status, headers });
}

/** HTTPException statuses that Hono's own middleware raises, mapped to the codes of the API.md table. */
function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400: return 'validation_error';
    case 401: return 'not_authenticated';
    case 403: return 'permission_denied';
    case 404: return 'not_found';
    case 405: return 'method_not_allowed';
    case 413: return 'payload_too_large';
    case 415: return 'unsupported_media_type';
    case 429: return 'rate_limited';
    default: return status >= 500 ? 'internal_error' : 'validation_error';
  }
}

export function onError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof AppError) {
    return problemResponse(c, err.code, err.message, { errors: err.errors, headers: err.headers });
  }
  if (err instanceof HTTPException) {
    const code = codeForStatus(err.status);
    if (code === 'internal_error') {
      logError(c, 'http_exception', err);
      return problemResponse(c, code, 'An unexpected error occurred.');
    }
    const detail = code === 'payload_too_large' ? 'The request body is too large.' : err.message || ERROR_CODES[code].title;
    return problemResponse(c, code, detail, { status: err.status });
  }
  if (err instanceof ConfigError) {
    // Names the missing/bad variables in the log (never their values); the client sees a generic 500.
    logError(c, 'configuration_error', err);
    return problemResponse(c, 'internal_error', 'The server is misconfigured.');
  }
  logError(c, 'unhandled_error', err);
  return problemResponse(c, 'internal_error', 'An unexpected error occurred.');
}

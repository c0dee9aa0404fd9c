/**
 * Structured logs: one JSON line per request, plus one per unexpected error. Lines carry the request id and
 * never a stack trace, SQL text, query parameters or secrets.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';

const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

function level(c: Context<AppEnv>) {
  return c.get('config')?.logLevel ?? c.env?.LOG_LEVEL ?? 'info';
}

/** A safe one-line description of an error: its name and, for D1/Drizzle errors, the D1 reason without the SQL. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return typeof err;
  const cause = (err as { cause?: unknown }).cause;
  const msg = err.message.startsWith('Failed query') && cause instanceof Error ? cause.message : err.message;
  return `${err.name}: ${msg.split('\n')[0].slice(0, 300)}`;
}

export function logError(c: Context<AppEnv>, event: string, err: unknown) {
  if (level(c) === 'silent') return;
  console.error(JSON.stringify({ level: 'error', event, request_id: c.get('requestId'), error: describeError(err) }));
}

/** Assigns the request id (echoing a sane client one), times the request and writes its log line. */
export const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = Date.now();
  const incoming = c.req.header('X-Request-Id');
  const requestId = incoming && REQUEST_ID_RE.test(incoming) ? incoming : crypto.randomUUID();
  c.set('requestId', requestId);
  c.set('dbCalls', { count: 0 });
  await next();
  const calls = c.get('dbCalls').count;
  if (c.res.status !== 101) {
    try {
      c.res.headers.set('X-Request-Id', requestId);
    } catch {
      // Responses taken from the cache or from fetch() have immutable headers: copy once.
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set('X-Request-Id', requestId);
    }
    // The D1 round trips of this request, for tests and the benchmark (0 on an edge-cache hit). Only at
    // LOG_LEVEL=debug: the count differs between code paths, so in production it would tell a client which
    // path its request took (e.g. whether a login's email exists).
    if (level(c) === 'debug' || c.env?.SERVER_TIMING === 'on') c.res.headers.append('Server-Timing', `d1;desc="${calls}"`);
  }
  const lvl = level(c);
  if (lvl === 'info' || lvl === 'debug') {
    console.log(
      JSON.stringify({
        level: 'info',
        event: 'request',
        method: c.req.method,
        // The path as sent (c.req.path drops the optional trailing slash); never the query, which may hold a token.
        path: new URL(c.req.url).pathname,
        status: c.res.status,
        duration_ms: Date.now() - started,
        request_id: requestId,
        user_id: c.get('user')?.id ?? null,
        d1_calls: calls,
      }),
    );
  }
};

/**
 * A log line outside a request (queue consumer, cron sweep, webhook details), honouring LOG_LEVEL: `info`
 * lines are written at info/debug, `error` lines unless silent.
 */
export function logEvent(setting: string | undefined, severity: 'info' | 'error', event: string, fields: Record<string, unknown> = {}): void {
  const lvl = setting ?? 'info';
  if (lvl === 'silent' || (severity === 'info' && lvl === 'error')) return;
  const line = JSON.stringify({ level: severity, event, ...fields });
  if (severity === 'error') console.error(line);
  else console.log(line);
}

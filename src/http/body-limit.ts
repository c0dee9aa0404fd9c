/**
 * Request body limits. A body that announces its length is judged by its Content-Length before a byte is read
 * (hono's bodyLimit). A body without one (chunked) is counted as it arrives; when it runs over the limit, the
 * rest is read and dropped before the 413 goes out: workerd drops a connection whose request body was left
 * half-read, and `wrangler dev`'s proxy then fails the NEXT request with a 503 ("Your worker restarted
 * mid-request"). Draining stops after DRAIN_MAX bytes, so an endless stream cannot hold the request forever.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

export const DRAIN_MAX = 64 * 1024 * 1024;

export interface BodyLimitOptions {
  maxSize: number;
  /** Throws (or answers) the 413. */
  onError: (c: Context) => Response | Promise<Response>;
}

/** Reads and drops what is left of a body, up to DRAIN_MAX bytes in all; never throws. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number): Promise<void> {
  try {
    for (let read = alreadyRead; read < DRAIN_MAX; ) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The client went away: nothing left to keep healthy.
  }
}

export function limitBody(opts: BodyLimitOptions): MiddlewareHandler {
  const byLength = bodyLimit(opts);
  return async (c, next) => {
    const raw = c.req.raw;
    if (!raw.body || (raw.headers.has('content-length') && !raw.headers.has('transfer-encoding'))) return byLength(c, next);
    const reader = raw.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > opts.maxSize) {
        await drain(reader, size);
        return opts.onError(c);
      }
      chunks.push(value);
    }
    const body = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.byteLength;
    }
    // The handlers read the buffered copy; the original stream is consumed.
    c.req.raw = new Request(raw, { body });
    return next();
  };
}

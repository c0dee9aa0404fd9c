/** HTTP helpers for tests: requests against the real Worker and problem+json assertions. */
import { SELF } from 'cloudflare:test';
import { expect } from 'vitest';

export const BASE = 'https://api.test';

export interface CallOptions {
  token?: string;
  headers?: Record<string, string>;
  body?: unknown;
  raw?: BodyInit;
}

/** Calls the Worker: `api('POST', '/api/v1/token/', { body })`. */
export function api(method: string, path: string, opts: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  let body: BodyInit | undefined = opts.raw;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['Content-Type'] ??= 'application/json';
  }
  return SELF.fetch(`${BASE}${path}`, { method, headers, body });
}

export async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** Asserts an RFC 9457 problem with the given status and code; returns its body. */
export async function expectProblem(res: Response, status: number, code: string) {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get('Content-Type')).toContain('application/problem+json');
  const body = JSON.parse(text);
  expect(body).toMatchObject({ status, code });
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  expect(typeof body.type).toBe('string');
  expect(body.request_id).toBe(res.headers.get('X-Request-Id'));
  return body as { status: number; code: string; title: string; type: string; request_id: string; detail: string; errors?: { field: string; message: string; available?: number }[] };
}

/** D1 round trips the request made, from its Server-Timing header. */
export function d1Calls(res: Response): number {
  const m = /d1;desc="(\d+)"/.exec(res.headers.get('Server-Timing') ?? '');
  if (!m) throw new Error('no d1 count in Server-Timing');
  return Number(m[1]);
}

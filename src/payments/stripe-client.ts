/**
 * Stripe's HTTP API as this Worker uses it: four calls (Checkout Session create / retrieve / expire, Refund create)
 * and webhook verification, over fetch and WebCrypto. The `stripe` SDK instantiates all of its ~150 resources on
 * import (32.5 KiB gzip of the bundle for four calls), so it is used here for its TYPES only; test/stripe-client
 * tests hold this file to the SDK's behaviour (same form bodies, same headers, its signatures accepted). What the
 * SDK did for us and this keeps: the pinned API version, an idempotency key on every POST (callers derive theirs
 * from the order; otherwise one random key per call, reused by its retries), a timeout per attempt, and retries
 * with backoff where Stripe says a retry is safe. The API base is STRIPE_API_BASE (a local fake) when set.
 */
import type Stripe from 'stripe';
import type { Config } from '../config';
import { AppError } from '../errors';

export type StripeConfig = NonNullable<Config['stripe']>;
export type { Stripe };

/** The version stripe@23.1.0 pins (its esm/apiVersion.js), so the responses match the SDK's types we read them with. */
export const STRIPE_API_VERSION = '2026-10-28.endive';
export const STRIPE_API_BASE = 'https://api.stripe.com';

/** The SDK's defaults as we configured them: 2 retries after 0.5 s, then 0.5–1 s (its jittered backoff, capped at 5 s). */
export interface StripeTransport {
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  timeoutMs: number;
  maxRetries: number;
}
const defaultTransport: StripeTransport = {
  fetch: (input, init) => fetch(input, init),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  timeoutMs: 15_000,
  maxRetries: 2,
};
export const retryDelayMs = (retry: number) => Math.max(500, Math.min(500 * 2 ** (retry - 1), 5_000) * 0.5 * (1 + Math.random()));

/** What went wrong: `status` null when Stripe could not be reached (network error or timeout, after the retries). */
export class StripeRequestError extends Error {
  override name = 'StripeRequestError';
  constructor(
    message: string,
    readonly status: number | null,
    readonly type?: string,
    readonly code?: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
  get connection(): boolean {
    return this.status === null;
  }
}

/**
 * Stripe's form encoding of nested parameters (the SDK's `stringifyRequestData`): `a[b][0][c]=v`, brackets left
 * unencoded, `!'()*` encoded as qs does, booleans as `true`/`false`, null as an empty value (Stripe's "unset"),
 * undefined left out, Dates as Unix seconds.
 */
export function formEncode(params: object): string {
  const pairs: string[] = [];
  const add = (key: string, value: unknown): void => {
    if (value === undefined) return;
    if (value === null || typeof value !== 'object' || value instanceof Date) {
      const text = value === null ? '' : value instanceof Date ? String(Math.floor(value.getTime() / 1000)) : String(value);
      pairs.push(`${encode(key)}=${encode(text)}`);
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) add(`${key}[${i}]`, value[i]);
    } else {
      for (const k of Object.keys(value)) add(`${key}[${k}]`, (value as Record<string, unknown>)[k]);
    }
  };
  for (const k of Object.keys(params)) add(k, (params as Record<string, unknown>)[k]);
  return pairs.join('&');
}
const encode = (s: string) =>
  encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%5B/g, '[')
    .replace(/%5D/g, ']');

/**
 * The SDK's retry rule: the API's `Stripe-Should-Retry` decides when present; otherwise a 409 (lock timeout,
 * concurrent use of an idempotency key) or a 5xx is retried. Unlike the SDK, a 429 without the header is retried
 * too (Stripe's advice for rate limits is backoff); every POST carries its key, so no retry applies anything twice.
 */
function shouldRetry(res: Response): boolean {
  const advice = res.headers.get('stripe-should-retry');
  if (advice === 'false') return false;
  if (advice === 'true') return true;
  return res.status === 409 || res.status === 429 || res.status >= 500;
}

function apiError(res: Response, text: string): StripeRequestError {
  const requestId = res.headers.get('request-id') ?? undefined;
  let body: { error?: { type?: string; code?: string; message?: string } } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    // An answer that is not Stripe's JSON (a proxy's error page): its status is all there is to report.
  }
  const e = body?.error;
  return new StripeRequestError(e?.message ?? `Stripe answered ${res.status}`, res.status, e?.type ?? 'api_error', e?.code, requestId);
}

/** One attempt, answer and body, within the timeout: a connection stalling after the headers must not hang us. */
async function within(transport: StripeTransport, url: string, init: RequestInit): Promise<{ res: Response; text: string }> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new Error(`no answer within ${transport.timeoutMs} ms`);
      controller.abort(err);
      reject(err);
    }, transport.timeoutMs);
  });
  try {
    const res = await Promise.race([transport.fetch(url, { ...init, signal: controller.signal }), expired]);
    return { res, text: await Promise.race([res.text(), expired]) };
  } finally {
    clearTimeout(timer);
  }
}

export interface RequestOptions {
  idempotencyKey?: string;
}

export function createStripeApi(secretKey: string, apiBase = STRIPE_API_BASE, transport: StripeTransport = defaultTransport) {
  const base = new URL(apiBase).origin;

  async function request<T>(method: 'GET' | 'POST', path: string, params?: object, options?: RequestOptions): Promise<T> {
    // The SDK's headers (it names the form type on GETs too).
    const headers: Record<string, string> = {
      Authorization: `Bearer ${secretKey}`,
      'Stripe-Version': STRIPE_API_VERSION,
      Accept: 'application/json',
      'Content-Type': 'application/x-www-form-urlencoded',
    };
    let body: string | undefined;
    if (method === 'POST') {
      body = params ? formEncode(params) : '';
      // Every retry of this call carries the same key, so Stripe applies it once whatever got lost on the way.
      headers['Idempotency-Key'] = options?.idempotencyKey ?? `edge-shop-retry-${crypto.randomUUID()}`;
    }
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      let text: string;
      try {
        ({ res, text } = await within(transport, `${base}${path}`, { method, headers, body }));
      } catch (err) {
        if (attempt < transport.maxRetries) {
          await transport.sleep(retryDelayMs(attempt + 1));
          continue;
        }
        throw new StripeRequestError(`Stripe could not be reached (${(err as Error)?.message ?? err}; ${attempt} retries)`, null);
      }
      if (res.ok) {
        try {
          return JSON.parse(text) as T;
        } catch {
          throw new StripeRequestError('Invalid JSON received from the Stripe API', res.status, 'api_error', undefined, res.headers.get('request-id') ?? undefined);
        }
      }
      if (attempt < transport.maxRetries && shouldRetry(res)) {
        await transport.sleep(retryDelayMs(attempt + 1));
        continue;
      }
      throw apiError(res, text);
    }
  }

  const id = (value: string) => encodeURIComponent(value);
  return {
    checkout: {
      sessions: {
        create: (params: Stripe.Checkout.SessionCreateParams, options?: RequestOptions) =>
          request<Stripe.Checkout.Session>('POST', '/v1/checkout/sessions', params, options),
        retrieve: (sessionId: string) => request<Stripe.Checkout.Session>('GET', `/v1/checkout/sessions/${id(sessionId)}`),
        expire: (sessionId: string, options?: RequestOptions) =>
          request<Stripe.Checkout.Session>('POST', `/v1/checkout/sessions/${id(sessionId)}/expire`, undefined, options),
      },
    },
    refunds: {
      create: (params: Stripe.RefundCreateParams, options?: RequestOptions) => request<Stripe.Refund>('POST', '/v1/refunds', params, options),
    },
  };
}
export type StripeApi = ReturnType<typeof createStripeApi>;

const clients = new WeakMap<StripeConfig, StripeApi>();

/** One client per configuration (it holds no connection, only settings). */
export function stripeClient(config: StripeConfig): StripeApi {
  let client = clients.get(config);
  if (!client) {
    client = createStripeApi(config.secretKey, config.apiBase);
    clients.set(config, client);
  }
  return client;
}

/** Stripe's default: a signature older than this is refused (replays of captured requests). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const hexBytes = (hex: string): Uint8Array | null => {
  if (!/^[0-9a-f]{64}$/.test(hex)) return null;
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
};

/**
 * The verified event, or null when the signature is missing, wrong or stale. Nothing is read from the body before.
 * `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">[,v1=...]` — several v1 while a
 * secret is being rolled; one match suffices. `crypto.subtle.verify` compares in constant time.
 */
export async function verifyStripeEvent(rawBody: string, signature: string | undefined, secret: string, now = Date.now()): Promise<Stripe.Event | null> {
  if (!signature || !rawBody || !secret.trim()) return null;
  let timestamp = NaN;
  const candidates: Uint8Array[] = [];
  for (const item of signature.split(',')) {
    const eq = item.indexOf('=');
    if (eq < 0) continue;
    const [key, value] = [item.slice(0, eq), item.slice(eq + 1)];
    if (key === 't' && /^[0-9]{1,12}$/.test(value)) timestamp = Number(value);
    const bytes = key === 'v1' ? hexBytes(value) : null;
    if (bytes) candidates.push(bytes);
  }
  if (Number.isNaN(timestamp) || !candidates.length) return null;
  if (Math.floor(now / 1000) - timestamp > SIGNATURE_TOLERANCE_SECONDS) return null;
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const signed = enc.encode(`${timestamp}.${rawBody}`);
  let valid = false;
  for (const candidate of candidates) valid = (await crypto.subtle.verify('HMAC', key, candidate, signed)) || valid;
  if (!valid) return null;
  try {
    return JSON.parse(rawBody) as Stripe.Event;
  } catch {
    return null;
  }
}

/** Stripe failed or could not be reached: 502 `payment_error`, with Stripe's message when it gave one. */
export function paymentError(err: unknown, what: string): AppError {
  const e = err as { connection?: boolean; message?: string };
  const reason = e?.connection ? 'the payment provider could not be reached' : `the payment provider refused it${e?.message ? ` (${e.message})` : ''}`;
  return new AppError('payment_error', `${what} failed: ${reason}. Nothing was changed; it is safe to try again.`);
}

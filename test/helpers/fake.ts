/** Drives the fake Stripe + email provider (test/fake-provider.mjs) from inside the Workers pool. */
import { env } from 'cloudflare:test';
import Stripe from 'stripe';
import { api } from './http';

const base = () => env.STRIPE_API_BASE!;

export interface FakeRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  authorization: string | null;
  raw: string;
  form?: Record<string, string>;
}

export interface FakeEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  idempotencyKey: string | null;
}

export async function fakeRequests(path: string, match?: string): Promise<FakeRequest[]> {
  const q = new URLSearchParams({ path, ...(match ? { match } : {}) });
  return (await fetch(`${base()}/__fake/requests?${q}`)).json();
}

export async function fakeEmails(to: string): Promise<FakeEmail[]> {
  return (await fetch(`${base()}/__fake/emails?${new URLSearchParams({ to })}`)).json();
}

/**
 * The next `times` requests to `path` whose body contains `match` fail with `status` (500) and Stripe's error JSON
 * (`error`, or an api_error), sent with `Stripe-Should-Retry: false` unless `shouldRetry` says otherwise; or,
 * with `drop`, the connection closes without an answer.
 */
export async function failNext(rule: {
  path: string;
  match?: string;
  times?: number;
  status?: number;
  shouldRetry?: 'true' | 'false' | 'none';
  drop?: boolean;
  error?: { type: string; message: string; code?: string };
}): Promise<void> {
  await fetch(`${base()}/__fake/fail`, { method: 'POST', body: JSON.stringify(rule) });
}

export async function setSession(id: string, fields: Record<string, unknown>): Promise<Record<string, unknown>> {
  return (await fetch(`${base()}/__fake/sessions/${id}`, { method: 'POST', body: JSON.stringify(fields) })).json();
}

/** Polls until `fn` returns something truthy (queue consumers and the fake run asynchronously). */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sends a Stripe event to the webhook, signed as Stripe would sign it (or with another secret / time). */
export async function sendWebhook(event: Record<string, unknown>, opts: { secret?: string; timestamp?: number; signature?: string } = {}) {
  const payload = JSON.stringify(event);
  const header =
    opts.signature ??
    (await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: opts.secret ?? env.STRIPE_WEBHOOK_SECRET!, timestamp: opts.timestamp }));
  return api('POST', '/api/v1/payments/stripe/webhook/', { raw: payload, headers: { 'Stripe-Signature': header, 'Content-Type': 'application/json' } });
}

let seq = 0;
export function stripeEvent(type: string, object: Record<string, unknown>, id = `evt_test_${Date.now().toString(36)}_${++seq}`) {
  return { id, object: 'event', type, api_version: '2025-01-01', created: Math.floor(Date.now() / 1000), data: { object }, livemode: false };
}

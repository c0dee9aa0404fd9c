/**
 * The HTTP-free checks of a checkout request: the Idempotency-Key header, its body fingerprint, and whether the
 * chosen payment method can be used on this server.
 */
import * as z from 'zod/mini';
import { AppError } from '../errors';
import { sha256Hex } from '../lib/crypto';
import type { CheckoutBody } from './orders.schemas';

const KEY_RE = /^[\x20-\x7E]{1,255}$/;

const KEY_MESSAGE = 'must be 1 to 255 printable ASCII characters';

/** The checkout's optional `Idempotency-Key` header: 1..255 printable ASCII characters, not all blank. */
export const IdempotencyHeaders = z.object({
  'Idempotency-Key': z
    .optional(z.string().check(z.regex(KEY_RE, KEY_MESSAGE), z.refine((v) => v.trim() !== '', KEY_MESSAGE)))
    .check(z.describe('1..255 printable ASCII characters; makes retries safe')),
});

/** JSON with object keys sorted at every level: the same request always serializes to the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * SHA-256 of the validated body: key order, whitespace and unknown fields do not change it, so a client that
 * retries the same order is recognized, and one that reuses a key for a different order is refused.
 */
export const bodyFingerprint = (body: CheckoutBody): Promise<string> => sha256Hex(canonicalJson(body));

/** `cod` always works; `card` only when card payments are configured (both Stripe secrets set). */
export function assertPaymentMethodAvailable(method: CheckoutBody['payment_method'], stripeConfigured: boolean): void {
  if (method !== 'card' || stripeConfigured) return;
  throw new AppError('validation_error', 'This payment method cannot be used.', {
    errors: [{ field: 'payment_method', message: 'card payments are not configured on this server; use "cod"' }],
  });
}

/**
 * The Stripe SDK as Workers need it: fetch as the HTTP client, WebCrypto for signatures, and the API base from
 * STRIPE_API_BASE (stripe-mock or a local fake) when set. Every call that creates something at Stripe passes an
 * idempotency key derived from the order, so the SDK's own retries and our callers' retries are safe.
 */
import Stripe from 'stripe';
import type { Config } from '../config';
import { AppError } from '../errors';

export type StripeConfig = NonNullable<Config['stripe']>;

const clients = new WeakMap<StripeConfig, Stripe>();

/** One client per configuration (it holds no connection, only settings). */
export function stripeClient(config: StripeConfig): Stripe {
  let client = clients.get(config);
  if (!client) {
    client = new Stripe(config.secretKey, {
      httpClient: Stripe.createFetchHttpClient(),
      maxNetworkRetries: 2,
      timeout: 15_000,
      ...(config.api ?? {}),
    });
    clients.set(config, client);
  }
  return client;
}

const cryptoProvider = Stripe.createSubtleCryptoProvider();
/** Stripe's default: a signature older than this is refused (replays of captured requests). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** The verified event, or null when the signature is missing, wrong or stale. Nothing is read from the body before. */
export async function verifyStripeEvent(rawBody: string, signature: string | undefined, secret: string): Promise<Stripe.Event | null> {
  if (!signature) return null;
  try {
    return await Stripe.webhooks.constructEventAsync(rawBody, signature, secret, SIGNATURE_TOLERANCE_SECONDS, cryptoProvider);
  } catch {
    return null;
  }
}

/** Stripe failed or could not be reached: 502 `payment_error`, with Stripe's message when it gave one. */
export function paymentError(err: unknown, what: string): AppError {
  const e = err as { type?: string; message?: string; statusCode?: number };
  const reason = e?.type === 'StripeConnectionError' ? 'the payment provider could not be reached' : `the payment provider refused it${e?.message ? ` (${e.message})` : ''}`;
  return new AppError('payment_error', `${what} failed: ${reason}. Nothing was changed; it is safe to try again.`);
}

export type { Stripe };

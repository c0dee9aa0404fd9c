/**
 * Configuration and secrets, read and validated once per isolate (per `env` object). A missing or bad value
 * fails every request with a 500 whose log line names the variable, never the value.
 */
import * as z from 'zod/mini';
import type { Env } from './env';
// Also sets zod's English messages, which the config problems show for values without a message of ours.
import { refuse } from './http/validate';

const intVar = (def: number, min = 1) => z._default(z.coerce.number().check(z.int(), z.gte(min)), def);

/**
 * `*` or a comma-separated list of origins (`https://shop.example`). Each entry is normalized to its origin so a
 * trailing slash or upper-case host still matches the browser's `Origin` header; anything else is a config error.
 */
function corsOrigins(value: string, ctx: z.core.ParsePayload): string[] | '*' {
  if (value.trim() === '*') return '*';
  const origins: string[] = [];
  for (const entry of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search || url.hash) {
      return refuse(ctx, `must be "*" or a comma-separated list of http(s) origins; "${entry}" is not one`);
    }
    origins.push(url.origin);
  }
  return origins;
}

const nonEmpty = (min = 1) => z.string().check(z.minLength(min));

const ConfigSchema = z
  .object({
    APP_NAME: z._default(z.string(), 'Edge Shop API'),
    JWT_SECRET: z.string({ error: 'is required (a random string of at least 32 characters)' }).check(z.minLength(32, 'must be at least 32 characters')),
    JWT_ISSUER: z._default(nonEmpty(), 'edge-shop-api'),
    JWT_AUDIENCE: z._default(nonEmpty(), 'edge-shop-clients'),
    ACCESS_TOKEN_TTL_SECONDS: intVar(900, 30),
    REFRESH_TOKEN_TTL_SECONDS: intVar(604800, 60),
    CORS_ORIGINS: z.pipe(z._default(z.string(), '*'), z.transform(corsOrigins)),
    CATALOG_CACHE: z._default(z.enum(['on', 'off']), 'on'),
    LOG_LEVEL: z._default(z.enum(['debug', 'info', 'error', 'silent']), 'info'),
    LOGIN_MAX_FAILURES: intVar(5),
    LOGIN_LOCK_SECONDS: intVar(300),
    LOGIN_MAX_DELAY_MS: intVar(2000, 0),
    MAX_OPEN_COD_ORDERS: intVar(10),
    PUBLIC_BASE_URL: z.optional(z.url()),
    STRIPE_SECRET_KEY: z.optional(nonEmpty()),
    STRIPE_WEBHOOK_SECRET: z.optional(nonEmpty()),
    STRIPE_API_BASE: z.optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:12111' })),
    CHECKOUT_SUCCESS_URL: z._default(z.url(), 'http://localhost:3000/checkout/success?session_id={CHECKOUT_SESSION_ID}'),
    CHECKOUT_CANCEL_URL: z._default(z.url(), 'http://localhost:3000/checkout/cancel'),
    PASSWORD_RESET_URL: z._default(z.url(), 'http://localhost:3000/reset-password'),
    EMAIL_TRANSPORT: z._default(z.enum(['log', 'send_email', 'http']), 'log'),
    EMAIL_FROM: z._default(nonEmpty(3), 'Edge Shop <no-reply@shop.example>'),
    EMAIL_API_URL: z._default(z.url(), 'https://api.resend.com/emails'),
    EMAIL_API_KEY: z.optional(nonEmpty()),
    EMAIL_RETRY_DELAY_SECONDS: intVar(30, 0),
  })
  .check(z.refine((v) => v.EMAIL_TRANSPORT !== 'http' || v.EMAIL_API_KEY, { path: ['EMAIL_API_KEY'], message: 'is required when EMAIL_TRANSPORT is "http"' }));

export interface Config {
  appName: string;
  jwt: { secret: string; issuer: string; audience: string; accessTtl: number; refreshTtl: number };
  corsOrigins: string[] | '*';
  catalogCache: boolean;
  logLevel: 'debug' | 'info' | 'error' | 'silent';
  login: { maxFailures: number; lockSeconds: number; maxDelayMs: number };
  /** Open unpaid `cod` orders one customer may hold (MAX_OPEN_COD_ORDERS). */
  maxOpenCodOrders: number;
  publicBaseUrl?: string;
  /** Card payments: on only when both Stripe secrets are set. */
  /** `apiBase`: STRIPE_API_BASE, where Stripe's API is reached instead of api.stripe.com (stripe-mock, a local fake). */
  stripe?: { secretKey: string; webhookSecret: string; apiBase?: string };
  /** Verifies webhook events; may be set without the API key (events can be checked, card checkout stays off). */
  stripeWebhookSecret?: string;
  checkout: { successUrl: string; cancelUrl: string };
  passwordResetUrl: string;
  email: { transport: 'log' | 'send_email' | 'http'; from: string; apiUrl: string; apiKey?: string; retryDelaySeconds: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const cache = new WeakMap<object, Config>();

/** Validated configuration for this `env`; computed once and reused by every later request. */
export function loadConfig(env: Env): Config {
  const hit = cache.get(env);
  if (hit) return hit;
  const raw = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]));
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`));
  }
  const v = parsed.data;
  const config: Config = {
    appName: v.APP_NAME,
    jwt: {
      secret: v.JWT_SECRET,
      issuer: v.JWT_ISSUER,
      audience: v.JWT_AUDIENCE,
      accessTtl: v.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtl: v.REFRESH_TOKEN_TTL_SECONDS,
    },
    corsOrigins: v.CORS_ORIGINS,
    catalogCache: v.CATALOG_CACHE === 'on',
    logLevel: v.LOG_LEVEL,
    login: { maxFailures: v.LOGIN_MAX_FAILURES, lockSeconds: v.LOGIN_LOCK_SECONDS, maxDelayMs: v.LOGIN_MAX_DELAY_MS },
    maxOpenCodOrders: v.MAX_OPEN_COD_ORDERS,
    publicBaseUrl: v.PUBLIC_BASE_URL,
    // Payments are enabled only when both Stripe secrets are present; otherwise `card` is refused.
    stripe:
      v.STRIPE_SECRET_KEY && v.STRIPE_WEBHOOK_SECRET
        ? { secretKey: v.STRIPE_SECRET_KEY, webhookSecret: v.STRIPE_WEBHOOK_SECRET, apiBase: v.STRIPE_API_BASE }
        : undefined,
    stripeWebhookSecret: v.STRIPE_WEBHOOK_SECRET,
    checkout: { successUrl: v.CHECKOUT_SUCCESS_URL, cancelUrl: v.CHECKOUT_CANCEL_URL },
    passwordResetUrl: v.PASSWORD_RESET_URL,
    email: { transport: v.EMAIL_TRANSPORT, from: v.EMAIL_FROM, apiUrl: v.EMAIL_API_URL, apiKey: v.EMAIL_API_KEY, retryDelaySeconds: v.EMAIL_RETRY_DELAY_SECONDS },
  };
  cache.set(env, config);
  return config;
}

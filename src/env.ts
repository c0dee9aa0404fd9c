/** Worker bindings (wrangler.toml + secrets) and the per-request context variables. */
import type { Config } from './config';
import type { Db } from './db/client';
import type { CartDO } from './cart/cart.do';
import type { EmailMessage } from './email/email-messages';
import type { ConversationDO } from './realtime/conversation.do';
import type { NotificationsDO } from './realtime/notifications.do';
import type { ConsoleSession } from './console/session.service';

export interface Env {
  DB: D1Database;
  IMAGES: R2Bucket;
  CART: DurableObjectNamespace<CartDO>;
  NOTIFICATIONS: DurableObjectNamespace<NotificationsDO>;
  CONVERSATIONS: DurableObjectNamespace<ConversationDO>;
  LOGIN_RL?: RateLimit;
  /** Password forgot/reset attempts per client address, and per email. */
  PASSWORD_RL?: RateLimit;
  PASSWORD_EMAIL_RL?: RateLimit;
  /** Transactional email: produced by routes, consumed by this Worker's `queue` handler. */
  EMAIL_QUEUE: Queue<EmailMessage>;
  /** Cloudflare Email Workers binding, used when EMAIL_TRANSPORT is `send_email`. */
  EMAIL?: SendEmail;
  /** Conversation messages per user (wrangler.toml [[ratelimits]]). */
  MESSAGE_RL?: RateLimit;
  /** Abuse limits (src/http/abuse-limits.ts): sign-ups and password changes per address, failed password changes and review writes per user, searches per address. */
  REGISTER_RL?: RateLimit;
  PASSWORD_CHANGE_RL?: RateLimit;
  PASSWORD_FAIL_RL?: RateLimit;
  REVIEW_RL?: RateLimit;
  SEARCH_RL?: RateLimit;
  /** Static assets (static/): the docs UI files. Optional so unit tests can build an env without it. */
  ASSETS?: Fetcher;
  // vars
  APP_NAME?: string;
  JWT_ISSUER?: string;
  JWT_AUDIENCE?: string;
  ACCESS_TOKEN_TTL_SECONDS?: string;
  REFRESH_TOKEN_TTL_SECONDS?: string;
  CORS_ORIGINS?: string;
  CATALOG_CACHE?: string;
  LOG_LEVEL?: string;
  LOGIN_MAX_FAILURES?: string;
  LOGIN_LOCK_SECONDS?: string;
  LOGIN_MAX_DELAY_MS?: string;
  MAX_OPEN_COD_ORDERS?: string;
  PUBLIC_BASE_URL?: string;
  STRIPE_API_BASE?: string;
  CHECKOUT_SUCCESS_URL?: string;
  CHECKOUT_CANCEL_URL?: string;
  PASSWORD_RESET_URL?: string;
  EMAIL_TRANSPORT?: string;
  EMAIL_FROM?: string;
  EMAIL_API_URL?: string;
  EMAIL_RETRY_DELAY_SECONDS?: string;
  // secrets
  JWT_SECRET?: string;
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  EMAIL_API_KEY?: string;
  // 'on': `Server-Timing` (D1 round trips) without LOG_LEVEL=debug's log volume — the test pool and the benchmark
  SERVER_TIMING?: string;
  // test-only: "1" checks every answer against the route table's schemas (src/http/response-contract.ts)
  CHECK_RESPONSES?: string;
}

/** The authenticated caller, taken from a verified access token. */
export interface AuthUser {
  id: number;
  role: 'customer' | 'admin';
  /** Expiry of the access token (seconds since the epoch), when the caller came with one. */
  exp?: number;
}

export interface Variables {
  requestId: string;
  config: Config;
  db: Db;
  /** D1 round trips made by this request (a batch counts once). */
  dbCalls: { count: number };
  user?: AuthUser;
  /** What the guard established: the token alone, or the token plus the user row as it is now. */
  authChecked?: 'token' | 'fresh';
  /** The admin console session of this request (console pages only). */
  consoleSession?: ConsoleSession;
  /** Public catalog reads: the canonical URL their cache key and links are built from (catalog-cache.ts). */
  catalogUrl?: URL;
}

export type AppEnv = { Bindings: Env; Variables: Variables };

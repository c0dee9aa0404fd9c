/**
 * Worker entry: the HTTP app, the email queue consumer, the payment sweep (Cron Trigger) and the Durable
 * Object classes.
 */
import { buildApp } from './app';
import { loadConfig } from './config';
import { createDb } from './db/client';
import type { EmailMessage } from './email/email-messages';
import { handleEmailBatch } from './email/email-consumer';
import type { Env } from './env';
import { runPaymentSweep } from './payments/sweep.service';
import { pruneExpiredTokens } from './users/token-retention';

export { CartDO } from './cart/cart.do';
export { NotificationsDO } from './realtime/notifications.do';
export { ConversationDO } from './realtime/conversation.do';
export type { Env } from './env';

const app = buildApp();

export default {
  fetch: app.fetch,
  /** The email queue (and only it): render, send through the configured transport, retry with backoff. */
  queue: (batch, env, _ctx) => handleEmailBatch(batch as MessageBatch<EmailMessage>, env),
  /**
   * Every 5 minutes (wrangler.toml `[triggers]`): settle card orders whose webhooks never came, and delete expired
   * refresh tokens and expired or used reset tokens (retention, docs/SECURITY.md). One failing does not stop the other.
   */
  scheduled: async (_controller, env, _ctx) => {
    const db = createDb(env.DB);
    const results = await Promise.allSettled([runPaymentSweep({ db, env, config: loadConfig(env) }), pruneExpiredTokens(db)]);
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  },
} satisfies ExportedHandler<Env, EmailMessage>;

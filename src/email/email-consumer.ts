/**
 * The `queue` handler of the email queue: renders each message and sends it through the configured transport,
 * exactly once per dedupe key. A D1 row claims the key before sending and records the send after it, so a
 * message delivered twice, or two copies consumed at once, send one email. A failed send releases the claim and
 * retries the message with exponential backoff; after the queue's `max_retries` it lands in the dead-letter queue.
 */
import { sql } from 'drizzle-orm';
import { loadConfig, type Config } from '../config';
import { createDb, type Db } from '../db/client';
import type { Env } from '../env';
import { describeError, logEvent } from '../http/logging';
import { nowIso } from '../lib/crypto';
import { getOrder } from '../orders/orders.service';
import { issuePasswordReset } from '../users/password-reset.service';
import type { EmailMessage } from './email-messages';
import { orderEmail, passwordResetEmail, type RenderedEmail } from './email-render';
import { sendEmail } from './email-transport';

/** A claim older than this belongs to a consumer that died mid-send: another delivery may take it over. */
const STALE_CLAIM_MS = 5 * 60_000;
const MAX_DELAY_SECONDS = 3600;

type Claim = 'claimed' | 'sent' | 'busy';

async function claim(db: Db, key: string): Promise<Claim> {
  const now = nowIso();
  const stale = new Date(Date.now() - STALE_CLAIM_MS).toISOString();
  const rows = await db.all<{ k: string }>(sql`INSERT INTO email_deliveries (dedupe_key, claimed_at) VALUES (${key}, ${now})
    ON CONFLICT (dedupe_key) DO UPDATE SET claimed_at = excluded.claimed_at WHERE sent_at IS NULL AND claimed_at < ${stale}
    RETURNING dedupe_key AS k`);
  if (rows.length) return 'claimed';
  const [row] = await db.all<{ sent: string | null }>(sql`SELECT sent_at AS sent FROM email_deliveries WHERE dedupe_key = ${key}`);
  return row?.sent ? 'sent' : 'busy';
}

/** The email a message stands for, or null when there is nobody to write to (unknown or inactive account). */
async function render(db: Db, config: Config, msg: EmailMessage): Promise<RenderedEmail | null> {
  switch (msg.type) {
    case 'password_reset': {
      const issued = await issuePasswordReset(db, msg.email);
      if (!issued) return null;
      const link = new URL(config.passwordResetUrl);
      link.searchParams.set('token', issued.token);
      return passwordResetEmail(config.appName, issued.email, issued.firstName, link.toString());
    }
    case 'order_placed':
      return orderEmail(config.appName, await getOrder(db, msg.orderId, msg.userId), 'placed');
    case 'order_status_changed':
      return orderEmail(config.appName, await getOrder(db, msg.orderId, msg.userId), msg.status);
    case 'refund_issued':
      return orderEmail(config.appName, await getOrder(db, msg.orderId, msg.userId), 'refunded');
  }
}

/**
 * Deliveries on which an order that is not (yet) there is retried before the message is dropped: a database
 * replica can trail the write that published the event by a moment. After that, a deleted order has nobody left
 * to tell.
 */
const NOT_FOUND_ATTEMPTS = 3;

async function deliver(env: Env, config: Config, db: Db, msg: EmailMessage, attempts: number): Promise<'sent' | 'skipped' | 'duplicate'> {
  const state = await claim(db, msg.dedupeKey);
  if (state === 'sent') return 'duplicate';
  if (state === 'busy') throw new Error('another delivery of this email is in flight');
  try {
    const email = await render(db, config, msg).catch((err) => {
      // A deleted order has nobody left to tell (once a lagging replica is ruled out); anything else is worth a retry.
      if ((err as { code?: string }).code === 'not_found' && attempts >= NOT_FOUND_ATTEMPTS) return null;
      throw err;
    });
    if (email?.to) await sendEmail(env, config, email, msg.dedupeKey);
    await db.run(sql`UPDATE email_deliveries SET sent_at = ${nowIso()} WHERE dedupe_key = ${msg.dedupeKey}`);
    return email?.to ? 'sent' : 'skipped';
  } catch (err) {
    await db.run(sql`DELETE FROM email_deliveries WHERE dedupe_key = ${msg.dedupeKey} AND sent_at IS NULL`);
    throw err;
  }
}

/** Exponential backoff: base, 2×base, 4×base… capped at an hour. */
export const retryDelay = (base: number, attempts: number) => Math.min(MAX_DELAY_SECONDS, base * 2 ** Math.max(0, attempts - 1));

export async function handleEmailBatch(batch: MessageBatch<EmailMessage>, env: Env): Promise<void> {
  const config = loadConfig(env);
  const db = createDb(env.DB);
  // The messages of a batch are independent (each claims its own dedupe key), so they are delivered side by side:
  // a burst of orders does not queue up behind one slow provider call per message.
  await Promise.all(
    batch.messages.map(async (msg) => {
      try {
        const outcome = await deliver(env, config, db, msg.body, msg.attempts);
        logEvent(config.logLevel, 'info', 'email_processed', { type: msg.body.type, key: msg.body.dedupeKey, outcome });
        msg.ack();
      } catch (err) {
        const delaySeconds = retryDelay(config.email.retryDelaySeconds, msg.attempts);
        logEvent(config.logLevel, 'error', 'email_failed', { type: msg.body.type, key: msg.body.dedupeKey, attempts: msg.attempts, retry_in_s: delaySeconds, error: describeError(err) });
        msg.retry({ delaySeconds });
      }
    }),
  );
}

/**
 * The typed messages of the email queue (producer side). Routes and services never talk to an email provider:
 * they enqueue one of these after the write that justifies it has committed, and this Worker's `queue` handler
 * renders and sends it. Every message carries a dedupe key naming the event it reports, so a message delivered
 * twice (queues are at-least-once) or enqueued twice for one event is sent once.
 */
import type { Env } from '../env';
import { describeError, logEvent } from '../http/logging';

export type OrderEmailStatus = 'confirmed' | 'shipped' | 'delivered' | 'cancelled';

interface Base {
  /** Names the event: `order:42:confirmed`, `refund:42`, `reset:<uuid>`. */
  dedupeKey: string;
}

export type EmailMessage = Base &
  (
    | {
        type: 'password_reset';
        /** The address as typed (normalized); the consumer finds the account, if any, and issues the token. */
        email: string;
        requestedAt: string;
      }
    /** `userId`, when known, is the order's owner: the consumer only writes about an order of that account. */
    | { type: 'order_placed'; orderId: number; userId?: number }
    | { type: 'order_status_changed'; orderId: number; userId?: number; status: OrderEmailStatus }
    | { type: 'refund_issued'; orderId: number; userId?: number }
  );

/** Enqueues messages; a queue failure is logged, never thrown: the change they report has already committed. */
export async function enqueueEmails(env: Pick<Env, 'EMAIL_QUEUE' | 'LOG_LEVEL'>, messages: EmailMessage[]): Promise<void> {
  if (!messages.length) return;
  try {
    await env.EMAIL_QUEUE.sendBatch(messages.map((body) => ({ body, contentType: 'json' as const })));
  } catch (err) {
    logEvent(env.LOG_LEVEL, 'error', 'email_enqueue_failed', { keys: messages.map((m) => m.dedupeKey), error: describeError(err) });
  }
}

/**
 * The one door through which an order's status change leaves the database: called by every place that changes
 * an order's status (checkout, customer cancel, admin transitions, and later Stripe webhooks and the expiry
 * sweep) ONLY after the D1 write that made the change has committed. Fan-out to the customer's live sockets
 * (notifications Durable Object) and to transactional email (a Queue message) happens here, never half-way
 * through a batch.
 */
import type { Env } from '../env';
import { enqueueEmails, type EmailMessage } from '../email/email-messages';
import type { OrderRecord } from './orders.queries';
import type { OrderStatus } from './order-status';

export interface OrderStatusEvent {
  orderId: number;
  number: string;
  userId: number;
  status: OrderStatus;
  /** ISO time of the change, as in the order's status history. */
  at: string;
}

/** The event of an order as it stands after a committed change. */
export function statusEventOf(order: Pick<OrderRecord, 'id' | 'number' | 'userId' | 'status' | 'updatedAt'>): OrderStatusEvent {
  return { orderId: order.id, number: order.number, userId: order.userId, status: order.status, at: order.updatedAt };
}

/** Hands each user's events, in order, to that user's notifications object (which numbers, keeps and pushes them). */
async function notifySockets(env: Env, events: OrderStatusEvent[]): Promise<void> {
  const byUser = new Map<number, OrderStatusEvent[]>();
  for (const e of events) byUser.set(e.userId, [...(byUser.get(e.userId) ?? []), e]);
  await Promise.all(
    [...byUser].map(async ([userId, list]) => {
      try {
        await env.NOTIFICATIONS.get(env.NOTIFICATIONS.idFromName(String(userId))).publish(list);
      } catch (err) {
        // The change has committed and the caller's answer must say so: a push that failed is logged, not a 500.
        console.error(JSON.stringify({ level: 'error', event: 'notify_failed', user_id: userId, error: err instanceof Error ? err.name : typeof err }));
      }
    }),
  );
}

/**
 * Publishes committed status changes. Awaited by the caller (or handed to `waitUntil`) so nothing is lost when
 * the request ends. Subscribers are added here: notifications (realtime) and email (queue).
 */
export async function publishOrderStatusEvents(env: Env, events: OrderStatusEvent[]): Promise<void> {
  if (!events.length) return;
  // Sockets first (the customer watching the order sees it at once), then the email messages.
  await notifySockets(env, events);
  await enqueueEmails(env, events.map(statusEmail));
}

/**
 * The email of a status change. Each status is reached at most once per order (the machine has no cycles), so
 * order id + status names the event: re-publishing it can never send a second email.
 */
function statusEmail(e: OrderStatusEvent): EmailMessage {
  if (e.status === 'pending') return { type: 'order_placed', orderId: e.orderId, userId: e.userId, dedupeKey: `order:${e.orderId}:placed` };
  return { type: 'order_status_changed', orderId: e.orderId, userId: e.userId, status: e.status, dedupeKey: `order:${e.orderId}:${e.status}` };
}

/** A committed refund (cancel of a paid order, or a refund made in Stripe's dashboard): one email per order. */
export async function publishRefundIssued(env: Env, orderIds: number[]): Promise<void> {
  await enqueueEmails(env, orderIds.map((orderId) => ({ type: 'refund_issued', orderId, dedupeKey: `refund:${orderId}` })));
}
